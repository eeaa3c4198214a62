// IndexWriter: the secondary-index part of one HotStore::ApplyGroups call (hot_index.h
// has the entry layout). For each row write it stages, in the rows' own WriteBatch, the
// removal of the entry of the row's old values and the entry of its new values, so an
// index and its table change in one atomic RocksDB write (a crash leaves both or
// neither). A UNIQUE index is checked before its entry is staged: against the entries
// this batch staged, then the stored ones, each re-checked against the row it names
// (a stale entry or a deleted row is no conflict; rows in Parquet count through the
// row lookup). Callers hold a key lock per new unique value (LockKeys) across the check
// and the write, so two writers of one value cannot both pass.
//
// Thread safety: one per ApplyGroups call, on its thread.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/status.h"
#include "kv/kv_store.h"
#include "storage/hot/hot_index.h"
#include "storage/hot/hot_table.h"

namespace rocksdb {
class WriteBatch;
}  // namespace rocksdb

namespace tenantdb {

class IndexWriter {
 public:
  // The live row (current layout) with primary key `key` of (table, user), as stored
  // outside the batch being built; nullopt when there is none (hot or cold).
  using RowLookup = std::function<Result<std::optional<std::vector<Value>>>(
      const HotTable& table, const UserId* user, const std::vector<Value>& key)>;

  // The indexes of one (table, user) group, resolved against the table's layout.
  struct Group {
    HotIndexList indexes;
    std::vector<std::vector<size_t>> positions;  // per index
    std::vector<std::string> prefixes;           // per index: IndexEntryPrefix
  };

  IndexWriter(const KvStore* kv, rocksdb::WriteBatch* batch, RowLookup lookup)
      : kv_(kv), batch_(batch), lookup_(std::move(lookup)) {}

  // The group for `indexes` (non-empty) of `table`. An index whose column is gone from the
  // layout is skipped (DROP COLUMN drops it; a writer planned before may still arrive).
  static Group Prepare(HotIndexList indexes, const HotTable& table, const UserId* user);

  // The lock keys of `row`'s values in the group's UNIQUE indexes (NULLs need none).
  static void AppendLockKeys(const Group& group, const HotTable& table,
                             const std::vector<Value>& row, std::vector<std::string>* keys);

  // Stages the index changes of one row write: `old_row` (null: no live row before) and
  // `new_row` (null: a delete), both in the table's current layout. `row_key` is the row's
  // hot key, whose first `prefix_size` bytes are the table/user prefix. Error:
  // unique_violation naming the index and the duplicated values.
  Status Stage(const Group& group, const HotTable& table, const UserId* user,
               std::string_view row_key, size_t prefix_size, const std::vector<Value>* old_row,
               const std::vector<Value>* new_row);

  // The values a row key has after this batch's writes so far: nullopt when the batch has
  // not written it; an empty inner optional when it deleted it.
  const std::optional<std::vector<Value>>* PendingRow(std::string_view row_key) const;

 private:
  Status CheckUnique(const HotIndex& index, const std::vector<size_t>& positions,
                     std::string_view prefix, const HotTable& table, const UserId* user,
                     std::string_view row_key, size_t prefix_size, const std::string& entry,
                     size_t value_end, const std::vector<Value>& row);

  const KvStore* kv_;
  rocksdb::WriteBatch* batch_;
  RowLookup lookup_;
  std::map<std::string, bool, std::less<>> entries_;  // staged: true put, false deleted
  absl::flat_hash_map<std::string, std::optional<std::vector<Value>>> rows_;  // by row key
};

}  // namespace tenantdb
