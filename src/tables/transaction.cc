#include "tables/transaction.h"

#include <algorithm>

#include <cassert>

#include "storage/hot/key_codec.h"

namespace tenantdb {

Result<std::string> EncodeOverlayKey(const HotTable& table, const std::vector<Value>& key) {
  std::string out;
  TDB_RETURN_IF_ERROR(AppendKeyColumns(table.key_types(), key, &out));
  return out;
}

size_t Transaction::num_writes() const {
  size_t n = 0;
  for (const auto& g : groups_)
    n += g->writes.size() + g->packed.count();
  return n;
}

size_t Transaction::packed_bytes() const {
  size_t n = 0;
  for (const auto& g : groups_)
    n += g->packed.bytes();
  return n;
}

Transaction::TableWrites* Transaction::FindGroup(const TableEntry& table,
                                                 const UserId* user) const {
  for (const auto& g : groups_) {
    if (g->table.get() != &table) continue;
    if (user == nullptr ? !g->user.has_value() : (g->user.has_value() && *g->user == *user)) {
      return g.get();
    }
  }
  return nullptr;
}

const Transaction::TableWrites* Transaction::Find(const TableEntry& table,
                                                  const UserId* user) const {
  TableWrites* group = FindGroup(table, user);
  if (group != nullptr && !write_only_ && !group->packed.empty()) {
    // A decode of rows this transaction encoded itself cannot fail but by a bug.
    const Status unpacked = Unpack(group);
    assert(unpacked.ok());
    (void)unpacked;
  }
  return group;
}

Status Transaction::Unpack(TableWrites* group) const {
  const HotTable& hot = group->hot_table;
  PackedInserts packed;
  std::swap(packed, group->packed);
  group->writes.reserve(group->writes.size() + packed.count());
  return packed.ForEach([&](std::string_view key, std::string_view body) -> Status {
    TDB_ASSIGN_OR_RETURN(std::vector<Value> row, DecodeRowBody(body, *hot.schema()));
    group->overlay[std::string(key)] = row;
    group->writes.push_back(HotWrite::Insert(std::move(row)));
    return Status::Ok();
  });
}

Status Transaction::Add(TableStore* store, const TableEntry& table, const UserId* user,
                        HotWrite write, bool pack) {
  TableWrites* group = FindGroup(table, user);
  if (group == nullptr) {
    TDB_ASSIGN_OR_RETURN(HotTable hot, store->HotTableFor(table));
    auto fresh = std::make_unique<TableWrites>(
        TableWrites{TableEntryRef(&table),
                    user ? std::optional<UserId>(*user) : std::nullopt,
                    std::move(hot),
                    {},
                    {},
                    {}});
    group = fresh.get();
    groups_.push_back(std::move(fresh));
  }
  if (write_only_ || pack) {
    if (write.kind != HotWrite::Kind::kInsert) {
      return Status(ErrorCode::kInternal, "only inserts are held packed");
    }
    const HotTable& hot = group->hot_table;
    if (write.values.size() != hot.schema()->num_fields()) {
      return Status(ErrorCode::kInternal, "a row write with the wrong number of columns");
    }
    std::string key, body;
    for (size_t i = 0; i < hot.key_indices().size(); ++i) {
      TDB_RETURN_IF_ERROR(
          AppendKeyColumn(hot.key_types()[i], write.values[hot.key_indices()[i]], &key));
    }
    TDB_RETURN_IF_ERROR(AppendRowBody(*hot.schema(), write.values, &body));
    group->packed.Add(key, body);
    return Status::Ok();
  }
  // Packed rows go first: they were added before this write.
  if (!group->packed.empty()) TDB_RETURN_IF_ERROR(Unpack(group));
  std::vector<Value> key;
  if (write.kind == HotWrite::Kind::kDelete) {
    key = write.values;
  } else {
    if (write.values.size() != table.schema()->num_fields()) {
      return Status(ErrorCode::kInternal, "a row write with the wrong number of columns");
    }
    for (size_t k : group->hot_table.key_indices())
      key.push_back(write.values[k]);
  }
  TDB_ASSIGN_OR_RETURN(std::string encoded, EncodeOverlayKey(group->hot_table, key));
  if (write.kind == HotWrite::Kind::kDelete) {
    group->overlay[encoded] = std::nullopt;
  } else {
    group->overlay[encoded] = write.values;
  }
  group->writes.push_back(std::move(write));
  return Status::Ok();
}

std::vector<std::pair<TableEntryRef, size_t>> Transaction::WriteCounts() const {
  std::vector<std::pair<TableEntryRef, size_t>> counts;
  for (const auto& g : groups_)
    counts.emplace_back(g->table, g->writes.size() + g->packed.count());
  return counts;
}

Status Transaction::Commit(TableStore* store) {
  std::vector<HotWriteGroup> groups;
  groups.reserve(groups_.size());
  for (const auto& g : groups_) {
    groups.push_back(
        HotWriteGroup{&g->hot_table, g->user ? &*g->user : nullptr, &g->writes, &g->packed});
  }
  Status status =
      groups.empty() ? Status::Ok() : store->hot().ApplyGroups(groups, nullptr, wal_sync_);
  groups_.clear();
  // After the writes are in RocksDB: a waiter woken now re-reads the committed rows.
  ReleaseLocks();
  return status;
}

namespace {

// The row lock's name of `key` in (table, user): RowLockKey over the key columns' types.
Result<std::string> LockName(const TableEntry& table, const UserId* user,
                             const std::vector<Value>& key) {
  std::vector<DataType> key_types;
  const Schema& schema = *table.schema();
  for (size_t k : schema.PrimaryKeyIndices())
    key_types.push_back(schema.field(k).type);
  return RowLockKey(table.table_number(), user, key_types, key);
}

}  // namespace

Result<bool> Transaction::LockRow(RowLockManager* locks, const TableEntry& table,
                                  const UserId* user, const std::vector<Value>& key,
                                  CancelToken* cancel, std::chrono::milliseconds lock_timeout) {
  if (locks_ != nullptr && locks_ != locks) {
    return Status(ErrorCode::kInternal, "a transaction locking rows of two lock managers");
  }
  TDB_ASSIGN_OR_RETURN(std::string name, LockName(table, user, key));
  if (locks_ == nullptr) {
    locks_ = locks;
    lock_owner_ = locks->NewOwner();
  }
  TDB_ASSIGN_OR_RETURN(bool taken, locks->Lock(lock_owner_, name, cancel, lock_timeout));
  if (taken) locked_.push_back(std::move(name));
  return taken;
}

Status Transaction::UnlockRow(const TableEntry& table, const UserId* user,
                              const std::vector<Value>& key) {
  if (locks_ == nullptr) return Status::Ok();
  TDB_ASSIGN_OR_RETURN(std::string name, LockName(table, user, key));
  auto it = std::find(locked_.begin(), locked_.end(), name);
  if (it == locked_.end()) return Status::Ok();
  locked_.erase(it);
  locks_->ReleaseAll(lock_owner_, {name});
  return Status::Ok();
}

void Transaction::ReleaseLocks() {
  if (locks_ != nullptr && !locked_.empty()) locks_->ReleaseAll(lock_owner_, locked_);
  locked_.clear();
}

}  // namespace tenantdb
