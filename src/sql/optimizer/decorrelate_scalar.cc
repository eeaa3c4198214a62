#include "sql/optimizer/decorrelate_scalar.h"

#include "sql/function/scalar_functions.h"
#include "sql/optimizer/plan_walk.h"

namespace tenantdb::sql {

namespace {

bool IsArithmeticOrComparison(ScalarOp op) {
  switch (op) {
    case ScalarOp::kAdd:
    case ScalarOp::kSubtract:
    case ScalarOp::kMultiply:
    case ScalarOp::kDivide:
    case ScalarOp::kModulo:
    case ScalarOp::kPower:
    case ScalarOp::kEqual:
    case ScalarOp::kNotEqual:
    case ScalarOp::kLess:
    case ScalarOp::kLessEqual:
    case ScalarOp::kGreater:
    case ScalarOp::kGreaterEqual:
      return true;
    default:
      return false;
  }
}

// Whether `e` is NULL whenever every column it reads is NULL, and reads at least one:
// built of columns, constants, arithmetic, comparisons, casts and strict functions.
bool StrictInColumns(const BoundExpr& e, bool* reads_column) {
  switch (e.kind) {
    case BoundExprKind::kColumn:
      if (e.outer_level != 0) return false;
      *reads_column = true;
      return true;
    case BoundExprKind::kConstant:
      return true;
    case BoundExprKind::kNegate:
    case BoundExprKind::kCast:
      return StrictInColumns(*e.children[0], reads_column);
    case BoundExprKind::kBinary:
      if (!IsArithmeticOrComparison(e.binary_op)) return false;
      break;
    case BoundExprKind::kFunction:
      if (e.function == nullptr || !e.function->strict || e.function->is_volatile) return false;
      break;
    default:
      return false;
  }
  // A strict operator is NULL when any operand is: one strict operand reading a column
  // suffices, and the others must merely not fail to be evaluated.
  bool any = false;
  for (const auto& c : e.children) {
    bool reads = false;
    if (StrictInColumns(*c, &reads) && reads) any = true;
    if (UsesSubquery(*c) || ExprReferencesOuter(*c, 0)) return false;
  }
  *reads_column = *reads_column || any;
  return any;
}

bool NullOnEmptyInput(AggregateFunction f) {
  return f != AggregateFunction::kCount && f != AggregateFunction::kCountStar;
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
  for (const AggregateCall& call : aggregate.aggregates)
    if (!NullOnEmptyInput(call.function)) return std::nullopt;
  bool outer = false;
  aggregate.ForEachExpression([&](const BoundExpr& e) {
    outer = outer || ExprReferencesOuter(e, 0) || ExprHasVolatile(e);
  });
  if (outer) return std::nullopt;
  bool reads = false;
  if (!StrictInColumns(*exprs[0], &reads) || !reads) return std::nullopt;
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

void ShiftColumns(BoundExpr* e, size_t by) {
  if (e->kind == BoundExprKind::kColumn && e->outer_level == 0) e->column += by;
  for (auto& c : e->children)
    ShiftColumns(c.get(), by);
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
  grouped->aggregates = std::move(old.aggregates);
  grouped->Finish();
  ShiftColumns(analysis.value.get(), correlated.size());
  join.right = std::move(grouped);
  join.value = std::move(analysis.value);
  return join;
}

}  // namespace tenantdb::sql
