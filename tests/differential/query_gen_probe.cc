// Error probes: statements whose every row reaches one risky expression, so that an
// engine that fails (integer overflow, division by zero, out-of-range casts, bad function
// arguments) must fail on both. Elsewhere the generator avoids raising errors: SQL does
// not say for which rows an expression is evaluated (PostgreSQL folds constants, stops at
// a LIMIT, skips a join's inner side), so an error there may rightly be raised by one
// engine only. A probe is `SELECT a0.id, <expr> FROM t AS a0` (every row is evaluated on
// both), or a constant expression without FROM (folded or evaluated, it fails on both).
#include <string>

#include "query_gen.h"

namespace tenantdb::differential {

namespace {

// Templates: {I} and {J} are INTEGER columns ({J} may be `id`), {G} a BIGINT, {D} a
// DOUBLE and {N} a NUMERIC expression, {S} a TEXT column.
const std::vector<std::string> kRowProbes = {
    "({I} + 2147483647)",
    "({I} - 2147483647)",
    "({I} * 1073741824)",
    "(2147483647 * {I})",
    "({I} * {I} * 65536)",
    "(- (CAST(-2147483648 AS INTEGER) + {I} - {I}))",
    "abs(CAST(-2147483648 AS INTEGER) + {I} - {I})",
    "(CAST(-2147483648 AS INTEGER) / ({I} - {I} - 1))",
    "(CAST(-2147483648 AS INTEGER) % ({I} - {I} - 1))",
    "({I} / {J})",
    "({J} / {I})",
    "({I} % {J})",
    "mod({J}, {I})",
    "({G} * 9223372036854775807)",
    "({G} + 9223372036854775807)",
    "({G} - 9223372036854775807 - 2)",
    "({G} * 4611686018427387904)",
    "({G} / ({I} - {I}))",
    "((CAST(-9223372036854775807 AS BIGINT) - 1) / ({G} - {G} - 1))",
    "CAST({G} * 3000000000 AS INTEGER)",
    "CAST({I} * CAST(1000000000 AS BIGINT) AS INTEGER)",
    "CAST({D} * CAST(1e10 AS DOUBLE PRECISION) AS INTEGER)",
    "CAST(floor({D}) AS INTEGER)",
    "CAST(trunc({D}) AS BIGINT)",
    "CAST({D} * CAST(1e19 AS DOUBLE PRECISION) AS BIGINT)",
    "({D} / CAST({I} AS DOUBLE PRECISION))",
    "({D} / ({D} - {D}))",
    "sqrt({D})",
    "sqrt(CAST({I} AS DOUBLE PRECISION))",
    "exp({D} * CAST(100 AS DOUBLE PRECISION))",
    "power({D}, CAST(400 AS DOUBLE PRECISION))",
    "substr({S}, 1, {I})",
    "substr({S}, {I}, {J})",
    "repeat({S}, {I})",
    "lpad({S}, {I})",
    "rpad({S}, {I}, 'xy')",
    "left({S}, {I})",
    "right({S}, {I})",
    "split_part({S}, 'a', {I})",
    "chr({I} + 64)",
    "CAST({S} AS INTEGER)",
    "CAST(CAST({I} AS TEXT) AS INTEGER)",
    "CAST(CAST({D} AS TEXT) AS DOUBLE PRECISION)",
    "CAST(CAST({I} AS TEXT) || '0000000000' AS INTEGER)",
    "sum({I} * 1073741824)",
    "sum({G})",  // (no sum past BIGINT: PostgreSQL sums BIGINTs as NUMERIC)
    "({N} / {I})",
    "({N} % ({N} - {N}))",
    "CAST({N} * 1000 AS NUMERIC(5,2))",
    "CAST({N} AS NUMERIC(3,2))",
    "CAST({N} * 1000000000 AS INTEGER)",
    "CAST(CAST({N} AS TEXT) AS NUMERIC(4,1))",
    "(INTERVAL '1 day' / {I})",
    "(INTERVAL '1 mon' * ({I} + 2147483600))",
    "(DATE '2024-01-31' + {I} * 1000000000)",
    "(TIMESTAMP '294200-01-01 00:00:00' + {I} * INTERVAL '100 years')",
};

const std::vector<std::string> kConstantProbes = {
    "2147483647 + 1",
    "(-2147483647) - 2",
    "CAST(-2147483648 AS INTEGER) / (-1)",
    "CAST(-2147483648 AS INTEGER) % (-1)",
    "CAST(-2147483648 AS INTEGER) * (-1)",
    "9223372036854775807 + 1",
    "CAST(-9223372036854775807 AS BIGINT) - 2",
    "(CAST(-9223372036854775807 AS BIGINT) - 1) / (-1)",
    "1 / 0",
    "1 % 0",
    "CAST(1 AS BIGINT) / 0",
    "CAST(1 AS DOUBLE PRECISION) / 0",
    "abs(CAST(-2147483648 AS INTEGER))",
    "CAST(3000000000 AS INTEGER)",
    "CAST(CAST(1e300 AS DOUBLE PRECISION) AS BIGINT)",
    "CAST(CAST(2147483647.5 AS DOUBLE PRECISION) AS INTEGER)",
    "CAST('2147483648' AS INTEGER)",
    "CAST(' 12 ' AS INTEGER)",
    "CAST('1e3' AS INTEGER)",
    "CAST('abc' AS BOOLEAN)",
    "CAST('yes' AS BOOLEAN)",
    "substr('abc', 2, -1)",
    "repeat('ab', -1)",
    "split_part('a,b', ',', 0)",
    "sqrt(CAST(-1 AS DOUBLE PRECISION))",
    "chr(0)",
    "1.5 / 0",
    "mod(1.5, 0.0)",
    "CAST(12345.678 AS NUMERIC(5,2))",
    "CAST(999.995 AS NUMERIC(5,2))",
    "CAST('1.2.3' AS NUMERIC)",
    "CAST(' 12.50 ' AS NUMERIC)",
    "CAST('1e3' AS NUMERIC)",
    "CAST(CAST(1e300 AS DOUBLE PRECISION) AS NUMERIC(10,2))",
    "round(2.5) + round(-2.5) + round(0.125, 2)",
    "CAST('1 fortnight' AS INTERVAL)",
    "CAST('P1Y2M3DT4H5M6S' AS INTERVAL)",
    "CAST('-1 year +2 days -03:00' AS INTERVAL)",
    "INTERVAL '1 day' / 0",
    "CAST('2024-02-30' AS DATE)",
    "CAST('2024-02-29 24:00:00' AS TIMESTAMP)",
    "DATE '2024-01-31' + INTERVAL '1 month'",
    "TIMESTAMP '2024-01-31 00:00:00' - INTERVAL '1 mon 1 day'",
    "age(TIMESTAMP '2024-03-01', TIMESTAMP '2023-01-31 12:00:00')",
};

void Replace(std::string* text, const std::string& from, const std::string& to) {
  for (size_t at = text->find(from); at != std::string::npos; at = text->find(from, at)) {
    text->replace(at, from.size(), to);
    at += to.size();
  }
}

}  // namespace

GeneratedQuery QueryGenerator::GenerateProbe() {
  if (rng_->Chance(0.15)) {
    return GeneratedQuery{"SELECT " + rng_->Pick(kConstantProbes) + " AS x0", false};
  }
  const TableSpec& table = (*tables_)[rng_->Below(tables_->size())];
  Scope scope;
  for (const ColumnSpec& column : table.columns)
    scope.columns.push_back({"a0." + column.name, column.type});
  std::string i = ColumnOf(SqlType::kInt, scope);
  if (i == "a0.id") i = ColumnOf(SqlType::kInt, scope);  // prefer a column with zeros, NULLs
  const std::string j = ColumnOf(SqlType::kInt, scope);
  std::string g = ColumnOf(SqlType::kBigInt, scope);
  if (g.empty()) g = "CAST(" + i + " AS BIGINT)";
  std::string d = ColumnOf(SqlType::kDouble, scope);
  if (d.empty()) d = "CAST(" + i + " AS DOUBLE PRECISION)";
  const std::string s = ColumnOf(SqlType::kText, scope);
  std::string n = ColumnOf(SqlType::kNumeric, scope);
  if (n.empty()) n = "(CAST(" + i + " AS NUMERIC) + 0.25)";
  std::string expr = rng_->Pick(kRowProbes);
  Replace(&expr, "{I}", i);
  Replace(&expr, "{J}", j);
  Replace(&expr, "{G}", g);
  Replace(&expr, "{D}", d);
  Replace(&expr, "{S}", s);
  Replace(&expr, "{N}", n);
  const bool aggregate = expr.rfind("sum(", 0) == 0;
  std::string sql =
      aggregate ? "SELECT " + expr + " AS x0" : "SELECT a0.id AS x0, " + expr + " AS x1";
  sql += " FROM " + table.name + " AS a0";
  if (rng_->Chance(0.2)) sql += " WHERE a0.id <> " + std::to_string(rng_->Between(1, 6));
  return GeneratedQuery{sql, false};
}

}  // namespace tenantdb::differential
