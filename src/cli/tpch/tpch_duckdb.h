// DuckDB, the reference and the peer of the TPC-H runs: a Node child process running
// tests/interop/duckdb_tpch.mjs (npm @duckdb/node-api, installed by `npm ci --prefix
// tests/interop`) that loads the same generated files, runs the same query texts with one
// thread, and writes its answers and timings to a file this side parses.
//
// Thread safety: a free function; the child is always stopped before it returns.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cli/tpch/tpch_queries.h"
#include "cli/tpch/tpch_result.h"
#include "common/status.h"

namespace tenantdb::cli::tpch {

struct DuckDbRun {
  double load_ms = 0;
  std::map<int, QueryOutcome> outcomes;  // by query number
};

// Runs `queries` in DuckDB over the data set in `data_dir` (absolute). `work_dir` (made
// if missing) receives the schema, the query files, the answers and node's log.
// `interop_dir` holds duckdb_tpch.mjs and its node_modules. Fails when node is missing,
// exits with an error or runs past `timeout_s`.
Result<DuckDbRun> RunDuckDb(const std::string& interop_dir, const std::string& data_dir,
                            const std::string& work_dir, const std::vector<QuerySql>& queries,
                            uint64_t timeout_s);

}  // namespace tenantdb::cli::tpch
