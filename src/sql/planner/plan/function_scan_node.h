// FunctionScanNode: a table function in FROM, one output column per row it generates.
// Today: generate_series(start, stop [, step]) over INT or BIGINT (the arguments, already
// cast to the column's type, are evaluated once per execution); a leaf.
#pragma once

#include <string>
#include <vector>

#include "sql/planner/bound_expr.h"
#include "sql/planner/plan/plan_node.h"

namespace tenantdb::sql {

struct FunctionScanNode final : PlanNode {
  static constexpr PlanKind kKind = PlanKind::kFunctionScan;
  FunctionScanNode() : PlanNode(kKind) {}
  std::string function;  // "generate_series"
  std::vector<BoundExprPtr> args;

  void ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const override;

 protected:
  std::string Describe() const override;
};

}  // namespace tenantdb::sql
