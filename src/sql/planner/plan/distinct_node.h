// DistinctNode: its input's rows with duplicates removed.
#pragma once

#include <vector>

#include "sql/planner/bound_expr.h"
#include "sql/planner/plan/plan_node.h"

namespace tenantdb::sql {

struct DistinctNode final : PlanNode {
  static constexpr PlanKind kKind = PlanKind::kDistinct;
  DistinctNode() : PlanNode(kKind) {}

  void ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const override;

 protected:
  std::string Describe() const override;
};

}  // namespace tenantdb::sql
