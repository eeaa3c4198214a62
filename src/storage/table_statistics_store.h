// TableStatisticsStore: the table statistics the planner estimates from — live row and
// user counts (the hot store's RowCounts, storage/hot/row_counts.h) made durable, and the
// per-column figures of the last ANALYZE (storage/table_analyzer.h) — kept beside the
// catalog, never in the cached TableEntry.
//
//   counts     RowCounts counts every committed write in memory. The first time a
//              table is asked about, or written and checkpointed, its stored record
//              (catalog/table_stats_record.h, one point read) gives the base.
//   persisted  Checkpoint writes the changed tables' counts in one catalog batch: after
//              every flush of the table (which also recounts a per-user table's users
//              from its flush manifests, unless its slices are exact), from the flush
//              scheduler's job at most every kCheckpointPeriod while tables are written,
//              and when the store closes. A crash loses at most that period's changes
//              from the figures; ANALYZE counts again exactly.
//   analyzed   ANALYZE's record (counts and columns) is written through Install and kept
//              in a side map of the analyzed tables only, so estimates read it without
//              touching RocksDB; tables never analyzed cost no entry there.
//   dropped    The catalog deletes a table's record in its DROP batch; the hot store
//              forgets its counts when its rows go, Forget the side map entry (the
//              erasure of dropped tables calls it).
//
// Cost: Estimate is two hash lookups under short locks, plus one catalog point read the
// first time a table is seen by this process. Thread safety: every method may be called
// concurrently.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "catalog/persistent_catalog.h"
#include "catalog/table_entry.h"
#include "catalog/table_stats_record.h"
#include "common/status.h"
#include "storage/hot/row_counts.h"
#include "tenantdb/clock.h"

namespace tenantdb {

class TableStatisticsStore {
 public:
  // How often the flush scheduler's job writes counts that changed (CheckpointIfDue).
  static constexpr int64_t kCheckpointPeriodMicros = 10'000'000;

  // Every pointer must outlive the store.
  TableStatisticsStore(PersistentCatalog* catalog, RowCounts* counts, const Clock* clock);
  TableStatisticsStore(const TableStatisticsStore&) = delete;
  TableStatisticsStore& operator=(const TableStatisticsStore&) = delete;

  struct Estimate {
    RowCounts::Figures counts;                         // counts.known false: no row figures
    std::shared_ptr<const TableStatsRecord> analyzed;  // null: never analyzed
  };
  // The figures of `table` for `user` (null: the whole table). Errors: those of the
  // catalog read that loads a table's base (the caller may treat them as "unknown").
  Result<Estimate> Get(const TableEntry& table, const UserId* user);

  // Writes the counts of every table changed since the last checkpoint. Errors: those
  // of the catalog write (the tables stay marked changed for the next call).
  Status Checkpoint();
  // Checkpoint, when kCheckpointPeriodMicros passed since the last one.
  Status CheckpointIfDue();
  // After a flush of `table`: recounts a per-user table's users from its manifests
  // (when its slices are not exact), then checkpoints.
  Status AfterFlush(const TableEntry& table);

  // ANALYZE's result: `record` (counts and columns) becomes the table's statistics and
  // `slices` (users' rows, per-user tables) its exact slices; written to the catalog.
  Status Install(const TableEntry& table, TableStatsRecord record,
                 std::vector<std::pair<std::string, int64_t>> slices);
  // Drops the side map entry of a dropped table.
  void Forget(uint32_t table_number);

 private:
  // Applies the stored record as the table's base, once.
  Status LoadBase(uint32_t table_number);

  PersistentCatalog* catalog_;
  RowCounts* counts_;
  const Clock* clock_;
  // Serializes writers of records (checkpoints, Install), which rewrite a whole record.
  std::mutex write_mu_;
  std::atomic<int64_t> last_checkpoint_micros_{0};
  mutable std::mutex analyzed_mu_;
  absl::flat_hash_map<uint32_t, std::shared_ptr<const TableStatsRecord>>
      analyzed_;  // guarded by analyzed_mu_; analyzed tables only
};

}  // namespace tenantdb
