// SetOpNode: UNION, INTERSECT or EXCEPT [ALL] of its two inputs (rows compared whole,
// NULLs equal).
#pragma once

#include <vector>

#include "sql/parser/ast/select.h"
#include "sql/planner/bound_expr.h"
#include "sql/planner/plan/plan_node.h"

namespace tenantdb::sql {

struct SetOpNode final : PlanNode {
  static constexpr PlanKind kKind = PlanKind::kSetOp;
  SetOpNode() : PlanNode(kKind) {}
  SetOp set_op = SetOp::kUnion;
  bool set_all = false;

  void ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const override;

 protected:
  std::string Describe() const override;
};

}  // namespace tenantdb::sql
