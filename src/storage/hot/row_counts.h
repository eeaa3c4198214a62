// RowCounts: how many live rows each table holds, in total and per user slice, counted
// in memory as the hot store commits writes — the row figures of the planner's table
// statistics (tables/table_statistics.h) without a scan and without an extra RocksDB
// write per insert.
//
// HotStore::ApplyGroups already decides, under the key locks, whether each write's key
// had a live row (hot or, through the cold probe, flushed); after its batch is written
// it adds each (table, user)'s net change here: +1 for an insert or an upsert of a new
// key, -1 for a delete that hid a row, 0 for an update. Flushes and compactions move
// rows between tiers without changing them; the STREAM TTL job subtracts the live rows
// it removes. So the figures are exact for the writes of this process.
//
// Across restarts: storage/table_statistics_store.h persists the totals (checkpoints
// at every flush, every few seconds while a table is written, and at close) and gives
// them back here once per table (Base). Writes between the last checkpoint and a crash
// are lost from the figures: the drift is bounded by the checkpoint period and ANALYZE
// (Reset) recounts everything exactly. A table created in this process, or checkpointed
// empty, or analyzed, has exact per-user slices ("slices_exact"); otherwise the slices
// hold only this process's changes and a user's figure is estimated from the average.
//
// Memory: about 100 bytes per table written or asked about since open, plus ~40 bytes
// per tracked (table, user) slice, at most kMaxSlices slices per table (beyond that the
// table's slices are dropped and estimated from the average instead). None of it is in
// the cached TableEntry. Thread safety: every method may be called concurrently (16
// shards by table number, one mutex each); Add costs one lock and two hash lookups.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace tenantdb {

class RowCounts {
 public:
  static constexpr size_t kMaxSlices = 65'536;

  struct Figures {
    bool known = false;  // false: rows / users unknown (a table older than statistics)
    int64_t rows = 0;    // live rows of every user
    int64_t users = -1;  // users holding rows (per-user tables); < 0: unknown
    // The asked user's rows when slices are exact; else nullopt, and `slice_delta` is
    // that user's net change since open (add it to an average).
    std::optional<int64_t> slice;
    int64_t slice_delta = 0;
  };

  RowCounts() = default;
  RowCounts(const RowCounts&) = delete;
  RowCounts& operator=(const RowCounts&) = delete;

  // A committed net change of `user`'s live rows ("" for a SHARED table).
  void Add(uint32_t table, std::string_view user, int64_t delta);

  // Whether Base or Reset was called for `table` since open (or since Forget).
  bool HasBase(uint32_t table) const;
  // The persisted figures of `table` (rows < 0: none known; users < 0: a SHARED table or
  // unknown), applied once: later calls are ignored. The changes added since open count
  // on top. A per-user table stored as empty (rows 0, users 0) gets exact slices: every
  // change since then is here.
  void Base(uint32_t table, int64_t rows, int64_t users);
  // ANALYZE's exact count: `rows` in total, `slices` per user (empty for SHARED tables),
  // replacing whatever was known. Writes that raced the count may be off by their rows.
  void Reset(uint32_t table, int64_t rows, std::vector<std::pair<std::string, int64_t>> slices,
             bool per_user);
  // A recount of the users holding rows (after a flush); ignored while slices are exact
  // (they count users better) or before Base.
  void SetUsers(uint32_t table, int64_t users);

  // The figures of `table` for `user` ("" for the whole table only); nullopt before Base.
  std::optional<Figures> Get(uint32_t table, std::string_view user) const;

  // Tables whose figures changed since the last call and have a known base, with their
  // figures (for a checkpoint); `unbased` receives the changed tables without a base
  // (the caller applies Base and asks again).
  std::vector<std::pair<uint32_t, Figures>> TakeDirty(std::vector<uint32_t>* unbased);
  // Marks `table` changed again (a checkpoint that failed to write).
  void MarkDirty(uint32_t table);
  // Forgets `table` (dropped).
  void Forget(uint32_t table);

 private:
  struct Entry {
    int64_t rows = 0;  // since open until Base, then the total
    int64_t users = -1;
    bool based = false;
    bool known = false;
    bool slices_exact = false;
    bool dirty = false;
    // Per user: exact rows when slices_exact, else the net change since open.
    absl::flat_hash_map<std::string, int64_t> slices;
  };
  struct Shard {
    mutable std::mutex mu;
    absl::flat_hash_map<uint32_t, std::unique_ptr<Entry>> tables;  // guarded by mu
  };
  static constexpr size_t kShards = 16;
  Shard& ShardOf(uint32_t table) { return shards_[table % kShards]; }
  const Shard& ShardOf(uint32_t table) const { return shards_[table % kShards]; }
  static int64_t CountPositive(const Entry& e);

  std::array<Shard, kShards> shards_;
};

}  // namespace tenantdb
