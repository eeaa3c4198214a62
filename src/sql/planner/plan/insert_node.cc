#include "sql/planner/plan/insert_node.h"

namespace tenantdb::sql {

std::string DescribeReturning(const std::vector<BoundExprPtr>& returning) {
  return returning.empty() ? "" : " returning " + ExplainList(returning);
}

std::string DescribeAssignments(const TableEntry& table,
                                const std::vector<std::pair<size_t, BoundExprPtr>>& sets) {
  std::string s;
  for (const auto& [column, value] : sets) {
    s += (s.empty() ? " set " : ", ") + table.schema()->field(column).name + " = " +
         value->ToString();
  }
  return s;
}

std::string InsertNode::Describe() const {
  std::string line =
      "Insert " + table->id().ToString() + " (" + std::string(TableTypeName(table->type())) + ")";
  std::string names;
  for (size_t t : targets)
    names += (names.empty() ? "" : ", ") + table->schema()->field(t).name;
  line += " columns (" + names + ")";
  if (!values.empty()) {
    line += " values " + std::to_string(values.size()) + " row(s)";
  } else if (children.empty()) {
    line += " default values";
  }
  if (on_conflict == ConflictAction::kDoNothing) line += " on conflict do nothing";
  if (on_conflict == ConflictAction::kDoUpdate) {
    line += " on conflict do update" + DescribeAssignments(*table, conflict_sets);
    if (conflict_where) line += " where " + conflict_where->ToString();
  }
  return line + DescribeReturning(returning);
}

void InsertNode::ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const {
  for (const auto& row : values)
    for (const auto& e : row)
      if (e) fn(*e);
  for (const auto& e : source_casts)
    fn(*e);
  for (const auto& [column, e] : conflict_sets)
    fn(*e);
  if (conflict_where) fn(*conflict_where);
  for (const auto& e : returning)
    fn(*e);
}

}  // namespace tenantdb::sql
