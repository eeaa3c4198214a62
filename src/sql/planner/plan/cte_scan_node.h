// CteScanNode: reads the rows of a common table expression (`cte`, shared by every scan of
// the same WITH item); a leaf (the CTE is its shared_input(), not a child).
#pragma once

#include <memory>
#include <string>

#include "sql/planner/plan/cte_node.h"

namespace tenantdb::sql {

struct CteScanNode final : PlanNode {
  static constexpr PlanKind kKind = PlanKind::kCteScan;
  CteScanNode() : PlanNode(kKind) {}
  std::shared_ptr<CteNode> cte;

  PlanNode* shared_input() const override { return cte.get(); }
  void ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const override;

 protected:
  std::string Describe() const override;
};

}  // namespace tenantdb::sql
