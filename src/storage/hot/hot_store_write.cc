// HotStore's write path: ApplyGroups (every INSERT, UPDATE, DELETE and commit), the
// single-row wrappers, and the liveness checks they make under the key locks. Secondary
// indexes are maintained here, in the same WriteBatch as the rows (hot_store_index.cc).
#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <rocksdb/write_batch.h>

#include "absl/container/flat_hash_map.h"
#include "storage/hot/hot_store.h"
#include "storage/hot/index_writer.h"
#include "storage/hot/key_codec.h"

namespace tenantdb {

namespace {

rocksdb::Slice ToSlice(std::string_view s) {
  return rocksdb::Slice(s.data(), s.size());
}

std::string KeyText(const std::vector<Value>& key) {
  std::string out = "(";
  for (size_t i = 0; i < key.size(); ++i) {
    if (i > 0) out += ", ";
    out += key[i].ToString();
  }
  return out + ")";
}

}  // namespace

Result<bool> HotStore::LiveNow(const HotTable& table, const UserId* user, const std::string& key,
                               const std::vector<Value>& key_values, int64_t now,
                               std::string* hot_row,
                               std::optional<std::vector<Value>>* old_values) const {
  TDB_ASSIGN_OR_RETURN(std::optional<std::string> stored, kv_->Get(KvFamily::kRows, key));
  if (stored.has_value()) {
    TDB_ASSIGN_OR_RETURN(RowHeader header, DecodeRowHeader(*stored));
    const std::optional<int64_t> cutoff = ExpiryCutoffAt(table, now);
    // An expired version is as good as none: the key is free although the TTL job has
    // not removed the old bytes yet.
    if (!cutoff || header.write_micros >= *cutoff) {
      if (header.kind == RowKind::kLive && old_values != nullptr) {
        TDB_ASSIGN_OR_RETURN(DecodedRow row, DecodeRow(*stored, *table.schema(),
                                                       table.schema_version(), table.lookup()));
        *old_values = std::move(row.values);
      }
      if (header.kind == RowKind::kLive && hot_row != nullptr) *hot_row = std::move(*stored);
      return header.kind == RowKind::kLive;
    }
  }
  if (old_values != nullptr && options_.cold_row) {
    TDB_ASSIGN_OR_RETURN(*old_values, options_.cold_row(table, user, key_values));
    return old_values->has_value();
  }
  if (!options_.cold_probe) return false;
  return options_.cold_probe(table, user, key_values);
}

Result<std::optional<std::vector<Value>>> HotStore::LiveRow(const HotTable& table,
                                                            const UserId* user,
                                                            const std::vector<Value>& key) const {
  TDB_ASSIGN_OR_RETURN(std::string encoded, EncodeKey(table, user, key));
  std::optional<std::vector<Value>> values;
  TDB_ASSIGN_OR_RETURN(bool live, LiveNow(table, user, encoded, key,
                                          options_.clock->NowUnixMicros(), nullptr, &values));
  if (!live) return std::optional<std::vector<Value>>();
  if (!values.has_value()) {
    // Live only in Parquet and no cold_row probe to read it: unknown values.
    return Status(ErrorCode::kInternal, "a flushed row's values are needed but cannot be read");
  }
  return values;
}

// One write after validation: its key, its key values and the bytes to store.
struct HotStore::Planned {
  HotWrite::Kind kind;
  std::string key;
  size_t prefix_size = 0;  // the table/user prefix that starts `key`
  std::vector<Value> key_values;
  std::string value;       // empty for deletes (their tombstone is made when needed)
  std::vector<Value> row;  // the new row, for a table with indexes (else empty)
};

Status HotStore::ApplyBatch(const HotTable& table, const UserId* user,
                            const std::vector<HotWrite>& writes) {
  return ApplyWrites(table, user, writes, nullptr);
}

Status HotStore::ApplyWrites(const HotTable& table, const UserId* user,
                             const std::vector<HotWrite>& writes, size_t* deleted) {
  const HotWriteGroup group{&table, user, &writes, nullptr};
  return ApplyGroups(std::span<const HotWriteGroup>(&group, 1), deleted);
}

Status HotStore::ApplyGroups(std::span<const HotWriteGroup> groups, size_t* deleted, WalSync sync) {
  const int64_t now = options_.clock->NowUnixMicros();
  size_t total = 0;
  for (const HotWriteGroup& g : groups)
    total += g.writes->size() + (g.packed != nullptr ? g.packed->count() : 0);
  const bool many = total > 1;
  auto at = [&](size_t i, const Status& s) {
    if (!many) return s;
    return Status(s.code(), "row " + std::to_string(i + 1) + ": " + std::string(s.message()));
  };

  // Rows planned against a key layout that a rewrite has since replaced must not land.
  std::vector<RekeyGate::Use> uses;
  uses.reserve(groups.size());
  for (const HotWriteGroup& g : groups)
    uses.push_back({g.table->table_number(), g.table->schema_version()});
  TDB_ASSIGN_OR_RETURN(RekeyGate::Pass pass, rekey_gate_.Enter(uses));
  // Read inside the gate (see indexes()): the indexes each group's writes maintain.
  std::vector<std::optional<IndexWriter::Group>> indexed(groups.size());
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    HotIndexList list = indexes_.Get(groups[gi].table->table_number());
    if (list == nullptr || list->empty()) continue;
    indexed[gi] = IndexWriter::Prepare(std::move(list), *groups[gi].table, groups[gi].user);
  }

  std::vector<Planned> plan;
  plan.reserve(total);
  std::vector<std::string> keys;
  keys.reserve(total);
  std::vector<const HotWriteGroup*> group_of;
  group_of.reserve(total);
  std::vector<const IndexWriter::Group*> index_group_of;
  index_group_of.reserve(total);
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    const HotWriteGroup& g = groups[gi];
    const IndexWriter::Group* ig = indexed[gi] ? &*indexed[gi] : nullptr;
    const HotTable& table = *g.table;
    TDB_ASSIGN_OR_RETURN(const std::string prefix, KeyPrefix(table, g.user));
    for (const HotWrite& w : *g.writes) {
      const size_t i = plan.size();
      Planned p{w.kind, {}, prefix.size(), {}, {}, {}};
      if (w.kind == HotWrite::Kind::kDelete) {
        Status s = CheckWholeKey(table.key_types(), w.values.size());
        if (!s.ok()) return at(i, s);
        p.key = prefix;
        s = AppendKeyColumns(table.key_types(), w.values, &p.key);
        if (!s.ok()) return at(i, s);
        p.key_values = w.values;
      } else {
        auto key = RowKey(table, prefix, w.values);
        if (!key.ok()) return at(i, key.status());
        p.key = std::move(key).value();
        auto value = EncodeLiveRow(*table.schema(), table.schema_version(), w.values, now);
        if (!value.ok()) return at(i, value.status());
        p.value = std::move(value).value();
        for (size_t k : table.key_indices())
          p.key_values.push_back(w.values[k]);
        if (ig != nullptr) {
          p.row = w.values;
          IndexWriter::AppendLockKeys(*ig, table, p.row, &keys);
        }
      }
      keys.push_back(p.key);
      plan.push_back(std::move(p));
      group_of.push_back(&g);
      index_group_of.push_back(ig);
    }
    if (g.packed == nullptr) continue;
    const std::string header = EncodeLiveHeader(table.schema_version(), now);
    TDB_RETURN_IF_ERROR(g.packed->ForEach([&](std::string_view key, std::string_view body) {
      Planned p{HotWrite::Kind::kInsert, prefix, prefix.size(), {}, header, {}};
      p.key.append(key);
      p.value.append(body);
      TDB_ASSIGN_OR_RETURN(p.key_values, DecodeKeyColumns(table.key_types(), key));
      if (ig != nullptr) {
        TDB_ASSIGN_OR_RETURN(p.row, DecodeRowBody(body, *table.schema()));
        IndexWriter::AppendLockKeys(*ig, table, p.row, &keys);
      }
      keys.push_back(p.key);
      plan.push_back(std::move(p));
      group_of.push_back(&g);
      index_group_of.push_back(ig);
      return Status::Ok();
    }));
  }

  KeyLocks::Guard guard = locks_.Lock(keys);
  // Liveness of keys this batch has written so far, so the checks see earlier writes,
  // and their newest row bytes (the change log's old row of a later write of the key).
  struct PendingState {
    bool live = false;
    std::string_view row;
  };
  absl::flat_hash_map<std::string_view, PendingState> pending;
  rocksdb::WriteBatch batch;
  rocksdb::ColumnFamilyHandle* rows = kv_->family(KvFamily::kRows);
  IndexWriter index_writer(kv_, &batch,
                           [this](const HotTable& t, const UserId* u, const std::vector<Value>& k) {
                             return LiveRow(t, u, k);
                           });
  std::optional<std::vector<Value>> old_values;  // a live row's, for its index entries
  ChangeLog::Writer changes(options_.changes);
  std::string hot_row;  // the stored live version LiveNow found, when logging changes
  size_t hidden = 0;
  // Net live rows each group adds (row_counts.h): the liveness checks below already
  // tell an insert of a new key from an update, and a delete that hid a row.
  std::vector<int64_t> row_deltas(groups.size(), 0);
  for (size_t i = 0; i < plan.size(); ++i) {
    const Planned& p = plan[i];
    const HotWriteGroup& g = *group_of[i];
    const IndexWriter::Group* ig = index_group_of[i];
    bool live = false;
    std::string_view old_row;
    old_values.reset();
    if (auto it = pending.find(p.key); it != pending.end()) {
      live = it->second.live;
      old_row = it->second.row;
      if (ig != nullptr && live) {
        if (const auto* row = index_writer.PendingRow(p.key)) old_values = *row;
      }
    } else {
      hot_row.clear();
      auto now_live =
          LiveNow(*g.table, g.user, p.key, p.key_values, now, changes.active() ? &hot_row : nullptr,
                  ig != nullptr ? &old_values : nullptr);
      if (!now_live.ok()) return at(i, now_live.status());
      live = *now_live;
      old_row = hot_row;
    }
    // The index entries of this write, staged beside the row (index_writer.h).
    auto stage_indexes = [&](const std::vector<Value>* new_row) -> Status {
      if (ig == nullptr) return Status::Ok();
      return index_writer.Stage(*ig, *g.table, g.user, p.key, p.prefix_size,
                                live && old_values.has_value() ? &*old_values : nullptr, new_row);
    };
    // The change this write makes, for the log (a delete of an absent key makes none).
    auto log_change = [&](ChangeType type, std::string_view new_row, std::string_view old) {
      if (!changes.active()) return;
      const std::string_view key(p.key);
      changes.Add(g.table, key.substr(0, p.prefix_size), g.user ? g.user->str() : "",
                  EncodedChange{type, now, key.substr(p.prefix_size), new_row, old});
    };
    switch (p.kind) {
      case HotWrite::Kind::kInsert:
        if (live) {
          return at(i, Status(ErrorCode::kUniqueViolation,
                              "duplicate key value violates the primary key: " +
                                  KeyText(p.key_values) + " already exists"));
        }
        break;
      case HotWrite::Kind::kUpdate:
        if (!live) {
          return at(
              i, Status(ErrorCode::kNotFound, "no row with primary key " + KeyText(p.key_values)));
        }
        break;
      case HotWrite::Kind::kUpsert:
        break;
      case HotWrite::Kind::kDelete:
        if (!live) continue;
        if (Status s = stage_indexes(nullptr); !s.ok()) return at(i, s);
        batch.Put(rows, ToSlice(p.key), ToSlice(EncodeTombstone(g.table->schema_version(), now)));
        log_change(ChangeType::kDelete, {}, old_row);
        pending[p.key] = PendingState{false, {}};
        ++hidden;
        --row_deltas[&g - groups.data()];
        continue;
    }
    if (Status s = stage_indexes(&p.row); !s.ok()) return at(i, s);
    batch.Put(rows, ToSlice(p.key), ToSlice(p.value));
    if (live) {
      log_change(ChangeType::kUpdate, p.value, old_row);
    } else {
      log_change(ChangeType::kInsert, p.value, {});
      ++row_deltas[&g - groups.data()];
    }
    pending[p.key] = PendingState{true, p.value};
  }
  if (batch.Count() > 0) {
    // The changes' numbers and records join the rows' batch: one atomic write.
    TDB_RETURN_IF_ERROR(changes.Stage(&batch));
    const Status written = kv_->Write(&batch, sync);
    for (const HotWriteGroup& g : groups)
      InvalidateCached(*g.table, g.user);
    // Listeners run outside the key locks (ChangeSequencer publishes in number order
    // whatever order writers finish in).
    guard = KeyLocks::Guard();
    changes.Finish(written.ok());
    TDB_RETURN_IF_ERROR(written);
    for (size_t gi = 0; gi < groups.size(); ++gi) {
      const HotWriteGroup& g = groups[gi];
      row_counts_.Add(g.table->table_number(), g.user != nullptr ? g.user->str() : "",
                      row_deltas[gi]);
    }
  }
  if (deleted != nullptr) *deleted = hidden;
  return Status::Ok();
}

Status HotStore::Insert(const HotTable& table, const UserId* user, const std::vector<Value>& row) {
  return ApplyWrites(table, user, {HotWrite::Insert(row)}, nullptr);
}

Status HotStore::Upsert(const HotTable& table, const UserId* user, const std::vector<Value>& row) {
  return ApplyWrites(table, user, {HotWrite::Upsert(row)}, nullptr);
}

Status HotStore::Update(const HotTable& table, const UserId* user, const std::vector<Value>& row) {
  return ApplyWrites(table, user, {HotWrite::Update(row)}, nullptr);
}

Result<bool> HotStore::Delete(const HotTable& table, const UserId* user,
                              const std::vector<Value>& key) {
  size_t deleted = 0;
  TDB_RETURN_IF_ERROR(ApplyWrites(table, user, {HotWrite::Delete(key)}, &deleted));
  return deleted > 0;
}

}  // namespace tenantdb
