// TableStatistics: what the planner knows about a table's rows, to estimate how many rows
// each plan node produces and so choose join orders and build sides. Estimates only:
// nothing may depend on them for correctness, and every field may be unknown.
//
// TableProvider::EstimateStatistics (tables/table_provider.h) returns them for the rows a
// request would read: the whole table for SHARED tables, the request user's slice for
// USER and STREAM tables (`rows`), with `table_rows` / `users` for the whole table. Plans
// are shared by every user of a statement (engine/plan_cache.h), so the planner should
// prefer the per-slice average (table_rows / users) where one user's figure would skew a
// plan others reuse; either answer is correct.
//
// Cost: the call must be cheap (no scan): counters kept on write and flush, figures
// ANALYZE stored. Thread safety: a value.
#pragma once

#include <optional>
#include <vector>

#include "tenantdb/value.h"

namespace tenantdb {

struct ColumnStatistics {
  double distinct = -1;       // distinct non-NULL values; < 0: unknown
  double null_fraction = -1;  // of rows; < 0: unknown
  std::optional<Value> min;   // smallest / largest non-NULL value, when known
  std::optional<Value> max;
};

struct TableStatistics {
  double rows = -1;        // live rows the request reads (a user's slice); < 0: unknown
  double table_rows = -1;  // live rows of every user together; < 0: unknown
  double users = -1;       // users holding rows (per-user tables); < 0: unknown
  // By column index in the table's current layout; empty: nothing known per column.
  std::vector<ColumnStatistics> columns;

  bool known() const { return rows >= 0 || table_rows >= 0; }
};

}  // namespace tenantdb
