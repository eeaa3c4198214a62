#include "sql/planner/plan/sort_node.h"

namespace tenantdb::sql {

std::string SortNode::Describe() const {
  std::string line = limit ? "TopN " : "Sort ";
  for (size_t i = 0; i < sort_keys.size(); ++i) {
    line += (i > 0 ? ", " : "") + sort_keys[i].expr->ToString() +
            (sort_keys[i].descending ? " DESC" : "");
  }
  if (limit) line += " limit " + limit->ToString();
  return line;
}

void SortNode::ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const {
  for (const SortKey& k : sort_keys)
    fn(*k.expr);
  if (limit) fn(*limit);
}

}  // namespace tenantdb::sql
