// FilterNode: the rows of its input the predicate keeps (the optimizer folds one over a
// table scan into the scan).
#pragma once

#include <vector>

#include "sql/planner/bound_expr.h"
#include "sql/planner/plan/plan_node.h"

namespace tenantdb::sql {

struct FilterNode final : PlanNode {
  static constexpr PlanKind kKind = PlanKind::kFilter;
  FilterNode() : PlanNode(kKind) {}
  BoundExprPtr predicate;  // keeps the rows for which it is true

  void ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const override;

 protected:
  std::string Describe() const override;
};

}  // namespace tenantdb::sql
