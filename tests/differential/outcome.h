// What one SQL statement produced on one engine, in a form both engines share, and how two
// such outcomes are compared by the differential tester (differential_test.cc).
//
// An Outcome is either an error (SQLSTATE and message) or a result: the columns (whether
// each holds approximate numbers) and the rows as PostgreSQL's text output, NULL as
// nullopt. Both engines' outcomes are built by engine_sides.cc.
//
// Comparison rules (Compare):
//   - both failed: a match, whatever the SQLSTATEs (they are reported, not judged);
//   - one failed: a mismatch;
//   - column counts differ: a mismatch;
//   - a column that either engine types as approximate (REAL, DOUBLE; also where
//     tenantdb's DOUBLE stands in for PostgreSQL's NUMERIC) compares by value with a
//     relative tolerance of 1e-9 (NaN equals NaN);
//   - a NUMERIC column compares exactly by value, ignoring trailing fractional zeros:
//     1.5 and 1.50 are equal, and which of two equal values a DISTINCT, GROUP BY or set
//     operation keeps is the engine's choice (PostgreSQL's INTERSECT keeps the smaller
//     input's); scales themselves are checked by tests/slt/cases/numeric.slt;
//   - every other column compares as text;
//   - rows compare in order when the query's ORDER BY decides the order of its output,
//     else as multisets (both sides sorted first).
//
// Thread safety: value types and pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tenantdb::differential {

using Cell = std::optional<std::string>;  // nullopt: NULL
using Row = std::vector<Cell>;

struct Outcome {
  bool ok = false;
  std::string sqlstate;           // when !ok
  std::string message;            // when !ok
  std::vector<bool> approximate;  // one per column
  std::vector<bool> decimal;      // one per column: NUMERIC
  std::vector<Row> rows;
};

// Why `a` and `b` differ, or nullopt when they match. `ordered`: compare rows in order.
std::optional<std::string> Compare(const Outcome& a, const Outcome& b, bool ordered);

// The outcome as text for a mismatch report: the error, or up to `max_rows` rows
// (tab-separated, NULL as "NULL", strings quoted when they could be mistaken).
std::string Describe(const Outcome& outcome, size_t max_rows = 40);

}  // namespace tenantdb::differential
