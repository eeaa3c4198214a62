// Random tables for the differential tester: each round creates the same tables, with the
// same rows, on tenantdb and PostgreSQL.
//
// A table is `tN (id INTEGER PRIMARY KEY, <columns>)` with two to five columns of the
// types tenantdb and PostgreSQL share (INTEGER, BIGINT, NUMERIC(12,3), DOUBLE PRECISION,
// TEXT, BOOLEAN, INTERVAL, TIMESTAMP, DATE), named after their type (i1, g1, n1, d1, s1,
// b1, v1, t1, e1, ...), and zero to eight rows drawn from
// small domains (so joins match and groups repeat) with NULLs. No value is extreme: the
// generator's expressions cannot overflow, and the error probes (query_gen_probe.cc)
// bring their own limits. Doubles are multiples of 1/4 (exact in binary, so sums do not
// depend on the order rows are added in). The DDL is plain PostgreSQL;
// tenantdb makes such a table SHARED (PRIVATE), which the tester's system role reads.
//
// Thread safety: value types and pure functions.
#pragma once

#include <string>
#include <vector>

#include "random.h"

namespace tenantdb::differential {

// The numeric types come first, narrowest first: a set operation over two of them
// gives the later one (INTEGER < BIGINT < NUMERIC < DOUBLE PRECISION), as in PostgreSQL.
enum class SqlType { kInt, kBigInt, kNumeric, kDouble, kText, kBool, kInterval, kTimestamp, kDate };
inline constexpr int kSqlTypeCount = 9;

// The type's name in casts: INTEGER, BIGINT, NUMERIC, DOUBLE PRECISION, TEXT, ...
const char* SqlTypeName(SqlType type);
// The type's name in CREATE TABLE: as SqlTypeName, but NUMERIC(12,3), so that stored
// values are rounded to the column's scale on both engines.
const char* ColumnTypeName(SqlType type);
bool IsNumeric(SqlType type);

struct ColumnSpec {
  std::string name;
  SqlType type;
};

struct TableSpec {
  std::string name;
  std::vector<ColumnSpec> columns;             // columns[0] is `id`
  std::vector<std::vector<std::string>> rows;  // SQL literals, "NULL" for NULL
};

// Two to four tables t0, t1, ...
std::vector<TableSpec> GenerateSchema(Random* rng);

// DROP TABLE IF EXISTS, CREATE TABLE and one INSERT per table (no INSERT when empty).
std::vector<std::string> SchemaStatements(const std::vector<TableSpec>& tables);
// INSERT INTO t VALUES (row).
std::string InsertRow(const TableSpec& table, const std::vector<std::string>& row);
// One INSERT of rows [begin, end) of `table` (end > begin).
std::string InsertRows(const TableSpec& table, size_t begin, size_t end);

// A literal of `type` from the tables' domains (the query generator's constants).
std::string RandomLiteral(Random* rng, SqlType type);

}  // namespace tenantdb::differential
