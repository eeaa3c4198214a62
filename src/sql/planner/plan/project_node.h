// ProjectNode: one expression per output column over each input row.
#pragma once

#include <vector>

#include "sql/planner/bound_expr.h"
#include "sql/planner/plan/plan_node.h"

namespace tenantdb::sql {

struct ProjectNode final : PlanNode {
  static constexpr PlanKind kKind = PlanKind::kProject;
  ProjectNode() : PlanNode(kKind) {}
  std::vector<BoundExprPtr> exprs;  // one per output column

  void ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const override;

 protected:
  std::string Describe() const override;
};

}  // namespace tenantdb::sql
