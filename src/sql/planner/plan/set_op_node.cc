#include "sql/planner/plan/set_op_node.h"

namespace tenantdb::sql {

std::string SetOpNode::Describe() const {
  return set_all ? "UnionAll" : "Union";
}

void SetOpNode::ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const {
  (void)fn;
}

}  // namespace tenantdb::sql
