#include "sql/planner/plan/project_node.h"

namespace tenantdb::sql {

std::string ProjectNode::Describe() const {
  return "Project " + ExplainList(exprs);
}

void ProjectNode::ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const {
  for (const auto& e : exprs)
    fn(*e);
}

}  // namespace tenantdb::sql
