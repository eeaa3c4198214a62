#include "sql/planner/plan/values_node.h"

namespace tenantdb::sql {

std::string ValuesNode::Describe() const {
  return "Values " + std::to_string(rows.size()) + " row(s)";
}

void ValuesNode::ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const {
  for (const auto& row : rows)
    for (const auto& e : row)
      fn(*e);
}

}  // namespace tenantdb::sql
