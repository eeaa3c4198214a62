#include "sql/planner/plan/recursive_union_node.h"

namespace tenantdb::sql {

std::string RecursiveUnionNode::Describe() const {
  return std::string(union_all ? "RecursiveUnionAll " : "RecursiveUnion ") + name +
         " (work table #" + std::to_string(work_table_id) + ")";
}

void RecursiveUnionNode::ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const {
  (void)fn;
}

}  // namespace tenantdb::sql
