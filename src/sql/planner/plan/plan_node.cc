#include "sql/planner/plan/plan_node.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "sql/planner/bound_expr.h"

namespace tenantdb::sql {

void PlanNode::Finish() {
  std::vector<Field> fields;
  fields.reserve(columns.size());
  for (const OutputColumn& c : columns)
    fields.push_back(Field{c.name, c.type, true, false, ""});
  schema = std::make_shared<const Schema>(std::move(fields), SchemaMetadata{});
}

namespace {

void CollectSharedInputs(const PlanNode& node, std::vector<const PlanNode*>* out);

void CollectInExpr(const BoundExpr& e, std::vector<const PlanNode*>* out) {
  if (e.kind == BoundExprKind::kSubquery && e.subquery) CollectSharedInputs(*e.subquery, out);
  for (const auto& c : e.children)
    CollectInExpr(*c, out);
}

// The shared inputs (CTEs) `node` reads, directly or through its children, subqueries
// and other shared inputs, each once, in the order first met.
void CollectSharedInputs(const PlanNode& node, std::vector<const PlanNode*>* out) {
  if (const PlanNode* shared = node.shared_input(); shared != nullptr) {
    if (std::find(out->begin(), out->end(), shared) == out->end()) {
      out->push_back(shared);
      CollectSharedInputs(*shared, out);
    }
  }
  node.ForEachExpression([out](const BoundExpr& e) { CollectInExpr(e, out); });
  for (const auto& child : node.children)
    CollectSharedInputs(*child, out);
}

}  // namespace

std::string PlanNode::ExplainTree(int indent, const Annotate& annotate) const {
  std::string text = std::string(static_cast<size_t>(indent) * 2, ' ') + Describe();
  if (estimated_rows >= 0) {
    // Whole rows, at least 1 as PostgreSQL shows them: a fraction of a row means "few".
    text += " (rows=" + std::to_string(std::max<int64_t>(1, std::llround(estimated_rows))) + ")";
  }
  text += (annotate ? annotate(*this) : std::string()) + "\n";
  for (const auto& child : children)
    text += child->ExplainTree(indent + 1, annotate);
  return text;
}

std::string PlanNode::Explain(int indent, const Annotate& annotate) const {
  std::string text = ExplainTree(indent, annotate);
  if (indent != 0) return text;
  std::vector<const PlanNode*> shared;
  CollectSharedInputs(*this, &shared);
  for (const PlanNode* input : shared)
    text += input->ExplainTree(0, annotate);
  return text;
}

std::string ExplainList(const std::vector<std::unique_ptr<BoundExpr>>& exprs) {
  std::string s;
  for (size_t i = 0; i < exprs.size(); ++i)
    s += (i > 0 ? ", " : "") + exprs[i]->ToString();
  return s;
}

}  // namespace tenantdb::sql
