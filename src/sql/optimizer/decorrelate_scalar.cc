#include "sql/optimizer/decorrelate_scalar.h"

#include "sql/function/scalar_functions.h"
#include "sql/optimizer/plan_walk.h"

namespace tenantdb::sql {

namespace {

bool IsCount(AggregateFunction f) {
  return f == AggregateFunction::kCount || f == AggregateFunction::kCountStar;
}

// Whether `e` reads only the outer row (level >= 1), none of the subquery's columns.
bool OuterOnly(const BoundExpr& e) {
  bool local = false;
  ForEachColumn(e, [&](const BoundExpr&) { local = true; });
  return !local && ExprReferencesOuter(e, 0) && !UsesSubquery(e);
}

}  // namespace

std::optional<ScalarAnalysis> AnalyzeScalar(const BoundExpr& sub) {
  if (sub.kind != BoundExprKind::kSubquery || sub.subquery_kind != SubqueryKind::kScalar ||
      !sub.correlated || !sub.subquery || sub.subquery.use_count() != 1) {
    return std::nullopt;
  }
  std::vector<BoundExprPtr> exprs;
  PlanPtr* slot = PeelOutput(sub.subquery.get(), /*only_project=*/true, &exprs);
  if (slot == nullptr || (*slot)->kind != PlanKind::kAggregate || exprs.size() != 1) {
    return std::nullopt;
  }
  auto& aggregate = (*slot)->As<AggregateNode>();
  if (!aggregate.group_keys.empty() || !aggregate.grouping_sets.empty()) return std::nullopt;
  bool outer = false;
  aggregate.ForEachExpression([&](const BoundExpr& e) {
    outer = outer || ExprReferencesOuter(e, 0) || ExprHasVolatile(e);
  });
  if (outer) return std::nullopt;
  // The select list is evaluated over the join's row: it may read the aggregates only.
  if (ExprReferencesOuter(*exprs[0], 0) || UsesSubquery(*exprs[0]) || ExprHasVolatile(*exprs[0])) {
    return std::nullopt;
  }
  std::optional<PulledSubquery> pulled = SplitCorrelation(*aggregate.children[0]);
  if (!pulled || pulled->correlated.empty()) return std::nullopt;
  ScalarAnalysis analysis;
  for (const auto& c : pulled->correlated) {
    if (c->kind != BoundExprKind::kBinary || c->binary_op != ScalarOp::kEqual) return std::nullopt;
    const BoundExpr& a = *c->children[0];
    const BoundExpr& b = *c->children[1];
    if (a.type != b.type) return std::nullopt;  // equal key bytes need equal types
    if (OuterOnly(b) && !ExprReferencesOuter(a, 0)) {
      analysis.inner_side.push_back(0);
    } else if (OuterOnly(a) && !ExprReferencesOuter(b, 0)) {
      analysis.inner_side.push_back(1);
    } else {
      return std::nullopt;
    }
  }
  analysis.aggregate = &aggregate;
  analysis.value = std::move(exprs[0]);
  analysis.pulled = std::move(*pulled);
  return analysis;
}

namespace {

// `e` (over the ungrouped aggregate's columns, one per call) over the grouped one's,
// whose keys come first: a count reads COALESCE(count, 0), which is what the subquery
// gives for a group without rows, for which the LEFT join has NULL.
void Regroup(BoundExprPtr* e, size_t keys, const std::vector<AggregateCall>& calls) {
  BoundExpr& x = **e;
  if (x.kind == BoundExprKind::kColumn && x.outer_level == 0) {
    const bool count = IsCount(calls[x.column].function);
    x.column += keys;
    if (count) {
      auto coalesce = std::make_unique<BoundExpr>();
      coalesce->kind = BoundExprKind::kCoalesce;
      coalesce->type = x.type;
      coalesce->name = "coalesce";
      coalesce->children.push_back(std::move(*e));
      coalesce->children.push_back(MakeConstant(Value::BigInt(0)));
      *e = std::move(coalesce);
    }
    return;
  }
  for (auto& c : x.children)
    Regroup(&c, keys, calls);
}

}  // namespace

ScalarJoin CommitScalar(ScalarAnalysis analysis) {
  AggregateNode& old = *analysis.aggregate;
  auto grouped = std::make_unique<AggregateNode>();
  grouped->children.push_back(TakeSubqueryRows(&old.children[0], &analysis.pulled));
  std::vector<BoundExprPtr> correlated = std::move(analysis.pulled.correlated);
  ScalarJoin join;
  for (size_t i = 0; i < correlated.size(); ++i) {
    const int inner = analysis.inner_side[i];
    BoundExprPtr key = std::move(correlated[i]->children[inner]);
    BoundExprPtr outer = std::move(correlated[i]->children[1 - inner]);
    RebaseForJoin(outer.get(), 0);  // the outer row's columns become the left input's
    const std::string name = key->kind == BoundExprKind::kColumn ? key->name : "?key?";
    grouped->columns.push_back(OutputColumn{name, key->type, "", true});
    grouped->group_keys.push_back(std::move(key));
    join.left_keys.push_back(std::move(outer));
  }
  for (const OutputColumn& c : old.columns)
    grouped->columns.push_back(c);
  Regroup(&analysis.value, correlated.size(), old.aggregates);
  grouped->aggregates = std::move(old.aggregates);
  grouped->Finish();
  join.right = std::move(grouped);
  join.value = std::move(analysis.value);
  return join;
}

}  // namespace tenantdb::sql
