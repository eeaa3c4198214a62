// GROUPING(a, b, ...) bound over an AggregateNode's output: an INT whose bit i, counted
// from the LAST argument, is 1 when argument i is not grouped in the row's grouping set
// (PostgreSQL's definition). Cost: one comparison per grouping set per row.
#pragma once

#include <cstddef>
#include <vector>

#include "sql/planner/bound_expr.h"

namespace tenantdb::sql {

// `positions`: each argument's position among the group keys. `sets`: the node's grouping
// sets (null for a plain GROUP BY, where every key is grouped: the result is 0), whose
// row's set number the output column `set_column` holds.
BoundExprPtr MakeGroupingCall(const std::vector<std::vector<size_t>>* sets, size_t set_column,
                              const std::vector<size_t>& positions);

}  // namespace tenantdb::sql
