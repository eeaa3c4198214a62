// FlushScheduler: applies tables' FLUSH_POLICY ('rows:N', 'interval:S', or both).
//
// Writers report how many rows they wrote to a table (RecordWrites); the background job
// (a JobRunner task calling CheckAndFlush about once a second) flushes a table when N
// rows were written since its last flush, or when S seconds have passed since then and
// it has unflushed writes. STORAGE FLUSH TABLE goes straight to TableStore::Flush and
// then tells the scheduler (Flushed) so the counters restart.
//
// The counts live in memory. Rows written before a restart are counted by the first
// check of a process (TableStore::CountHotRows, one pass over the hot keys, in the job
// rather than in Engine::Open, so opening stays fast): a table over its threshold at
// open flushes without waiting for new writes, and an interval runs from the open.
// Policies are read from the SchemaCache at every check, so ALTER TABLE takes effect
// without re-registering anything.
//
// Each check also checkpoints the tables' row counts when they are due
// (TableStatisticsStore::CheckpointIfDue), so the counts of tables that are written
// but rarely flushed survive a restart too.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "catalog/schema_cache.h"
#include "storage/table_store.h"
#include "tenantdb/clock.h"

namespace tenantdb {

class FlushScheduler {
 public:
  // Intervals are measured on `clock`'s monotonic reading. Every pointer must outlive this.
  FlushScheduler(SchemaCache* cache, TableStore* store, const Clock* clock = &Clock::System());

  // Runs after every flush, automatic or manual (engine/auto_analyzer.h). Set before the
  // background job starts.
  void OnFlushed(std::function<void(const TableEntry&)> listener) {
    on_flushed_ = std::move(listener);
  }

  void RecordWrites(const TableEntry& table, uint64_t rows);
  // After a manual flush of `table`.
  void Flushed(const TableEntry& table);
  // Flushes every table whose policy says so; returns a summary for the job record,
  // empty when no table was due (JobRunner records no such periodic run).
  // Errors of one table do not stop the others; the first is returned after all ran.
  // The first call also counts the hot rows left from before this process (retried by
  // the next call if it fails).
  Result<std::string> CheckAndFlush();

 private:
  struct Pending {
    TableId id;
    uint64_t rows = 0;
    int64_t since_micros = 0;  // last flush, or first write after it (monotonic)
  };
  // Adds the hot rows already stored to the counts (see the header comment).
  Status CountRowsFromBeforeOpen();

  SchemaCache* cache_;
  TableStore* store_;
  std::mutex count_mu_;  // held while counting the stored rows
  std::atomic<bool> counted_stored_rows_{false};
  const Clock* const clock_;
  std::mutex mu_;
  absl::flat_hash_map<uint32_t, Pending> pending_;  // by table number
  std::function<void(const TableEntry&)> on_flushed_;
};

}  // namespace tenantdb
