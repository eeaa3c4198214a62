// JoinNode: children[0] (left) joined with children[1] (right), INNER, LEFT or FULL
// (RIGHT is bound as LEFT with the sides swapped); equi keys use a hash join, the residual
// condition is checked on each joined row.
#pragma once

#include <vector>

#include "sql/parser/ast/select.h"
#include "sql/planner/bound_expr.h"
#include "sql/planner/plan/plan_node.h"

namespace tenantdb::sql {

struct JoinNode final : PlanNode {
  static constexpr PlanKind kKind = PlanKind::kJoin;
  JoinNode() : PlanNode(kKind) {}
  JoinType join_type = JoinType::kInner;
  // left_keys[i] = right_keys[i] (right keys over the right input's columns): a hash
  // join; set by the optimizer from the condition.
  std::vector<BoundExprPtr> left_keys;
  std::vector<BoundExprPtr> right_keys;
  BoundExprPtr condition;  // the rest, over left columns then right ones; null when none
  // LATERAL: the right input refers to the left row (as outer level 1), so it is run
  // again for each left row (a nested loop; never hash keys).
  bool lateral = false;

  void ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const override;

 protected:
  std::string Describe() const override;
};

}  // namespace tenantdb::sql
