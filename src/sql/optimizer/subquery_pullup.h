// Taking a subquery's plan apart so that its rows can feed a join instead of being
// re-run per outer row (decorrelate.cc, decorrelate_scalar.cc): the outer references of a
// subquery live, if it can be decorrelated, only in conjuncts of one Filter; the plan
// below that Filter reads nothing of the outer row and becomes a join's right input, and
// those conjuncts, rewritten over (outer row, subquery row), become the join condition.
//
// The functions check before they change anything: when they return false or nullopt
// the plan is as it was. Pure functions over the optimizer's own plan.
#pragma once

#include <optional>
#include <vector>

#include "sql/planner/bound_expr.h"
#include "sql/planner/logical_plan.h"

namespace tenantdb::sql {

// Whether `e` reads a column of a query more than `depth` levels above it (its nested
// subqueries' plans included).
bool ExprReferencesOuter(const BoundExpr& e, int depth);
// The same for every expression of `plan` and its children (a LATERAL join's right
// input one level deeper).
bool PlanRefersOuter(const PlanNode& plan, int depth);
// Whether `e` / `plan` calls a volatile function (random(), now(), ...) anywhere: such a
// subquery stays as it is, evaluated per outer row.
bool ExprHasVolatile(const BoundExpr& e);
bool PlanHasVolatile(const PlanNode& plan);

// The node under the projections, sorts and plain DISTINCTs at the top of a subquery
// plan (none of which changes which values a subquery yields for EXISTS or IN), as the
// slot in its parent that owns it, with the select list as expressions over that node's
// columns in `*exprs` (clones). With `only_project`, only projections are looked through
// (a scalar subquery). Null when `top` itself is not one of those.
PlanPtr* PeelOutput(PlanNode* top, bool only_project, std::vector<BoundExprPtr>* exprs);

// A subquery's rows, split from its outer references.
struct PulledSubquery {
  // The conjuncts of the Filter that referenced the outer row, over the Filter's input
  // with outer references still as written (level 1: the outer row).
  std::vector<BoundExprPtr> correlated;
  // The Filter's other conjuncts (stay below the join).
  std::vector<BoundExprPtr> local;
};

// Splits `node` (the node under PeelOutput) when it is a Filter whose conjuncts alone
// refer to the outer query, at level 1 or deeper but without subqueries, and whose input
// refers to no outer query; or when `node` refers to no outer query at all (nothing
// correlated). Nullopt otherwise, and for volatile functions anywhere.
std::optional<PulledSubquery> SplitCorrelation(const PlanNode& node);

// The rows the node in `slot` yields once split (SplitCorrelation): the Filter's input
// under a Filter of the local conjuncts; the node itself when nothing was correlated.
// Moves out of the slot and pulled->local (pulled->correlated stays for the caller).
PlanPtr TakeSubqueryRows(PlanPtr* slot, PulledSubquery* pulled);

// `e`, a conjunct of the subquery (its columns level 0, the outer row level 1), rewritten
// over a join row of the outer query's row (left, `left_width` columns) and the
// subquery's row (right): level 0 -> right + left_width, level 1 -> left, level n ->
// level n - 1.
void RebaseForJoin(BoundExpr* e, size_t left_width);

// `a = b` (boolean).
BoundExprPtr MakeEqual(BoundExprPtr a, BoundExprPtr b);

}  // namespace tenantdb::sql
