#include "sql/planner/plan/filter_node.h"

namespace tenantdb::sql {

std::string FilterNode::Describe() const {
  return "Filter " + predicate->ToString();
}

void FilterNode::ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const {
  fn(*predicate);
}

}  // namespace tenantdb::sql
