// DecorrelateSubqueries (passes.h): the conjuncts of a Filter (a WHERE or HAVING, or an
// INNER join's ON) that test a subquery become joins of the Filter's input, so the subquery's rows
// are read once instead of once per outer row:
//
//   EXISTS (correlated)        SEMI join on the correlated conjuncts
//   NOT EXISTS (correlated)    ANTI join
//   x IN (subquery)            SEMI join on x = the subquery's value (and the conjuncts)
//   x NOT IN (subquery)        null-aware ANTI join (JoinNode::null_aware_left)
//   scalar aggregate subquery  LEFT join with the aggregate grouped by the correlation
//                              (decorrelate_scalar.h); the conjunct reads its column
//
// The other conjuncts filter the input first; the semi and anti joins follow (they keep
// the input's columns); then the LEFT joins and a Filter of what is left, under a
// projection back to the input's columns. A subquery is taken apart only when it is
// exact (subquery_pullup.h says when); anything else stays a subquery, evaluated per row
// as before. Run before ExtractJoinKeys, which turns the equalities of the new join
// conditions into hash keys.
#include "sql/optimizer/decorrelate_scalar.h"
#include "sql/optimizer/passes.h"
#include "sql/optimizer/plan_walk.h"
#include "sql/optimizer/subquery_pullup.h"

namespace tenantdb::sql {

namespace {

// What AnalyzeSemi found in a conjunct `[NOT] EXISTS (...)` or `x [NOT] IN (...)`.
struct SemiAnalysis {
  BoundExpr* subquery = nullptr;
  bool negated = false;
  PlanPtr* rows = nullptr;  // the slot PeelOutput found
  BoundExprPtr value;       // IN: the subquery's value over *rows's columns
  PulledSubquery pulled;
};

std::optional<SemiAnalysis> AnalyzeSemi(const BoundExpr& conjunct) {
  SemiAnalysis a;
  const BoundExpr* e = &conjunct;
  if (e->kind == BoundExprKind::kNot) {
    a.negated = true;
    e = e->children[0].get();
  }
  if (e->kind != BoundExprKind::kSubquery || !e->subquery || e->subquery.use_count() != 1) {
    return std::nullopt;
  }
  if (e->subquery_kind == SubqueryKind::kExists) {
    // An uncorrelated EXISTS runs once per statement already.
    if (!e->correlated) return std::nullopt;
  } else if (e->subquery_kind == SubqueryKind::kIn) {
    const BoundExpr& operand = *e->children[0];
    if (UsesSubquery(operand) || ExprHasVolatile(operand)) return std::nullopt;
  } else {
    return std::nullopt;
  }
  std::vector<BoundExprPtr> exprs;
  a.rows = PeelOutput(e->subquery.get(), /*only_project=*/false, &exprs);
  if (a.rows == nullptr) return std::nullopt;
  std::optional<PulledSubquery> pulled = SplitCorrelation(**a.rows);
  if (!pulled) return std::nullopt;
  if (e->subquery_kind == SubqueryKind::kIn) {
    if (exprs.size() != 1 || UsesSubquery(*exprs[0]) || ExprHasVolatile(*exprs[0])) {
      return std::nullopt;
    }
    // NOT IN's value is evaluated over the right input alone.
    if (a.negated && ExprReferencesOuter(*exprs[0], 0)) return std::nullopt;
    a.value = std::move(exprs[0]);
  }
  a.subquery = const_cast<BoundExpr*>(e);  // the plan is ours to take apart (use_count 1)
  a.pulled = std::move(*pulled);
  return a;
}

// The join that replaces the analysed conjunct, over `input` (moved in).
PlanPtr CommitSemi(SemiAnalysis a, PlanPtr input) {
  const size_t left_width = input->columns.size();
  auto join = std::make_unique<JoinNode>();
  join->columns = input->columns;
  PlanPtr right = TakeSubqueryRows(a.rows, &a.pulled);
  std::vector<BoundExprPtr> condition;
  for (auto& c : a.pulled.correlated) {
    RebaseForJoin(c.get(), left_width);
    condition.push_back(std::move(c));
  }
  if (a.subquery->subquery_kind == SubqueryKind::kExists) {
    join->join_type = a.negated ? JoinType::kAnti : JoinType::kSemi;
  } else if (!a.negated) {
    join->join_type = JoinType::kSemi;
    RebaseForJoin(a.value.get(), left_width);
    condition.push_back(MakeEqual(a.subquery->children[0]->Clone(), std::move(a.value)));
  } else {
    join->join_type = JoinType::kAntiNullAware;
    join->null_aware_left = a.subquery->children[0]->Clone();
    join->null_aware_right = std::move(a.value);
  }
  join->condition = AndAll(std::move(condition));
  join->children.push_back(std::move(input));
  join->children.push_back(std::move(right));
  join->Finish();
  return join;
}

// Calls fn on each scalar subquery of `e` outside other subqueries, with the slot that
// owns it (fn may replace it).
void ForEachScalarSlot(BoundExprPtr& e, const std::function<void(BoundExprPtr&)>& fn) {
  if (e->kind == BoundExprKind::kSubquery) {
    if (e->subquery_kind == SubqueryKind::kScalar) fn(e);
    return;
  }
  for (auto& c : e->children)
    ForEachScalarSlot(c, fn);
}

bool AnyScalarDecorrelates(const BoundExpr& e) {
  if (e.kind == BoundExprKind::kSubquery) return AnalyzeScalar(e).has_value();
  for (const auto& c : e.children)
    if (AnyScalarDecorrelates(*c)) return true;
  return false;
}

bool AnyDecorrelates(const BoundExpr& predicate) {
  if (predicate.kind == BoundExprKind::kBinary && predicate.binary_op == ScalarOp::kAnd) {
    return AnyDecorrelates(*predicate.children[0]) || AnyDecorrelates(*predicate.children[1]);
  }
  return AnalyzeSemi(predicate).has_value() || AnyScalarDecorrelates(predicate);
}

void ShiftColumns(BoundExpr* e, size_t by) {
  if (e->kind == BoundExprKind::kColumn && e->outer_level == 0) e->column += by;
  for (auto& c : e->children)
    ShiftColumns(c.get(), by);
}

PlanPtr MakeFilterNode(PlanPtr input, std::vector<BoundExprPtr> parts) {
  if (parts.empty()) return input;
  auto filter = std::make_unique<FilterNode>();
  filter->columns = input->columns;
  filter->predicate = AndAll(std::move(parts));
  filter->children.push_back(std::move(input));
  filter->Finish();
  return filter;
}

// The Filter in `slot` with its decorrelatable conjuncts turned into joins.
void DecorrelateFilter(PlanPtr* slot) {
  auto& filter = (*slot)->As<FilterNode>();
  if (!UsesSubquery(*filter.predicate) || !AnyDecorrelates(*filter.predicate)) return;
  const std::vector<OutputColumn> columns = filter.columns;
  std::vector<BoundExprPtr> parts;
  Conjuncts(std::move(filter.predicate), &parts);
  PlanPtr input = std::move(filter.children[0]);
  std::vector<BoundExprPtr> plain, rest;
  // The semi conjuncts own the subquery plans their analyses point into: kept alive
  // until committed.
  std::vector<BoundExprPtr> semi_conjuncts;
  std::vector<SemiAnalysis> semis;
  for (auto& p : parts) {
    if (!UsesSubquery(*p)) {
      plain.push_back(std::move(p));
    } else if (auto semi = AnalyzeSemi(*p)) {
      semis.push_back(std::move(*semi));
      semi_conjuncts.push_back(std::move(p));
    } else {
      rest.push_back(std::move(p));
    }
  }
  PlanPtr plan = MakeFilterNode(std::move(input), std::move(plain));
  for (SemiAnalysis& semi : semis)
    plan = CommitSemi(std::move(semi), std::move(plan));
  semi_conjuncts.clear();
  // Scalar subqueries: each a LEFT join adding its columns on the right.
  const size_t width = columns.size();
  std::vector<BoundExprPtr> remaining;
  for (auto& p : rest) {
    ForEachScalarSlot(p, [&](BoundExprPtr& sub) {
      std::optional<ScalarAnalysis> analysis = AnalyzeScalar(*sub);
      if (!analysis) return;
      ScalarJoin scalar = CommitScalar(std::move(*analysis));
      const size_t left_width = plan->columns.size();
      auto join = std::make_unique<JoinNode>();
      join->join_type = JoinType::kLeft;
      join->columns = plan->columns;
      for (const OutputColumn& c : scalar.right->columns)
        join->columns.push_back(c);
      std::vector<BoundExprPtr> condition;
      for (size_t i = 0; i < scalar.left_keys.size(); ++i) {
        const DataType type = scalar.right->columns[i].type;
        condition.push_back(
            MakeEqual(std::move(scalar.left_keys[i]),
                      MakeColumn(left_width + i, type, scalar.right->columns[i].name)));
      }
      join->condition = AndAll(std::move(condition));
      join->children.push_back(std::move(plan));
      join->children.push_back(std::move(scalar.right));
      join->Finish();
      plan = std::move(join);
      ShiftColumns(scalar.value.get(), left_width);
      sub = std::move(scalar.value);
    });
    remaining.push_back(std::move(p));
  }
  plan = MakeFilterNode(std::move(plan), std::move(remaining));
  if (plan->columns.size() != width) {
    auto project = std::make_unique<ProjectNode>();
    project->columns = columns;
    for (size_t c = 0; c < width; ++c)
      project->exprs.push_back(MakeColumn(c, columns[c].type, columns[c].name));
    project->children.push_back(std::move(plan));
    project->Finish();
    plan = std::move(project);
  }
  *slot = std::move(plan);
}

// An INNER join's ON conjuncts with subqueries filter its output exactly as in a WHERE:
// a join in `slot` with a decorrelatable one becomes a Filter of them over the join,
// which DecorrelateFilter then rewrites.
void DecorrelateJoinCondition(PlanPtr* slot) {
  auto& join = (*slot)->As<JoinNode>();
  if (join.join_type != JoinType::kInner || join.lateral || !join.condition ||
      !UsesSubquery(*join.condition) || !AnyDecorrelates(*join.condition)) {
    return;
  }
  std::vector<BoundExprPtr> parts, kept, lifted;
  Conjuncts(std::move(join.condition), &parts);
  for (auto& p : parts)
    (UsesSubquery(*p) ? lifted : kept).push_back(std::move(p));
  join.condition = AndAll(std::move(kept));
  *slot = MakeFilterNode(std::move(*slot), std::move(lifted));
  DecorrelateFilter(slot);
}

}  // namespace

void DecorrelateSubqueries(PlanPtr* plan) {
  ForEachPlanNode(plan->get(), [](PlanNode* node) {
    // An UPDATE's or DELETE's Filter stays: the write re-checks it on a row a concurrent
    // transaction changed (write_support.cc), which needs a Filter over the table's scan.
    if (node->kind == PlanKind::kUpdate || node->kind == PlanKind::kDelete) return;
    for (PlanPtr& child : node->children) {
      if (child->kind == PlanKind::kJoin) DecorrelateJoinCondition(&child);
      if (child->kind == PlanKind::kFilter) DecorrelateFilter(&child);
    }
  });
  if ((*plan)->kind == PlanKind::kJoin) DecorrelateJoinCondition(plan);
  if ((*plan)->kind == PlanKind::kFilter) DecorrelateFilter(plan);
}

}  // namespace tenantdb::sql
