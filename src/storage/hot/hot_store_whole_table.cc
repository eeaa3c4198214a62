// HotStore's operations on a whole table: DropTable, and StageRewrite (a SHARED table's
// rows staged under a new primary key: ALTER TABLE ... ADD PRIMARY KEY, written by
// storage/table_rekey.cc).
#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <numeric>

#include "storage/hot/hot_store.h"
#include "storage/hot/key_codec.h"

namespace tenantdb {

namespace {

rocksdb::Slice ToSlice(std::string_view s) {
  return rocksdb::Slice(s.data(), s.size());
}

// "(a, b)=(1, x)": PostgreSQL's way of naming a duplicated key.
std::string KeyDescription(const HotTable& table, const std::vector<Value>& row) {
  std::string names, values;
  for (size_t i = 0; i < table.key_indices().size(); ++i) {
    const size_t c = table.key_indices()[i];
    if (i > 0) {
      names += ", ";
      values += ", ";
    }
    names += table.schema()->field(c).name;
    values += row[c].ToString();
  }
  return "(" + names + ")=(" + values + ")";
}

}  // namespace

Status HotStore::StageRewrite(const HotTable& table, const std::vector<std::vector<Value>>& rows,
                              const std::string& relation, rocksdb::WriteBatch* batch) const {
  if (table.per_user()) {
    return Status(ErrorCode::kInvalidArgument,
                  "only a SHARED table's rows are rewritten under a new key");
  }
  const int64_t now = options_.clock->NowUnixMicros();
  for (const std::vector<Value>& row : rows) {
    if (row.size() != table.schema()->num_fields()) {
      return Status(ErrorCode::kInvalidArgument, "a rewritten row has the wrong width");
    }
    for (size_t c : table.key_indices()) {
      if (row[c].is_null()) {
        return Status(ErrorCode::kNotNullViolation, "column \"" + table.schema()->field(c).name +
                                                        "\" of relation \"" + relation +
                                                        "\" contains null values");
      }
    }
  }
  const std::string prefix = EncodeTablePrefix(table.table_number());
  std::vector<std::string> keys(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    TDB_ASSIGN_OR_RETURN(keys[r], RowKey(table, prefix, rows[r]));
  }
  std::vector<size_t> order(rows.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return keys[a] < keys[b]; });
  for (size_t i = 1; i < order.size(); ++i) {
    if (keys[order[i]] == keys[order[i - 1]]) {
      return Status(ErrorCode::kUniqueViolation,
                    "could not create unique index \"" + relation.substr(relation.rfind('.') + 1) +
                        "_pkey\": key " + KeyDescription(table, rows[order[i]]) + " is duplicated");
    }
  }

  rocksdb::ColumnFamilyHandle* family = kv_->family(KvFamily::kRows);
  const std::string end = PrefixSuccessor(prefix);
  if (end.empty()) {
    return Status(ErrorCode::kInvalidArgument, "the last table number cannot be rewritten");
  }
  // Every old version goes (live rows, tombstones, rows keyed the old way); the new rows,
  // later in the same batch, have higher sequence numbers and survive the range delete.
  batch->DeleteRange(family, ToSlice(prefix), ToSlice(end));
  for (size_t r : order) {
    TDB_ASSIGN_OR_RETURN(std::string value,
                         EncodeLiveRow(*table.schema(), table.schema_version(), rows[r], now));
    batch->Put(family, ToSlice(keys[r]), ToSlice(value));
  }
  return Status::Ok();
}

Status HotStore::DropTable(uint32_t table_number) {
  const std::string start = EncodeTablePrefix(table_number);
  const std::string end = PrefixSuccessor(start);
  rocksdb::WriteBatch batch;
  rocksdb::ColumnFamilyHandle* rows = kv_->family(KvFamily::kRows);
  if (!end.empty()) {
    batch.DeleteRange(rows, ToSlice(start), ToSlice(end));
  } else {
    // The last table number has no successor prefix: delete its keys one by one.
    std::unique_ptr<rocksdb::Iterator> it = kv_->NewIterator(KvFamily::kRows);
    for (it->Seek(ToSlice(start)); it->Valid() && it->key().starts_with(ToSlice(start));
         it->Next()) {
      batch.Delete(rows, it->key());
    }
    TDB_RETURN_IF_ERROR(FromRocksStatus(it->status(), "scanning a dropped table"));
  }
  if (options_.changes != nullptr) options_.changes->StageDropTable(table_number, &batch);
  const Status written = kv_->Write(&batch);
  user_cache_.InvalidateTable(table_number);
  if (written.ok() && options_.changes != nullptr) options_.changes->ForgetTable(table_number);
  if (written.ok()) row_counts_.Forget(table_number);
  return written;
}

}  // namespace tenantdb
