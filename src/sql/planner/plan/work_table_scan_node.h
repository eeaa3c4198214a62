// WorkTableScanNode: inside a RecursiveUnionNode's recursive term, the rows the previous
// iteration added (the RecursiveUnionNode with the same `work_table_id`); a leaf.
#pragma once

#include <string>

#include "sql/planner/plan/plan_node.h"

namespace tenantdb::sql {

struct WorkTableScanNode final : PlanNode {
  static constexpr PlanKind kKind = PlanKind::kWorkTableScan;
  WorkTableScanNode() : PlanNode(kKind) {}
  int work_table_id = -1;
  std::string name;

  void ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const override;

 protected:
  std::string Describe() const override;
};

}  // namespace tenantdb::sql
