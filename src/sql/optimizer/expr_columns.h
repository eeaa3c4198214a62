// What the join planner and predicate pushdown ask of a bound expression: which input
// columns it reads, how to move it to another input layout, whether it may be moved at
// all, and whether it rejects rows whose columns from one side of an outer join are NULL.
// Pure functions over bound expressions; only references of the current query level
// (outer_level 0) are input columns, correlated references are left as they are.
#pragma once

#include <cstddef>
#include <vector>

#include "sql/planner/bound_expr.h"

namespace tenantdb::sql {

// Adds `delta` to every current-level column reference of `e`.
void ShiftColumns(BoundExpr& e, std::ptrdiff_t delta);
// Replaces every current-level column reference c of `e` by map[c] (which must be set).
void RemapColumns(BoundExpr& e, const std::vector<size_t>& map);
// `e` with every current-level column reference i replaced by a copy of exprs[i]: a
// predicate over a projection's output rewritten over its input.
BoundExprPtr SubstituteColumns(const BoundExpr& e, const std::vector<BoundExprPtr>& exprs);

// Whether `e` may be evaluated at another place in the plan, on other rows or another
// number of times, without changing the result: no subquery (its correlated references
// point at the node's input layout, and its errors and cost belong where it was written)
// and no volatile function (random(), nextval-likes, snowflake_id(): each evaluation
// counts).
bool Movable(const BoundExpr& e);

// Whether every current-level column of `e` lies in [begin, end) (true when it reads
// none).
bool ColumnsWithin(const BoundExpr& e, size_t begin, size_t end);
// Whether `e` reads some current-level column in [begin, end).
bool ReadsColumnIn(const BoundExpr& e, size_t begin, size_t end);

// Whether the predicate `e` is never TRUE for a row whose columns [begin, end) are all
// NULL, e.g. `b.x = 5`, `b.x + 1 > a.y`, `b.x IS NOT NULL`, `b.x > 0 OR b.y > 0`; a
// WHERE conjunct that rejects the NULL-extended rows of an outer join's nullable side
// turns the join into an inner one. Conservative: false when unsure (CASE, COALESCE,
// non-strict functions, IS NULL, IS DISTINCT FROM).
bool RejectsNulls(const BoundExpr& e, size_t begin, size_t end);

// `left = right` as a boolean expression.
BoundExprPtr MakeEquality(BoundExprPtr left, BoundExprPtr right);

}  // namespace tenantdb::sql
