#include "sql/planner/plan/delete_node.h"

#include "sql/planner/plan/insert_node.h"

namespace tenantdb::sql {

std::string DeleteNode::Describe() const {
  return "Delete " + table->id().ToString() + " (" + std::string(TableTypeName(table->type())) +
         ")" + DescribeReturning(returning);
}

void DeleteNode::ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const {
  for (const auto& e : returning)
    fn(*e);
}

}  // namespace tenantdb::sql
