#include "sql/planner/plan/limit_node.h"

namespace tenantdb::sql {

std::string LimitNode::Describe() const {
  std::string line = "Limit";
  if (limit) line += " " + limit->ToString();
  if (offset) line += " offset " + offset->ToString();
  return line;
}

void LimitNode::ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const {
  if (limit) fn(*limit);
  if (offset) fn(*offset);
}

}  // namespace tenantdb::sql
