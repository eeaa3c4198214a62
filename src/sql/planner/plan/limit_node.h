// LimitNode: LIMIT / OFFSET (expressions evaluated once per execution) over its input.
#pragma once

#include <vector>

#include "sql/planner/bound_expr.h"
#include "sql/planner/plan/plan_node.h"

namespace tenantdb::sql {

struct LimitNode final : PlanNode {
  static constexpr PlanKind kKind = PlanKind::kLimit;
  LimitNode() : PlanNode(kKind) {}
  BoundExprPtr limit;   // null: no LIMIT
  BoundExprPtr offset;  // null: no OFFSET

  void ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const override;

 protected:
  std::string Describe() const override;
};

}  // namespace tenantdb::sql
