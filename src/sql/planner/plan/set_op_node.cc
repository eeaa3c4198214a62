#include "sql/planner/plan/set_op_node.h"

namespace tenantdb::sql {

std::string SetOpNode::Describe() const {
  const char* name = set_op == SetOp::kUnion       ? "Union"
                     : set_op == SetOp::kIntersect ? "Intersect"
                                                   : "Except";
  return std::string(name) + (set_all ? "All" : "");
}

void SetOpNode::ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const {
  (void)fn;
}

}  // namespace tenantdb::sql
