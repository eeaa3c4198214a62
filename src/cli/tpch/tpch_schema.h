// The TPC-H schema (specification clause 1.4) as each engine of `bench tpch` declares it:
//   tenantdb  SHARED tables with the specification's primary keys; NUMERIC(15,2) for
//             money, DATE, INTEGER keys, VARCHAR(n)/CHAR(n) (stored as TEXT)
//   DuckDB    the same columns and types, no constraints (DuckDB's own TPC-H setup)
//   SQLite    the primary keys plus an index on each foreign key — the indexes a user
//             would create; money as DOUBLE (REAL affinity: SQLite has no decimal type)
//             and dates as ISO text, which compare correctly as strings
// Columns are listed in the order of the generated files (tpch_files.h).
//
// Thread safety: immutable data.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tenantdb::cli::tpch {

enum class Dialect { kTenantdb, kDuckdb, kSqlite };

// The eight tables in load order (referenced tables first).
const std::vector<std::string_view>& TableNames();

// CREATE TABLE (and for SQLite CREATE INDEX) statements for every table.
std::vector<std::string> SchemaStatements(Dialect dialect);

// SQLite's declared type of each column of `table`, in order: 'i' integer, 'm' money
// (double), 't' text or date — how tpch_sqlite.cc binds the fields it reads.
std::string SqliteColumnKinds(std::string_view table);

}  // namespace tenantdb::cli::tpch
