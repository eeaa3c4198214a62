// tenantdb/stats.h: what an open Database reports about itself — caches, flush jobs,
// statements, memory and RocksDB — for monitoring (a server's GET /metrics) (public API).
//
// Counters (`_total`-like fields) only grow during the life of the Database object and
// start at zero when it is opened; gauges are the value at the moment of the call.
// Figures are read one by one with relaxed loads while the database keeps running, so a
// snapshot is not atomic across fields (a hit may be counted in `hits` before the entry
// shows in `entries`); each field on its own is exact once activity stops.
//
// Thread safety: a value.
#pragma once

#include <cstdint>
#include <vector>

namespace tenantdb {

// A distribution of durations in fixed buckets.
struct HistogramSnapshot {
  // Inclusive upper bounds of the buckets, in seconds, ascending; an implicit last bucket
  // (+Inf) follows.
  std::vector<double> upper_bounds;
  // Observations per bucket, NOT cumulative: counts[i] for upper_bounds[i - 1] < d <=
  // upper_bounds[i]; counts.size() == upper_bounds.size() + 1 (the last is +Inf).
  std::vector<uint64_t> counts;
  double sum_seconds = 0;  // of every observation
  uint64_t count() const {
    uint64_t n = 0;
    for (uint64_t c : counts)
      n += c;
    return n;
  }
};

struct DatabaseStats {
  // The catalog cache (table metadata; Database::Options::cache_capacity).
  struct CatalogCache {
    uint64_t hits = 0;
    uint64_t misses = 0;  // each one read the table's definition from the catalog
    uint64_t evictions = 0;
    uint64_t entries = 0;   // gauge
    uint64_t capacity = 0;  // gauge
  } catalog_cache;

  // Recently read users' rows of USER tables (Database::Options::user_cache_bytes).
  struct RowCache {
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t evictions = 0;
    uint64_t entries = 0;         // gauge
    uint64_t bytes = 0;           // gauge: what the entries are charged
    uint64_t capacity_bytes = 0;  // gauge; 0 when the cache is off
  } row_cache;

  // Flushes of hot rows to Parquet, one per table flushed (by a flush policy or STORAGE
  // FLUSH TABLE).
  struct Flush {
    uint64_t jobs = 0;           // finished, failed ones included
    uint64_t failed = 0;         // ended with an error
    uint64_t rows = 0;           // row versions written to Parquet
    uint64_t bytes = 0;          // Parquet bytes written
    HistogramSnapshot duration;  // of every job, failed ones included
  } flush;
  // Cold directories rewritten by compaction (automatic after a flush, or STORAGE
  // COMPACT TABLE).
  uint64_t compactions = 0;

  // Statements running now: executing, or streaming rows to an open Cursor. Gauge.
  uint64_t running_statements = 0;
  // Bytes the running statements hold in sorts, hash tables and collected results (what
  // statement_mem and global_mem limit), and global_mem itself (0: no limit). Gauges.
  uint64_t statement_memory_bytes = 0;
  uint64_t statement_memory_limit_bytes = 0;

  // RocksDB, which keeps the catalog and the hot rows in two column families.
  struct RocksFamily {
    uint64_t live_sst_bytes = 0;   // gauge: SST files of the current version
    uint64_t memtable_bytes = 0;   // gauge: active and unflushed memtables
    uint64_t estimated_keys = 0;   // gauge: RocksDB's estimate, deletes not subtracted exactly
    uint64_t write_stops = 0;      // times writes were stopped for this family
    uint64_t write_slowdowns = 0;  // times writes were slowed down for this family
  };
  RocksFamily catalog_db;
  RocksFamily rows_db;
  uint64_t write_stall_micros = 0;  // time writers waited on stalls, both families
  // Write-ahead log syncs run for deferred commits (Session::DeferCommitSync), each for
  // every such commit made while the previous one ran: commits / syncs is the group size.
  uint64_t deferred_wal_syncs = 0;
  bool writes_stopped = false;  // gauge: RocksDB is stopping writes right now

  bool read_only = false;  // gauge: Database::read_only()
};

}  // namespace tenantdb
