// ValuesNode: rows of expressions (VALUES, SELECT without FROM), evaluated per execution.
#pragma once

#include <vector>

#include "sql/planner/bound_expr.h"
#include "sql/planner/plan/plan_node.h"

namespace tenantdb::sql {

struct ValuesNode final : PlanNode {
  static constexpr PlanKind kKind = PlanKind::kValues;
  ValuesNode() : PlanNode(kKind) {}
  std::vector<std::vector<BoundExprPtr>> rows;  // row-major; each row as wide as columns

  void ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const override;

 protected:
  std::string Describe() const override;
};

}  // namespace tenantdb::sql
