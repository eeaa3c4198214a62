// TableStore's secondary-index reads and builds (table_store.h; entry layout and the
// re-check rule in hot/hot_index.h).
#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <rocksdb/write_batch.h>

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "storage/hot/key_codec.h"
#include "storage/table_store.h"

namespace tenantdb {

namespace {

rocksdb::Slice ToSlice(std::string_view s) {
  return rocksdb::Slice(s.data(), s.size());
}

// Puts per RocksDB batch while building: bounded memory, few WAL syncs.
constexpr size_t kBuildBatchRows = 1024;

std::vector<Value> RowAt(const Batch& batch, size_t row, size_t width) {
  std::vector<Value> values;
  values.reserve(width);
  for (size_t c = 0; c < width; ++c)
    values.push_back(batch.column(c).GetValue(row));
  return values;
}

}  // namespace

Result<size_t> TableStore::BuildIndex(
    const TableEntry& table, const HotIndex& index,
    const std::function<void(const IndexBuildProgress&)>& progress) {
  TDB_ASSIGN_OR_RETURN(HotTable hot_table, HotTableFor(table));
  TDB_ASSIGN_OR_RETURN(std::vector<size_t> positions, IndexColumnPositions(index, *table.schema()));
  // Every user with rows: hot ones and those with flushed files.
  std::vector<std::optional<UserId>> users;
  if (hot_table.per_user()) {
    TDB_ASSIGN_OR_RETURN(std::vector<std::string> hot_users, hot_->ListUsers(hot_table));
    absl::flat_hash_set<std::string> seen;
    for (const std::string& u : hot_users) {
      if (!seen.insert(u).second) continue;
      TDB_ASSIGN_OR_RETURN(UserId id, UserId::Make(u));
      users.emplace_back(std::move(id));
    }
    TDB_ASSIGN_OR_RETURN(std::vector<UserId> cold_users,
                         catalog_->ListManifestUsers(table.table_number()));
    for (UserId& u : cold_users) {
      if (u.empty() || !seen.insert(std::string(u.str())).second) continue;
      users.emplace_back(std::move(u));
    }
  } else {
    users.emplace_back(std::nullopt);
  }
  rocksdb::ColumnFamilyHandle* rows_family = kv_->family(KvFamily::kRows);
  rocksdb::WriteBatch batch;
  size_t indexed = 0;
  IndexBuildProgress done;
  done.users_total = users.size();
  auto report = [&] {
    done.rows = indexed;
    if (progress) progress(done);
  };
  report();
  const size_t width = table.schema()->num_fields();
  for (const std::optional<UserId>& user : users) {
    const UserId* owner = user.has_value() ? &*user : nullptr;
    const std::string prefix = IndexEntryPrefix(index.index_number, owner);
    TDB_ASSIGN_OR_RETURN(BatchStreamPtr stream, OpenScan(table, owner, ReadOptions()));
    while (true) {
      TDB_ASSIGN_OR_RETURN(std::optional<Batch> rows, stream->Next());
      if (!rows.has_value()) break;
      for (size_t r = 0; r < rows->num_rows(); ++r) {
        TDB_ASSIGN_OR_RETURN(std::string pk, hot_table.KeyBytesOf(*rows, r));
        TDB_ASSIGN_OR_RETURN(std::string key, IndexEntryKey(prefix, *table.schema(), positions,
                                                            RowAt(*rows, r, width), pk));
        batch.Put(rows_family, ToSlice(key), ToSlice(pk));
        if (++indexed % kBuildBatchRows == 0) {
          TDB_RETURN_IF_ERROR(kv_->Write(&batch));
          batch.Clear();
          report();
        }
      }
    }
    ++done.users_done;
    report();
  }
  if (batch.Count() > 0) TDB_RETURN_IF_ERROR(kv_->Write(&batch));
  if (index.unique) {
    done.checking_unique = true;
    report();
    TDB_RETURN_IF_ERROR(VerifyUnique(hot_table, index));
  }
  return indexed;
}

// Entries of one user with equal values are adjacent (the primary key ends each entry),
// so a duplicate is two valid neighbours with the same bytes before their keys. Rows
// written concurrently were checked against the entries present then, which the
// backfill may not have finished: this pass, over the complete index, catches those too.
Status TableStore::VerifyUnique(const HotTable& table, const HotIndex& index) const {
  TDB_ASSIGN_OR_RETURN(std::vector<size_t> positions, IndexColumnPositions(index, *table.schema()));
  const std::string start = EncodeTablePrefix(index.index_number);
  const std::string end = PrefixSuccessor(start);
  const rocksdb::Slice lower = ToSlice(start), upper = ToSlice(end);
  std::unique_ptr<rocksdb::Iterator> it =
      kv_->NewIterator(KvFamily::kRows, false, nullptr, &lower, end.empty() ? nullptr : &upper);
  std::string previous;  // the values part of the last valid non-NULL entry
  for (it->Seek(ToSlice(start)); it->Valid() && it->key().compare(ToSlice(end)) < 0; it->Next()) {
    const std::string_view key(it->key().data(), it->key().size());
    const std::string_view pk(it->value().data(), it->value().size());
    std::optional<UserId> user;
    if (table.per_user()) {
      std::string_view rest;
      TDB_ASSIGN_OR_RETURN(std::string id, DecodeUserId(key, &rest));
      TDB_ASSIGN_OR_RETURN(UserId u, UserId::Make(id));
      user = std::move(u);
    }
    const UserId* owner = user.has_value() ? &*user : nullptr;
    TDB_ASSIGN_OR_RETURN(std::vector<Value> key_values, DecodeKeyColumns(table.key_types(), pk));
    TDB_ASSIGN_OR_RETURN(auto row, hot_->LiveRow(table, owner, key_values));
    if (!row.has_value()) continue;
    bool has_null = false;
    TDB_ASSIGN_OR_RETURN(std::string current,
                         IndexEntryKey(IndexEntryPrefix(index.index_number, owner), *table.schema(),
                                       positions, *row, pk, &has_null));
    if (current != key || has_null) continue;
    const std::string_view values = key.substr(0, key.size() - pk.size());
    if (values == previous) {
      return Status(ErrorCode::kUniqueViolation,
                    "could not create unique index \"" + index.name + "\": Key " +
                        IndexKeyText(*table.schema(), positions, *row) + " is duplicated.");
    }
    previous.assign(values);
  }
  return FromRocksStatus(it->status(), "checking a unique index");
}

Result<std::vector<Batch>> TableStore::IndexScan(const TableEntry& table, const UserId* user,
                                                 const HotIndex& index,
                                                 const std::vector<IndexRange>& ranges) const {
  TDB_ASSIGN_OR_RETURN(HotTable hot_table, HotTableFor(table));
  TDB_ASSIGN_OR_RETURN(std::vector<size_t> positions, IndexColumnPositions(index, *table.schema()));
  const UserId* owner = hot_table.per_user() ? user : nullptr;
  const std::string base = IndexEntryPrefix(index.index_number, owner);
  std::vector<DataType> types;
  for (size_t p : positions)
    types.push_back(table.schema()->field(p).type);
  std::vector<Batch> out;
  out.emplace_back(table.schema());
  absl::flat_hash_set<std::string> seen;  // primary keys returned (IN lists may overlap)
  // Bounded to this index's (and user's) entries: a Seek that finds no live entry in
  // range stops there instead of walking deleted keys beyond.
  const std::string base_end = PrefixSuccessor(base);
  const rocksdb::Slice lower = ToSlice(base), upper = ToSlice(base_end);
  std::unique_ptr<rocksdb::Iterator> it = kv_->NewIterator(KvFamily::kRows, false, nullptr, &lower,
                                                           base_end.empty() ? nullptr : &upper);
  for (const IndexRange& range : ranges) {
    TDB_ASSIGN_OR_RETURN(auto keys, IndexRangeKeys(base, types, range));
    const std::string& start = keys.first;
    const std::string& end = keys.second;
    for (it->Seek(ToSlice(start)); it->Valid() && it->key().compare(ToSlice(end)) < 0; it->Next()) {
      const std::string_view key(it->key().data(), it->key().size());
      const std::string pk(it->value().data(), it->value().size());
      if (seen.contains(pk)) continue;
      counters_.index_entries_read.fetch_add(1, std::memory_order_relaxed);
      TDB_ASSIGN_OR_RETURN(std::vector<Value> key_values,
                           DecodeKeyColumns(hot_table.key_types(), pk));
      TDB_ASSIGN_OR_RETURN(auto row, hot_->LiveRow(hot_table, owner, key_values));
      if (!row.has_value()) continue;
      TDB_ASSIGN_OR_RETURN(std::string current,
                           IndexEntryKey(base, *table.schema(), positions, *row, pk));
      if (current != key) continue;  // stale: the row has other values now
      seen.insert(pk);
      TDB_RETURN_IF_ERROR(out.back().AppendRow(*row));
    }
    TDB_RETURN_IF_ERROR(FromRocksStatus(it->status(), "reading an index"));
  }
  return out;
}

Status TableStore::DropIndexEntries(uint32_t index_number) {
  const std::string start = EncodeTablePrefix(index_number);
  const std::string end = PrefixSuccessor(start);
  rocksdb::WriteBatch batch;
  batch.DeleteRange(kv_->family(KvFamily::kRows), ToSlice(start), ToSlice(end));
  return kv_->Write(&batch);
}

}  // namespace tenantdb
