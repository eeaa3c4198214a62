#include "sql/planner/plan/update_node.h"

#include "sql/planner/plan/insert_node.h"

namespace tenantdb::sql {

std::string UpdateNode::Describe() const {
  return "Update " + table->id().ToString() + " (" + std::string(TableTypeName(table->type())) +
         ")" + DescribeAssignments(*table, sets) + DescribeReturning(returning);
}

void UpdateNode::ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const {
  for (const auto& [column, e] : sets)
    fn(*e);
  for (const auto& e : returning)
    fn(*e);
}

}  // namespace tenantdb::sql
