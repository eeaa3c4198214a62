// Engine: one tenantdb data directory, open. Owns, in dependency order, the RocksDB
// store, the schema pool, the persistent catalog, the storages, the catalog cache, the
// table store (hot + cold rows) and the background jobs (flush policies every second,
// STREAM TTL every ten seconds, erasure of dropped tables' cold files at open, after
// every DROP and every minute, pruning of expired revoked tokens every minute, trimming
// the change log every minute) and the users' credentials (accounts.h).
//
// Layout of a data directory:
//   <dir>/rocksdb/   catalog and hot rows (kv/kv_store.h)
//   <dir>/storage/   the `local` storage's cold files (catalog/storage_registry.h)
//
// Opening is lazy (no table is read until used) and needs no configuration. Close by
// destroying the object: jobs stop after the run in progress, then everything closes.
// Thread safety: the accessors return components that are themselves thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "catalog/check_registry.h"
#include "catalog/persistent_catalog.h"
#include "catalog/schema_cache.h"
#include "catalog/schema_pool.h"
#include "catalog/storage_registry.h"
#include "common/memory_tracker.h"
#include "engine/accounts.h"
#include "engine/auto_analyzer.h"
#include "engine/change_feed.h"
#include "engine/flush_scheduler.h"
#include "engine/job_runner.h"
#include "engine/plan_cache.h"
#include "engine/relation_names.h"
#include "engine/view_registry.h"
#include "kv/kv_store.h"
#include "sql/parser/statement_cache.h"
#include "sql/planner/column_defaults.h"
#include "storage/table_store.h"
#include "tables/pg_catalog/pg_catalog_tables.h"
#include "tables/request_context.h"
#include "tables/row_locks.h"
#include "tables/system_table_provider.h"
#include "tenantdb/clock.h"

namespace tenantdb {

class Engine {
 public:
  struct Options {
    // Entries of the catalog cache (see SchemaCache::Options::capacity).
    size_t cache_capacity = 100'000;
    // Run the background jobs. Tests that drive flushes by hand turn this off.
    bool background_jobs = true;
    KvStore::Options kv;
    // Memory for USER tables' recently read rows (TableStore::Options::user_cache_bytes).
    size_t user_cache_bytes = 64 << 20;
    // TableStore::Options::user_cache_max_earned_rows.
    size_t user_cache_max_earned_rows = 65536;
    // Every clock read of the engine and the layers it owns: now(), created times, row
    // write times and STREAM TTL, ids, token expiry, flush intervals, job schedules,
    // statement timeouts (include/tenantdb/clock.h). Tests inject a ManualClock to age rows
    // at will. Not owned; must outlive the engine.
    const Clock* clock = &Clock::System();
    // Automatic compaction: a flush leaving more than this many batch files in a cold
    // directory compacts it (TableStore::Options::compact_after_files; 0: off).
    size_t compact_after_files = TableStore::Options().compact_after_files;
    // Memory one statement may hold in what it keeps whole — sort input, hash-aggregate
    // groups, hash-join build sides, DISTINCT / UNION sets, subquery and statement
    // results (common/memory_tracker.h). A statement that would pass it fails with
    // out_of_memory (53200) and changes nothing. Sessions override it with
    // `SET statement_mem = '1GB'`. Default: an eighth of physical memory (or of the
    // cgroup limit). Not more: the charge covers what the engine holds, and a client
    // that receives a whole result (the shell formats it as text) needs about as much
    // again, so a careless cross join must fail well before half the machine is gone.
    size_t statement_mem = PhysicalMemoryBytes() / 8 >> 20 << 20;  // whole MB, for SHOW
    // The same budget across every statement running on the database at once; past it
    // the statement asking for more fails with out_of_memory. Default: half of
    // physical memory. 0: no global limit.
    size_t global_mem = PhysicalMemoryBytes() / 2 >> 20 << 20;
    // A statement running longer fails with query_canceled (57014) "canceling statement
    // due to statement timeout"; sessions override it with `SET statement_timeout =
    // '5s'`. Default 0: no timeout (PostgreSQL's default).
    std::chrono::milliseconds statement_timeout{0};
    // Shortest password CREATE / ALTER USER and SetPassword accept, in characters.
    size_t min_password_length = PasswordHasher::kDefaultMinLength;
    // argon2id cost of password hashes (OWASP's recommendation; tests may lower it).
    PasswordHashParams password_hash_params = PasswordHashParams::Owasp();
    // Parsed statement texts kept for reuse (sql/parser/statement_cache.h); 0: parse
    // every time. An entry costs its text plus its tree, a few kB for most statements.
    size_t statement_cache_entries = 4096;
    // Bound SELECT and write plans kept for reuse by every session
    // (engine/plan_cache.h); 0: bind every statement. An entry costs its plan, a few kB
    // for most statements.
    size_t plan_cache_entries = 1024;
    // The change log's retention (ChangeLog::Options: a day, and 100,000 records per
    // slice, by default) and how often the "change_log_trim" job applies it.
    ChangeLog::Options changes;
    std::chrono::milliseconds change_trim_period{std::chrono::seconds(60)};
  };

  // Opens (creating if needed) the database in `directory`. A directory that cannot be
  // written, or whose disk is full, opens read-only (see kv/kv_store.h). Errors:
  // object_in_use (another process has it open: the message names it), io_error,
  // disk_full, data_corrupted.
  static Result<std::unique_ptr<Engine>> Open(const std::string& directory, Options options);
  static Result<std::unique_ptr<Engine>> Open(const std::string& directory) {
    return Open(directory, Options());
  }
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const std::string& directory() const { return directory_; }
  // The clock everything reads (Options::clock).
  const Clock& clock() const { return *clock_; }
  // Whether writes are refused for good (until a reopen): see KvStore::read_only().
  bool read_only() const { return kv_->read_only(); }
  PersistentCatalog& catalog() { return *catalog_; }
  StorageRegistry& storages() { return *storages_; }
  SchemaCache& cache() { return *cache_; }
  SchemaPool& schema_pool() { return *pool_; }
  TableStore& tables() { return *table_store_; }
  FlushScheduler& flush_scheduler() { return *flush_scheduler_; }
  AutoAnalyzer& auto_analyzer() { return *auto_analyzer_; }
  JobRunner& jobs() { return *jobs_; }
  // Users' credentials and revoked tokens.
  Accounts& accounts() { return *accounts_; }
  // The change log by table name, and its listeners (the public change API).
  ChangeFeed& change_feed() { return *change_feed_; }
  // The global_mem tracker: every running statement's tracker is its child.
  MemoryTracker& memory() { return *memory_; }
  // The RocksDB store (Database::Stats() reads its figures).
  const KvStore& kv() const { return *kv_; }
  KvStore& kv() { return *kv_; }
  // Statements running now (EngineSession counts them: from the start of a top-level
  // statement until its stream is closed). Relaxed counters: a gauge for monitoring.
  void StatementStarted() { running_statements_.fetch_add(1, std::memory_order_relaxed); }
  void StatementEnded() { running_statements_.fetch_sub(1, std::memory_order_relaxed); }
  uint64_t running_statements() const {
    return running_statements_.load(std::memory_order_relaxed);
  }
  // The defaults sessions start from (Options::statement_mem / statement_timeout).
  size_t statement_mem() const { return statement_mem_; }
  std::chrono::milliseconds statement_timeout() const { return statement_timeout_; }

  // Bumped by every DDL statement: cached plans made at an older epoch are re-bound.
  uint64_t schema_epoch() const { return schema_epoch_.load(std::memory_order_acquire); }
  void BumpSchemaEpoch() { schema_epoch_.fetch_add(1, std::memory_order_acq_rel); }

  // The views, for the binder (view_registry.h).
  ViewRegistry& views() { return *views_; }
  // Names for the binder's "did you mean" hints (relation_names.h).
  const CatalogRelationNames& relation_names() const { return *relation_names_; }

  // Parsed statements by text, shared by every session.
  sql::StatementCache& statement_cache() { return *statement_cache_; }
  // Bound SELECT plans, shared by every session.
  PlanCache& plan_cache() { return *plan_cache_; }

  // What SYSTEM tables read (catalog, cache, pool, storages, jobs, users).
  const SystemSources& system_sources() const { return system_sources_; }

  // Tables' bound DEFAULTs, one set per table version, shared by every session's
  // binder (sql/planner/column_defaults.h explains why it lives here, not in the entry).
  sql::ColumnDefaultCache& column_defaults() { return column_defaults_; }

  // Tables' CHECK constraints (catalog/check_registry.h; engine/constraint_ddl.h keeps it).
  CheckRegistry& checks() { return checks_; }

  // The row locks UPDATE and DELETE take until their transaction ends (row_locks.h).
  RowLockManager& row_locks() { return row_locks_; }

  // The jobs' tasks below return what they did, or "" when they did nothing (such
  // periodic runs are not recorded; see JobRunner).
  // Expires STREAM rows past their TTL in every STREAM table; a job runs it.
  Result<std::string> ExpireStreams();
  // Deletes dropped tables' cold files (TableStore::EraseDropped); the "erase" job runs
  // it, and DROP triggers that job.
  Result<std::string> EraseDropped();
  // Applies the change log's retention (ChangeLog::Trim); the "change_log_trim" job runs it.
  Result<std::string> TrimChanges();

 private:
  struct PrivateTag {};

 public:
  explicit Engine(PrivateTag) {}  // use Open()

 private:
  // The SchemaCache's loader: the table's provider (tables/), built from the catalog, or
  // the built-in SYSTEM table.
  SchemaCache::Loader ProviderLoader();
  SystemSources MakeSystemSources();

  std::string directory_;
  const Clock* clock_ = &Clock::System();
  std::atomic<uint64_t> schema_epoch_{0};
  std::atomic<uint64_t> running_statements_{0};
  size_t statement_mem_ = 0;
  std::chrono::milliseconds statement_timeout_{0};
  // Declared first among the owned parts: destroyed last, after anything that runs
  // statements.
  std::unique_ptr<MemoryTracker> memory_;
  std::unique_ptr<KvStore> kv_;
  std::unique_ptr<SchemaPool> pool_;
  std::unique_ptr<PersistentCatalog> catalog_;
  std::unique_ptr<Accounts> accounts_;
  std::unique_ptr<StorageRegistry> storages_;
  std::unique_ptr<SystemTables> system_tables_;
  std::unique_ptr<PgCatalogTables> pg_catalog_tables_;
  SystemSources system_sources_;
  std::unique_ptr<SchemaCache> cache_;
  std::unique_ptr<TableStore> table_store_;
  std::unique_ptr<ChangeFeed> change_feed_;
  std::unique_ptr<FlushScheduler> flush_scheduler_;
  std::unique_ptr<AutoAnalyzer> auto_analyzer_;
  std::unique_ptr<JobRunner> jobs_;
  std::unique_ptr<sql::StatementCache> statement_cache_;
  std::unique_ptr<PlanCache> plan_cache_;
  std::unique_ptr<ViewRegistry> views_;
  std::unique_ptr<CatalogRelationNames> relation_names_;
  // Last: destroyed first, releasing the schemas it holds while their pool still lives.
  sql::ColumnDefaultCache column_defaults_;
  CheckRegistry checks_;
  RowLockManager row_locks_;
};

}  // namespace tenantdb
