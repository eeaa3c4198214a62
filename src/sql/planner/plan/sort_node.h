// SortNode: its input ordered by sort keys.
#pragma once

#include <vector>

#include "sql/planner/bound_expr.h"
#include "sql/planner/plan/plan_node.h"

namespace tenantdb::sql {

struct SortKey {
  BoundExprPtr expr;
  bool descending = false;
  bool nulls_first = false;
};

struct SortNode final : PlanNode {
  static constexpr PlanKind kKind = PlanKind::kSort;
  SortNode() : PlanNode(kKind) {}
  std::vector<SortKey> sort_keys;
  BoundExprPtr limit;  // top-N: keep only this many rows (null: all)

  void ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const override;

 protected:
  std::string Describe() const override;
};

}  // namespace tenantdb::sql
