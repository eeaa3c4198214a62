// The benchmark programs behind `tenantdb bench ...`. Each prints human-readable notes to
// stderr and one JSON object as the last line of stdout, and returns the exit code.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace CLI {
class App;
}  // namespace CLI

namespace tenantdb::cli {

struct CatalogBenchOptions {
  size_t tables = 1'000'000;
  size_t schemas = 10;
  size_t namespaces = 100'000;
};
int RunCatalogBench(const CatalogBenchOptions& options);

struct IdsBenchOptions {
  size_t iterations = 10'000'000;
};
int RunIdsBench(const IdsBenchOptions& options);

struct CacheBenchOptions {
  size_t tables = 1'000'000;
  size_t capacity = 100'000;
  int threads = 2;
  double zipf = 1.1;
  double seconds = 5;
};
int RunCacheBench(const CacheBenchOptions& options);

struct StorageBenchOptions {
  size_t single_inserts = 2'000;
  size_t batched_rows = 500'000;
  size_t cold_rows = 10'000'000;
  size_t cold_files = 10;
  // Rows of the SHARED table compacted (bench_compact.cc): flushed, then 25% updated and
  // 25% deleted, flushed again, then compacted.
  size_t compact_rows = 1'000'000;
  std::string directory;  // empty: a fresh directory under the system temp dir
  std::string interop_dir = "tests/interop";
  bool keep = false;
};
int RunStorageBench(const StorageBenchOptions& options);

// What `bench storage` reports of compaction (bench_compact.cc).
struct CompactFigures {
  double compact_rows_per_s = 0;  // row versions read and merged per second
  uint64_t bytes_before = 0;      // the table's cold files before compaction
  uint64_t bytes_after = 0;       // and after
};
// Builds the table under `dir` and times TableStore::Compact on it.
Result<CompactFigures> MeasureCompaction(const std::string& dir, size_t rows);

struct CatalogOpenBenchOptions {
  size_t tables = 1'000'000;
  std::string directory;  // empty: a fresh directory under the system temp dir
  bool keep = false;
  bool no_flush = false;  // leave the last writes in the WAL for the open to replay
};
int RunCatalogOpenBench(const CatalogOpenBenchOptions& options);
// Adds `bench catalog-open` under `bench` (bench_catalog_open.cc).
void RegisterCatalogOpenBench(CLI::App* bench);

struct SqlBenchOptions {
  size_t users = 1000;
  size_t rows = 20'000;  // timed single-row inserts; each is synced, so keep it moderate
  size_t rows_per_user = 200;
  size_t queries = 20'000;
  size_t agg_rows = 1'000'000;
  // The messages table's primary key on both sides: "thread" = (thread_id, id), the
  // key a chat app gives tenantdb (a thread's rows are one key range); "id" = (id) alone,
  // where tenantdb scans a user's rows for recent20 and SQLite uses its secondary index.
  std::string key = "thread";
  // tenantdb's USER-table row cache (Engine::Options::user_cache_bytes); 0: off.
  size_t row_cache_mb = 64;
  std::string directory;  // empty: a fresh directory under the system temp dir, removed after
  bool keep = false;
};
int RunSqlBench(const SqlBenchOptions& options);
// Adds `bench sql` under `bench` (bench_sql.cc).
void RegisterSqlBench(CLI::App* bench);

struct LifecycleBenchOptions {
  size_t agg_rows = 1'000'000;
  size_t stream_rows = 10'000'000;
  size_t cancels = 100;
  std::string directory;  // empty: a fresh directory under the system temp dir, removed after
  bool keep = false;
};
int RunLifecycleBench(const LifecycleBenchOptions& options);
// Adds `bench lifecycle` under `bench` (bench_lifecycle.cc).
void RegisterLifecycleBench(CLI::App* bench);

struct HttpBenchOptions {
  double seconds = 5;  // per measured phase
  int rounds = 4;      // slices each phase is cut into, the two sides alternating
  int clients = 16;    // concurrent clients, each its own user
  size_t rows_per_user = 1000;
  std::string pg_bin = "/usr/lib/postgresql/15/bin";
  std::vector<std::string> serve_args;  // extra `tenantdb serve` arguments
  std::string directory;  // empty: a fresh directory under the system temp dir, removed after
  bool keep = false;
  bool only_pg = false;  // measure the PostgreSQL peer alone
  // The phases to run (insert, point, recent20, at10); a study of one line runs only it.
  std::vector<std::string> phases = {"insert", "point", "recent20", "at10"};
  bool Runs(const std::string& phase) const {
    return std::find(phases.begin(), phases.end(), phase) != phases.end();
  }
};
int RunHttpBench(const HttpBenchOptions& options);
// Adds `bench http` under `bench` (bench_http.cc).
void RegisterHttpBench(CLI::App* bench);

// Adds `bench copy` under `bench` (bench_copy.cc).
void RegisterCopyBench(CLI::App* bench);

struct LiveBenchOptions {
  // Idle phase: subscriptions opened over sockets, then memory measured.
  size_t subscriptions = 100'000;
  size_t sockets = 1000;
  // Latency phase at scale: subscriptions over sockets, each write matching one of them.
  size_t latency_subscriptions = 10'000;
  size_t latency_sockets = 100;
  // Throughput phase: subscribers of one SHARED table, every write matching all of them.
  size_t feed_subscribers = 1000;
  size_t users = 100;                   // accounts the sockets authenticate as (round robin)
  double seconds = 5;                   // per measured phase
  std::vector<std::string> serve_args;  // extra `tenantdb serve` arguments
  std::string directory;  // empty: a fresh directory under the system temp dir, removed after
  bool keep = false;
};
int RunLiveBench(const LiveBenchOptions& options);
// Adds `bench live` under `bench` (bench_live.cc).
void RegisterLiveBench(CLI::App* bench);

struct PgwireBenchOptions {
  int seconds = 20;                  // per pgbench run (-T)
  int scale = 10;                    // pgbench -s
  int clients = 16;                  // pgbench -c
  int threads = 2;                   // pgbench -j
  std::string init_steps = "dtgvp";  // pgbench -I for tenantdb (pgbench's default)
  std::string pg_bin = "/usr/lib/postgresql/15/bin";
  std::vector<std::string> serve_args;  // extra `tenantdb serve` arguments
  std::string directory;  // empty: a fresh directory under the system temp dir, removed after
  bool keep = false;
};
int RunPgwireBench(const PgwireBenchOptions& options);
// Adds `bench pgwire` under `bench` (bench_pgwire.cc).
void RegisterPgwireBench(CLI::App* bench);

// Adds `bench tpch` under `bench` (tpch/tpch_command.cc).
void RegisterTpchBench(CLI::App* bench);

}  // namespace tenantdb::cli
