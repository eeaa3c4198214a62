// Database::Stats() (include/tenantdb/stats.h): the engine's counters and RocksDB's
// figures gathered into one DatabaseStats. Its own file so that the rest of
// public_database.cc changes without touching it.
#include "engine/public_impl.h"

namespace tenantdb {

namespace {

DatabaseStats::RocksFamily FamilyFigures(const KvStore::FamilyStats& from) {
  DatabaseStats::RocksFamily to;
  to.live_sst_bytes = from.live_sst_bytes;
  to.memtable_bytes = from.memtable_bytes;
  to.estimated_keys = from.estimated_keys;
  to.write_stops = from.write_stops;
  to.write_slowdowns = from.write_slowdowns;
  return to;
}

}  // namespace

DatabaseStats Database::Stats() const {
  Engine& engine = *impl_->engine;
  DatabaseStats stats;
  const SchemaCache::Stats catalog = engine.cache().stats();
  stats.catalog_cache.hits = catalog.hits;
  stats.catalog_cache.misses = catalog.misses;
  stats.catalog_cache.evictions = catalog.evictions;
  stats.catalog_cache.entries = catalog.entries;
  stats.catalog_cache.capacity = catalog.capacity;

  const HotUserCache::Stats rows = engine.tables().hot().user_cache_stats();
  stats.row_cache.hits = rows.hits;
  stats.row_cache.misses = rows.misses;
  stats.row_cache.evictions = rows.evictions;
  stats.row_cache.entries = rows.entries;
  stats.row_cache.bytes = rows.bytes;
  stats.row_cache.capacity_bytes = rows.capacity_bytes;

  const StorageCounters& storage = engine.tables().counters();
  stats.flush.jobs = storage.flushes.load(std::memory_order_relaxed);
  stats.flush.failed = storage.flushes_failed.load(std::memory_order_relaxed);
  stats.flush.rows = storage.flushed_rows.load(std::memory_order_relaxed);
  stats.flush.bytes = storage.flushed_bytes.load(std::memory_order_relaxed);
  stats.flush.duration = storage.flush_duration.Snapshot();
  stats.compactions = storage.compactions.load(std::memory_order_relaxed);

  stats.running_statements = engine.running_statements();
  stats.statement_memory_bytes = engine.memory().used();
  stats.statement_memory_limit_bytes = engine.memory().limit();

  const KvStore& kv = engine.kv();
  stats.catalog_db = FamilyFigures(kv.Stats(KvFamily::kCatalog));
  stats.rows_db = FamilyFigures(kv.Stats(KvFamily::kRows));
  stats.write_stall_micros = kv.WriteStallMicros();
  stats.deferred_wal_syncs = kv.DeferredWalSyncs();
  stats.writes_stopped = kv.WritesStopped();
  stats.read_only = engine.read_only();
  return stats;
}

}  // namespace tenantdb
