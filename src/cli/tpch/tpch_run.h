// One TPC-H run, shared by `tenantdb tpch check` (the correctness test) and `tenantdb
// bench tpch`: the data set (generated, or reused from a directory whose manifest has the
// same scale factor and seed), DuckDB's answers and times (tpch_duckdb.h), tenantdb loaded
// and queried (tpch_tenantdb.h) with each answer compared to DuckDB's, and optionally
// SQLite's times (tpch_sqlite.h). Each engine runs each query once, without a warmup run:
// the load has just read every table, and the figures are end-to-end latencies.
//
// Thread safety: a free function for the main thread (it starts and stops a child).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/tpch/tpch_result.h"
#include "cli/tpch/tpch_tenantdb.h"
#include "common/status.h"

namespace tenantdb::cli::tpch {

struct RunOptions {
  double sf = 0.01;
  uint64_t seed = 1;
  std::vector<int> queries;  // empty: all 22
  // The data set's directory; empty: <temp>/tenantdb-tpch-sf<sf>-seed<seed>, kept between
  // runs so later runs reuse it.
  std::string data_dir;
  // tenantdb's database, DuckDB's files, SQLite's file; empty: a fresh directory under
  // the temp dir, removed afterwards unless `keep`.
  std::string work_dir;
  bool keep = false;
  std::string interop_dir = "tests/interop";  // duckdb_tpch.mjs and node_modules
  QueryLimits limits;                         // per tenantdb query
  // Queries whose statement timeout is shorter than limits.timeout_ms (`tpch check` gives
  // the queries not expected to be correct yet 10 s: they only inform).
  std::map<int, uint64_t> timeout_ms_by_query;
  uint64_t peer_timeout_ms = 600'000;  // per SQLite query
  // STORAGE FLUSH TABLE after loading: tenantdb then scans Parquet files (cold), which is
  // faster than RocksDB rows (hot) and where a loaded table ends up.
  bool flush = true;
  bool sqlite = false;
};

struct RunReport {
  double generate_ms = 0;  // 0 when the data set was reused
  double tenantdb_load_ms = 0;
  double duckdb_load_ms = 0;
  double sqlite_load_ms = 0;
  double peak_rss_mb = 0;  // this process's, measured before SQLite runs in it
  std::map<int, QueryOutcome> tenantdb, duckdb, sqlite;
  std::map<int, std::string> diffs;  // by query: empty when tenantdb's answer matched
  bool Correct(int q) const;
};

// `progress`: human notes (to stderr) as the run goes.
Result<RunReport> RunTpch(const RunOptions& options, bool progress);

// Parses "1,3,5-7" into query numbers (1..22); empty text: all.
Result<std::vector<int>> ParseQueryList(const std::string& text);

}  // namespace tenantdb::cli::tpch
