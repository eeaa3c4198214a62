#include "sql/planner/plan/cte_scan_node.h"

namespace tenantdb::sql {

std::string CteScanNode::Describe() const {
  return "CteScan " + cte->name + " #" + std::to_string(cte->cte_id);
}

void CteScanNode::ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const {
  (void)fn;
}

}  // namespace tenantdb::sql
