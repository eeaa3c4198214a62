#include "sql/planner/plan/distinct_node.h"

namespace tenantdb::sql {

std::string DistinctNode::Describe() const {
  if (key_columns.empty()) return "Distinct";
  std::string line = "Distinct on (";
  for (size_t i = 0; i < key_columns.size(); ++i)
    line += (i > 0 ? ", #" : "#") + std::to_string(key_columns[i]);
  return line + ")";
}

void DistinctNode::ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const {
  (void)fn;
}

}  // namespace tenantdb::sql
