#include "sql/planner/plan/join_node.h"

namespace tenantdb::sql {

namespace {

const char* JoinTypeText(JoinType type) {
  switch (type) {
    case JoinType::kLeft:
      return " LEFT";
    case JoinType::kFull:
      return " FULL";
    case JoinType::kSemi:
      return " SEMI";
    case JoinType::kAnti:
      return " ANTI";
    case JoinType::kAntiNullAware:
      return " ANTI (null-aware)";
    default:
      return " INNER";
  }
}

}  // namespace

std::string JoinNode::Describe() const {
  const bool hashed = !left_keys.empty() || null_aware_left != nullptr;
  std::string line = index_probe ? "IndexNestedLoopJoin" : hashed ? "HashJoin" : "NestedLoopJoin";
  if (lateral) line += " LATERAL";
  line += JoinTypeText(join_type);
  if (hash_left && !index_probe) line += " (left hashed)";
  if (index_probe) {
    // "using primary key (id) = (#2)": the right table's key columns and the left values.
    std::string columns, values;
    for (size_t pair : index_probe->key_pairs) {
      const BoundExpr& right = *right_keys[pair];
      columns += (columns.empty() ? "" : ", ") + children[1]->columns[right.column].name;
      values += (values.empty() ? "" : ", ") + left_keys[pair]->ToString();
    }
    line += index_probe->index ? " using index " + index_probe->index->name : " using primary key";
    line += " (" + columns + ") = (" + values + ")";
  }
  for (size_t i = 0; i < left_keys.size(); ++i) {
    line += (i == 0 ? " on " : " AND ") + left_keys[i]->ToString() + " = right." +
            right_keys[i]->ToString();
  }
  if (null_aware_left) {
    line += std::string(left_keys.empty() ? " on " : " AND ") + null_aware_left->ToString() +
            " = right." + null_aware_right->ToString();
  }
  if (condition) line += " filter " + condition->ToString();
  return line;
}

void JoinNode::ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const {
  for (const auto& e : left_keys)
    fn(*e);
  for (const auto& e : right_keys)
    fn(*e);
  if (null_aware_left) fn(*null_aware_left);
  if (null_aware_right) fn(*null_aware_right);
  if (condition) fn(*condition);
}

}  // namespace tenantdb::sql
