#include "sql/planner/plan/distinct_node.h"

namespace tenantdb::sql {

std::string DistinctNode::Describe() const {
  return "Distinct";
}

void DistinctNode::ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const {
  (void)fn;
}

}  // namespace tenantdb::sql
