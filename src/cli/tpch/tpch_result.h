// QueryOutcome: one engine's answer to one TPC-H query, as text cells, and the comparison
// of two answers that decides whether a query is correct (tenantdb's against DuckDB's).
//
// Cells are each engine's text form of the value (NULL is "\N"). Two answers match when
// they have the same number of rows and columns and, row by row in order (every query
// that returns more than one row orders it), each pair of cells matches: equal text, or
// both numbers within the specification's precision — an absolute difference below 0.005
// (decimals are compared to two places) or a relative one of at most 1e-6 (averages and
// ratios, which engines compute to different numbers of digits).
//
// Thread safety: value types.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace tenantdb::cli::tpch {

struct QueryOutcome {
  bool ok = false;
  std::string error;  // when !ok: the engine's message (or that it timed out)
  double ms = 0;      // wall time of all the query's statements
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

inline constexpr const char* kNullCell = "\\N";

// Records how the query ended: ok, or failed with `status`'s message and no rows.
void SetOutcomeStatus(const Status& status, QueryOutcome* out);

// Whether two cells match (see above).
bool CellsMatch(const std::string& expected, const std::string& actual);

// An empty string when `actual` matches `expected`, else a short description of the
// first differences (at most `max_lines` lines), for a person reading a test log.
std::string DiffOutcomes(const QueryOutcome& expected, const QueryOutcome& actual,
                         size_t max_lines = 8);

}  // namespace tenantdb::cli::tpch
