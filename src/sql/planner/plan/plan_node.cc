#include "sql/planner/plan/plan_node.h"

#include "sql/planner/bound_expr.h"

namespace tenantdb::sql {

void PlanNode::Finish() {
  std::vector<Field> fields;
  fields.reserve(columns.size());
  for (const OutputColumn& c : columns)
    fields.push_back(Field{c.name, c.type, true, false, ""});
  schema = std::make_shared<const Schema>(std::move(fields), SchemaMetadata{});
}

std::string PlanNode::Explain(int indent) const {
  std::string text = std::string(static_cast<size_t>(indent) * 2, ' ') + Describe() + "\n";
  for (const auto& child : children)
    text += child->Explain(indent + 1);
  return text;
}

std::string ExplainList(const std::vector<std::unique_ptr<BoundExpr>>& exprs) {
  std::string s;
  for (size_t i = 0; i < exprs.size(); ++i)
    s += (i > 0 ? ", " : "") + exprs[i]->ToString();
  return s;
}

}  // namespace tenantdb::sql
