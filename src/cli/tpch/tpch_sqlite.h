// SqliteTpch: SQLite, the peer of `tenantdb bench tpch`, through libsqlite3's C API in
// this process: one database file with the TPC-H tables, their primary keys and an index
// on each foreign key (tpch_schema.h), loaded from the same generated files in one
// transaction and ANALYZEd, as a user setting SQLite up for these queries would. Queries
// are the standard texts translated by tpch_sqlite_dialect.h; LIKE is made
// case-sensitive (PRAGMA case_sensitive_like) as in the other engines; the page cache is
// 512 MB. A query running past its time limit is interrupted (a progress handler).
//
// Thread safety: one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "cli/tpch/tpch_files.h"
#include "cli/tpch/tpch_queries.h"
#include "cli/tpch/tpch_result.h"
#include "common/status.h"

struct sqlite3;

namespace tenantdb::cli::tpch {

class SqliteTpch {
 public:
  ~SqliteTpch();
  SqliteTpch(const SqliteTpch&) = delete;
  SqliteTpch& operator=(const SqliteTpch&) = delete;

  // Creates a fresh database at `path` (an existing file is replaced).
  static Result<std::unique_ptr<SqliteTpch>> Open(const std::string& path);

  // Creates the schema and loads every file of `manifest` from `data_dir`.
  Status Load(const std::string& data_dir, const Manifest& manifest);

  // Runs the query (already in the standard text; translated here).
  QueryOutcome Run(const QuerySql& query, uint64_t timeout_ms);

 private:
  SqliteTpch() = default;
  Status Exec(const std::string& sql);
  Status LoadFile(const std::string& table, const std::string& path);

  sqlite3* db_ = nullptr;
  double deadline_ = 0;  // NowSeconds() past which the progress handler interrupts
};

}  // namespace tenantdb::cli::tpch
