// TenantdbTpch: tenantdb's side of the TPC-H runs — an embedded Database in a directory,
// the eight SHARED tables (tpch_schema.h) loaded with COPY ... FROM each generated file,
// and each query run on a system session under a statement timeout and memory limit
// (SET statement_timeout / statement_mem), so that a query the planner cannot yet run
// well fails with query_canceled or out_of_memory instead of hanging or killing the run.
//
// Thread safety: one thread; the object owns the Database and its session.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "cli/tpch/tpch_files.h"
#include "cli/tpch/tpch_queries.h"
#include "cli/tpch/tpch_result.h"
#include "common/status.h"
#include "tenantdb/database.h"

namespace tenantdb::cli::tpch {

struct QueryLimits {
  uint64_t timeout_ms = 60'000;
  uint64_t memory_mb = 2048;
};

class TenantdbTpch {
 public:
  // Opens (creating) a database in `db_dir`, which should be empty.
  static Result<std::unique_ptr<TenantdbTpch>> Open(const std::string& db_dir);

  // Creates the tables and loads every file of `manifest` from `data_dir` (an absolute
  // path: COPY reads it on the database's side). `flush`: then STORAGE FLUSH TABLE each,
  // so the queries read Parquet files (cold) instead of RocksDB rows (hot).
  Status Load(const std::string& data_dir, const Manifest& manifest, bool flush);

  // Runs the query's statements in order; the outcome holds the result statement's rows.
  // Statements after a failing one are skipped, except Q15's DROP VIEW, which always runs.
  QueryOutcome Run(const QuerySql& query, const QueryLimits& limits);

 private:
  TenantdbTpch() = default;
  Status Exec(const std::string& sql);

  std::unique_ptr<Database> db_;
  std::unique_ptr<Session> session_;
};

}  // namespace tenantdb::cli::tpch
