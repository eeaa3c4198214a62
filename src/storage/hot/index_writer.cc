#include "storage/hot/index_writer.h"

#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <rocksdb/write_batch.h>

#include "storage/hot/key_codec.h"

namespace tenantdb {

namespace {

rocksdb::Slice ToSlice(std::string_view s) {
  return rocksdb::Slice(s.data(), s.size());
}

// Marks a lock key as a unique value's, apart from every row key.
constexpr char kUniqueLockTag = 'U';

}  // namespace

IndexWriter::Group IndexWriter::Prepare(HotIndexList indexes, const HotTable& table,
                                        const UserId* user) {
  Group group;
  auto kept = std::make_shared<std::vector<HotIndex>>();
  for (const HotIndex& index : *indexes) {
    auto positions = IndexColumnPositions(index, *table.schema());
    if (!positions.ok()) continue;
    kept->push_back(index);
    group.positions.push_back(std::move(*positions));
    group.prefixes.push_back(
        IndexEntryPrefix(index.index_number, table.per_user() ? user : nullptr));
  }
  group.indexes = std::move(kept);
  return group;
}

void IndexWriter::AppendLockKeys(const Group& group, const HotTable& table,
                                 const std::vector<Value>& row, std::vector<std::string>* keys) {
  for (size_t i = 0; i < group.indexes->size(); ++i) {
    if (!(*group.indexes)[i].unique) continue;
    bool has_null = false;
    auto key =
        IndexEntryKey(group.prefixes[i], *table.schema(), group.positions[i], row, "", &has_null);
    if (!key.ok() || has_null) continue;
    keys->push_back(kUniqueLockTag + *key);
  }
}

const std::optional<std::vector<Value>>* IndexWriter::PendingRow(std::string_view row_key) const {
  auto it = rows_.find(absl::string_view(row_key.data(), row_key.size()));
  return it == rows_.end() ? nullptr : &it->second;
}

Status IndexWriter::Stage(const Group& group, const HotTable& table, const UserId* user,
                          std::string_view row_key, size_t prefix_size,
                          const std::vector<Value>* old_row, const std::vector<Value>* new_row) {
  const std::string_view pk_bytes = row_key.substr(prefix_size);
  rocksdb::ColumnFamilyHandle* rows = kv_->family(KvFamily::kRows);
  for (size_t i = 0; i < group.indexes->size(); ++i) {
    const HotIndex& index = (*group.indexes)[i];
    std::optional<std::string> old_key;
    if (old_row != nullptr) {
      TDB_ASSIGN_OR_RETURN(old_key, IndexEntryKey(group.prefixes[i], *table.schema(),
                                                  group.positions[i], *old_row, pk_bytes));
    }
    std::optional<std::string> new_key;
    bool has_null = false;
    if (new_row != nullptr) {
      TDB_ASSIGN_OR_RETURN(
          new_key, IndexEntryKey(group.prefixes[i], *table.schema(), group.positions[i], *new_row,
                                 pk_bytes, &has_null));
    }
    if (old_key && old_key != new_key) {
      batch_->Delete(rows, ToSlice(*old_key));
      entries_[*old_key] = false;
    }
    if (!new_key) continue;
    if (index.unique && !has_null && old_key != new_key) {
      TDB_RETURN_IF_ERROR(CheckUnique(index, group.positions[i], group.prefixes[i], table, user,
                                      row_key, prefix_size, *new_key,
                                      new_key->size() - pk_bytes.size(), *new_row));
    }
    // Written even when unchanged: idempotent, and it heals an entry a crash-free but
    // racing backfill may have missed.
    batch_->Put(rows, ToSlice(*new_key), ToSlice(pk_bytes));
    entries_[*new_key] = true;
  }
  if (new_row != nullptr) {
    rows_[std::string(row_key)] = *new_row;
  } else {
    rows_[std::string(row_key)] = std::nullopt;
  }
  return Status::Ok();
}

Status IndexWriter::CheckUnique(const HotIndex& index, const std::vector<size_t>& positions,
                                std::string_view prefix, const HotTable& table, const UserId* user,
                                std::string_view row_key, size_t prefix_size,
                                const std::string& entry, size_t value_end,
                                const std::vector<Value>& row) {
  const std::string_view values(entry.data(), value_end);
  auto conflict = [&] {
    return Status(ErrorCode::kUniqueViolation,
                  "duplicate key value violates unique constraint \"" + index.name + "\": Key " +
                      IndexKeyText(*table.schema(), positions, row) + " already exists.");
  };
  // Entries this batch staged: a put is a row of this batch that has the values now.
  for (auto it = entries_.lower_bound(values);
       it != entries_.end() && std::string_view(it->first).starts_with(values); ++it) {
    if (it->second && it->first != entry) return conflict();
  }
  const std::string_view row_prefix = row_key.substr(0, prefix_size);
  std::unique_ptr<rocksdb::Iterator> it = kv_->NewIterator(KvFamily::kRows);
  for (it->Seek(ToSlice(values)); it->Valid() && it->key().starts_with(ToSlice(values));
       it->Next()) {
    const std::string_view key(it->key().data(), it->key().size());
    if (key == entry || entries_.contains(key)) continue;  // this batch decides those
    const std::string_view pk(it->value().data(), it->value().size());
    std::string other_key(row_prefix);
    other_key.append(pk);
    std::optional<std::vector<Value>> other;
    if (const auto* pending = PendingRow(other_key)) {
      other = *pending;
    } else {
      TDB_ASSIGN_OR_RETURN(std::vector<Value> key_values, DecodeKeyColumns(table.key_types(), pk));
      TDB_ASSIGN_OR_RETURN(other, lookup_(table, user, key_values));
    }
    if (!other.has_value()) continue;  // the row is gone: a stale entry
    // The row still has these values when it encodes to exactly this entry.
    TDB_ASSIGN_OR_RETURN(std::string current,
                         IndexEntryKey(prefix, *table.schema(), positions, *other, pk));
    if (current == key) return conflict();
  }
  return FromRocksStatus(it->status(), "checking a unique index");
}

}  // namespace tenantdb
