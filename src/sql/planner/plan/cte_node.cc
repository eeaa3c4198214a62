#include "sql/planner/plan/cte_node.h"

namespace tenantdb::sql {

std::string CteNode::Describe() const {
  return "CTE " + name + " #" + std::to_string(cte_id) + " (materialized)";
}

void CteNode::ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const {
  (void)fn;
}

}  // namespace tenantdb::sql
