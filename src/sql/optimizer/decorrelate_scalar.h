// Correlated scalar subqueries over an aggregate (TPC-H Q2, Q17, Q20:
// `x < (SELECT 0.2 * avg(q) FROM t WHERE t.k = outer.k)`) as a LEFT join of the outer
// rows with the aggregate grouped by the correlation's inner sides, computed once
// instead of once per outer row. decorrelate.cc applies it to WHERE conjuncts.
//
// Only when it is exact: every correlated conjunct is `inner expression = outer
// expression` of one type, the aggregate has no GROUP BY / HAVING, and the select list
// reads the aggregates alone. A group without rows has no join partner, so the LEFT join
// gives NULL for every aggregate — what the subquery over no rows gives, except for
// COUNT, which it gives as 0: the select list reads COALESCE(count, 0) instead (the COUNT
// bug), so any select list over the aggregates keeps its value.
#pragma once

#include <optional>
#include <vector>

#include "sql/optimizer/subquery_pullup.h"
#include "sql/planner/bound_expr.h"
#include "sql/planner/logical_plan.h"

namespace tenantdb::sql {

// What AnalyzeScalar found: enough to commit without checking again.
struct ScalarAnalysis {
  AggregateNode* aggregate = nullptr;
  BoundExprPtr value;  // the select list over the aggregate's columns
  PulledSubquery pulled;
  // Per correlated conjunct: which side (0 or 1) is the inner one.
  std::vector<int> inner_side;
};

// The analysis of `sub` when it is a decorrelatable scalar subquery (nothing changes).
std::optional<ScalarAnalysis> AnalyzeScalar(const BoundExpr& sub);

// The join that replaces the subquery.
struct ScalarJoin {
  // Aggregate over the subquery's rows grouped by the inner sides: the keys, then the
  // aggregates.
  PlanPtr right;
  std::vector<BoundExprPtr> left_keys;  // the outer sides, over the outer query's row
  BoundExprPtr value;                   // the subquery's value over `right`'s columns
};

// Takes the analysed subquery's plan apart (the subquery expression must then be
// dropped).
ScalarJoin CommitScalar(ScalarAnalysis analysis);

}  // namespace tenantdb::sql
