#include "sql/planner/plan/join_node.h"

namespace tenantdb::sql {

std::string JoinNode::Describe() const {
  std::string line = left_keys.empty() ? "NestedLoopJoin" : "HashJoin";
  if (lateral) line += " LATERAL";
  line += join_type == JoinType::kLeft   ? " LEFT"
          : join_type == JoinType::kFull ? " FULL"
                                         : " INNER";
  for (size_t i = 0; i < left_keys.size(); ++i) {
    line += (i == 0 ? " on " : " AND ") + left_keys[i]->ToString() + " = right." +
            right_keys[i]->ToString();
  }
  if (condition) line += " filter " + condition->ToString();
  return line;
}

void JoinNode::ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const {
  for (const auto& e : left_keys)
    fn(*e);
  for (const auto& e : right_keys)
    fn(*e);
  if (condition) fn(*condition);
}

}  // namespace tenantdb::sql
