// DistinctNode: its input's rows with duplicates removed: the first row of each distinct
// value of `key_columns` (DISTINCT ON, over sorted input), or of the whole row.
#pragma once

#include <vector>

#include "sql/planner/bound_expr.h"
#include "sql/planner/plan/plan_node.h"

namespace tenantdb::sql {

struct DistinctNode final : PlanNode {
  static constexpr PlanKind kKind = PlanKind::kDistinct;
  DistinctNode() : PlanNode(kKind) {}
  std::vector<size_t> key_columns;  // DISTINCT ON's columns; empty: every column

  void ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const override;

 protected:
  std::string Describe() const override;
};

}  // namespace tenantdb::sql
