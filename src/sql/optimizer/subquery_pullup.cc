#include "sql/optimizer/subquery_pullup.h"

#include "sql/function/scalar_functions.h"
#include "sql/optimizer/plan_walk.h"

namespace tenantdb::sql {

bool ExprReferencesOuter(const BoundExpr& e, int depth) {
  if (e.kind == BoundExprKind::kColumn && e.outer_level > depth) return true;
  if (e.kind == BoundExprKind::kSubquery && e.subquery && PlanRefersOuter(*e.subquery, depth + 1)) {
    return true;
  }
  for (const auto& c : e.children)
    if (ExprReferencesOuter(*c, depth)) return true;
  return false;
}

bool PlanRefersOuter(const PlanNode& plan, int depth) {
  bool outer = false;
  plan.ForEachExpression(
      [&](const BoundExpr& e) { outer = outer || ExprReferencesOuter(e, depth); });
  if (outer) return true;
  const bool lateral = plan.kind == PlanKind::kJoin && plan.As<JoinNode>().lateral;
  for (size_t i = 0; i < plan.children.size(); ++i) {
    if (PlanRefersOuter(*plan.children[i], lateral && i == 1 ? depth + 1 : depth)) return true;
  }
  if (const PlanNode* cte = plan.shared_input(); cte != nullptr) {
    return PlanRefersOuter(*cte, depth);
  }
  return false;
}

bool ExprHasVolatile(const BoundExpr& e) {
  if (e.kind == BoundExprKind::kFunction && e.function != nullptr && e.function->is_volatile) {
    return true;
  }
  if (e.kind == BoundExprKind::kSubquery && e.subquery && PlanHasVolatile(*e.subquery)) return true;
  for (const auto& c : e.children)
    if (ExprHasVolatile(*c)) return true;
  return false;
}

bool PlanHasVolatile(const PlanNode& plan) {
  bool found = false;
  plan.ForEachExpression([&](const BoundExpr& e) { found = found || ExprHasVolatile(e); });
  if (found) return true;
  for (const auto& c : plan.children)
    if (PlanHasVolatile(*c)) return true;
  if (const PlanNode* cte = plan.shared_input(); cte != nullptr) return PlanHasVolatile(*cte);
  return false;
}

namespace {

// `e` with each column of the current level replaced by a clone of exprs[column].
BoundExprPtr Substitute(const BoundExpr& e, const std::vector<BoundExprPtr>& exprs) {
  if (e.kind == BoundExprKind::kColumn && e.outer_level == 0) return exprs[e.column]->Clone();
  BoundExprPtr out = e.Clone();
  for (size_t i = 0; i < e.children.size(); ++i)
    out->children[i] = Substitute(*e.children[i], exprs);
  return out;
}

}  // namespace

PlanPtr* PeelOutput(PlanNode* top, bool only_project, std::vector<BoundExprPtr>* exprs) {
  exprs->clear();
  for (size_t c = 0; c < top->columns.size(); ++c)
    exprs->push_back(MakeColumn(c, top->columns[c].type, top->columns[c].name));
  PlanNode* node = top;
  PlanPtr* slot = nullptr;
  while (true) {
    if (node->kind == PlanKind::kProject) {
      // Composing copies the projection's expressions into the select list: only when
      // they run no subquery (it would run once per copy).
      const auto& project = node->As<ProjectNode>();
      bool simple = true;
      for (const auto& e : project.exprs)
        simple = simple && !UsesSubquery(*e) && !ExprHasVolatile(*e);
      if (!simple) return slot;
      for (auto& e : *exprs)
        e = Substitute(*e, project.exprs);
    } else if (only_project ||
               !(node->kind == PlanKind::kSort || (node->kind == PlanKind::kDistinct &&
                                                   node->As<DistinctNode>().key_columns.empty()))) {
      return slot;
    }
    slot = &node->children[0];
    node = slot->get();
  }
}

std::optional<PulledSubquery> SplitCorrelation(const PlanNode& node) {
  if (PlanHasVolatile(node)) return std::nullopt;
  PulledSubquery pulled;
  if (!PlanRefersOuter(node, 0)) return pulled;
  if (node.kind != PlanKind::kFilter || PlanRefersOuter(*node.children[0], 0)) {
    return std::nullopt;
  }
  std::vector<BoundExprPtr> parts;
  Conjuncts(node.As<FilterNode>().predicate->Clone(), &parts);
  for (auto& p : parts) {
    if (!ExprReferencesOuter(*p, 0)) {
      pulled.local.push_back(std::move(p));
    } else if (UsesSubquery(*p)) {
      return std::nullopt;  // its subquery would see a different outer row stack
    } else {
      pulled.correlated.push_back(std::move(p));
    }
  }
  return pulled;
}

PlanPtr TakeSubqueryRows(PlanPtr* slot, PulledSubquery* pulled) {
  if ((*slot)->kind != PlanKind::kFilter || pulled->correlated.empty()) {
    assert(pulled->local.empty());
    return std::move(*slot);
  }
  PlanPtr input = std::move((*slot)->children[0]);
  if (pulled->local.empty()) return input;
  auto filter = std::make_unique<FilterNode>();
  filter->columns = input->columns;
  filter->predicate = AndAll(std::move(pulled->local));
  filter->children.push_back(std::move(input));
  filter->Finish();
  return filter;
}

void RebaseForJoin(BoundExpr* e, size_t left_width) {
  if (e->kind == BoundExprKind::kColumn) {
    if (e->outer_level == 0) {
      e->column += left_width;
    } else {
      --e->outer_level;
    }
  }
  for (auto& c : e->children)
    RebaseForJoin(c.get(), left_width);
}

BoundExprPtr MakeEqual(BoundExprPtr a, BoundExprPtr b) {
  auto e = std::make_unique<BoundExpr>();
  e->kind = BoundExprKind::kBinary;
  e->binary_op = ScalarOp::kEqual;
  e->type = DataType::kBoolean;
  e->children.push_back(std::move(a));
  e->children.push_back(std::move(b));
  return e;
}

}  // namespace tenantdb::sql
