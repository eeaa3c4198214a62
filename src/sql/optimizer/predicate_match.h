// What the optimizer's scan passes recognise in a WHERE clause's conjuncts: constants
// evaluated once per execution, `column op constant` comparisons and `column IN (...)`
// lists. Used by filter_pushdown.cc (key bounds, row-group bounds) and index_choice.cc.
// Pure functions over bound expressions; the returned pointers point into `e`.
#pragma once

#include <vector>

#include "sql/function/comparison.h"
#include "sql/planner/bound_expr.h"

namespace tenantdb::sql {

// An expression over literals and parameters only (`3 * 1000 + 1`, `$1 - 1`, `lower('X')`,
// `now() - 60`): no column of any row, no subquery, no volatile function. The scan
// evaluates it once per execution, as PostgreSQL folds constants before planning (an
// error in it, such as a division by zero, is then raised even over an empty table, as
// there).
bool IsRuntimeConstant(const BoundExpr& e);

// Whether `e` is column `column` of the current query level.
bool IsColumn(const BoundExpr& e, size_t column);

// `column op constant` (either way round, op one of = < <= > >=, both sides of one type):
// the constant and, in `*op`, the operator as if the column were on the left; else null.
const BoundExpr* MatchColumnConstant(const BoundExpr& e, size_t column, ScalarOp* op);

// `column IN (constants)` (not negated, constants of the column's type): the constants;
// else empty.
std::vector<const BoundExpr*> MatchInList(const BoundExpr& e, size_t column);

}  // namespace tenantdb::sql
