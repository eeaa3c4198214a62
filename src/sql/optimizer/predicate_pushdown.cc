// PlanJoinsAndPushPredicates (passes.h) and PredicateRewriter's node-by-node part
// (predicate_pushdown.h).
#include "sql/optimizer/predicate_pushdown.h"

#include <unordered_set>

#include "sql/optimizer/expr_columns.h"
#include "sql/optimizer/passes.h"
#include "sql/optimizer/plan_walk.h"

namespace tenantdb::sql {

namespace {

void Disjuncts(BoundExprPtr e, std::vector<BoundExprPtr>* out) {
  if (e->kind == BoundExprKind::kBinary && e->binary_op == ScalarOp::kOr) {
    Disjuncts(std::move(e->children[0]), out);
    Disjuncts(std::move(e->children[1]), out);
    return;
  }
  out->push_back(std::move(e));
}

BoundExprPtr OrAll(std::vector<BoundExprPtr> parts) {
  BoundExprPtr result = std::move(parts[0]);
  for (size_t i = 1; i < parts.size(); ++i) {
    auto e = std::make_unique<BoundExpr>();
    e->kind = BoundExprKind::kBinary;
    e->binary_op = ScalarOp::kOr;
    e->type = DataType::kBoolean;
    e->children.push_back(std::move(result));
    e->children.push_back(std::move(parts[i]));
    result = std::move(e);
  }
  return result;
}

// (A AND B) OR (A AND C) is A AND (B OR C), in SQL's three-valued logic too: a conjunct
// every branch of an OR shares becomes a conjunct of its own, so a join key written
// inside each branch (TPC-H Q19) becomes a hash key and a filter on one table reaches
// its scan. Only movable conjuncts (no volatile function, no subquery) are factored.
void FactorCommonConjuncts(std::vector<BoundExprPtr>* parts) {
  const size_t n = parts->size();
  for (size_t i = 0; i < n; ++i) {
    BoundExpr& p = *(*parts)[i];
    if (p.kind != BoundExprKind::kBinary || p.binary_op != ScalarOp::kOr || !Movable(p)) continue;
    std::vector<BoundExprPtr> branches;
    Disjuncts(std::move((*parts)[i]), &branches);
    std::vector<std::vector<BoundExprPtr>> terms(branches.size());
    for (size_t b = 0; b < branches.size(); ++b)
      Conjuncts(std::move(branches[b]), &terms[b]);
    std::vector<BoundExprPtr> common;
    for (size_t t = 0; t < terms[0].size();) {
      bool everywhere = true;
      for (size_t b = 1; b < terms.size() && everywhere; ++b) {
        everywhere = std::any_of(terms[b].begin(), terms[b].end(),
                                 [&](const BoundExprPtr& x) { return x->Equals(*terms[0][t]); });
      }
      // A branch left without conjuncts would be TRUE: the OR then holds whenever the
      // common part does, which the factored form says as well.
      if (!everywhere) {
        ++t;
        continue;
      }
      for (size_t b = 1; b < terms.size(); ++b) {
        auto it = std::find_if(terms[b].begin(), terms[b].end(),
                               [&](const BoundExprPtr& x) { return x->Equals(*terms[0][t]); });
        terms[b].erase(it);
      }
      common.push_back(std::move(terms[0][t]));
      terms[0].erase(terms[0].begin() + static_cast<std::ptrdiff_t>(t));
    }
    bool some_branch_empty = false;
    for (const auto& t : terms)
      some_branch_empty = some_branch_empty || t.empty();
    std::vector<BoundExprPtr> rebuilt;
    if (!some_branch_empty) {
      for (auto& t : terms)
        rebuilt.push_back(AndAll(std::move(t)));
    }
    (*parts)[i] = common.empty() && !some_branch_empty ? OrAll(std::move(rebuilt)) : nullptr;
    if (!common.empty()) {
      if (!some_branch_empty) common.push_back(OrAll(std::move(rebuilt)));
      (*parts)[i] = std::move(common[0]);
      for (size_t c = 1; c < common.size(); ++c)
        parts->push_back(std::move(common[c]));
    }
  }
}

bool AllMovable(const std::vector<BoundExprPtr>& exprs, const std::vector<bool>& used) {
  for (size_t i = 0; i < exprs.size(); ++i)
    if (used[i] && !Movable(*exprs[i])) return false;
  return true;
}

std::vector<bool> ColumnsUsed(const BoundExpr& e, size_t width) {
  std::vector<bool> used(width, false);
  ForEachColumn(e, [&](const BoundExpr& c) {
    if (c.column < width) used[c.column] = true;
  });
  return used;
}

// Nodes a predicate can move below (or that plan their own inputs): a Filter over any
// other node keeps its predicate as written.
bool Rewrites(PlanKind kind) {
  switch (kind) {
    case PlanKind::kFilter:
    case PlanKind::kProject:
    case PlanKind::kAggregate:
    case PlanKind::kSort:
    case PlanKind::kDistinct:
    case PlanKind::kJoin:
      return true;
    default:
      return false;
  }
}

bool IsPlainColumn(const BoundExpr& e) {
  return e.kind == BoundExprKind::kColumn && e.outer_level == 0;
}

// A projection over a projection of plain columns (the one restoring the column order
// of reordered joins) reads the columns below directly: one pass over each batch less.
// Not when an expression holds a subquery, whose correlated references point at the
// projection's input positions.
void FoldColumnProjection(ProjectNode* project) {
  PlanNode& child = *project->children[0];
  if (child.kind != PlanKind::kProject) return;
  const auto& inner = child.As<ProjectNode>().exprs;
  for (const auto& e : inner)
    if (!IsPlainColumn(*e)) return;
  for (const auto& e : project->exprs)
    if (UsesSubquery(*e)) return;
  for (auto& e : project->exprs)
    e = SubstituteColumns(*e, inner);
  PlanPtr grandchild = std::move(child.children[0]);
  project->children[0] = std::move(grandchild);
}

}  // namespace

PlanPtr WrapInFilter(PlanPtr node, std::vector<BoundExprPtr> conjuncts) {
  if (conjuncts.empty()) return node;
  return MakeFilter(std::move(node), AndAll(std::move(conjuncts)));
}

PlanPtr PredicateRewriter::Push(PlanPtr node, std::vector<BoundExprPtr> conjuncts) {
  switch (node->kind) {
    case PlanKind::kFilter: {
      auto& filter = node->As<FilterNode>();
      if (!Rewrites(node->children[0]->kind)) {
        // Nothing below to push into: one filter, as written, plus what came from above.
        node->children[0] = Push(std::move(node->children[0]), {});
        if (conjuncts.empty()) return node;
        conjuncts.insert(conjuncts.begin(), std::move(filter.predicate));
        filter.predicate = AndAll(std::move(conjuncts));
        return node;
      }
      // Its own predicates first, then those from above: the row-wise AND evaluates left
      // to right, so what the query filtered first still guards what came after (a
      // division by a column the inner WHERE excluded zero from).
      std::vector<BoundExprPtr> parts, down, keep;
      Conjuncts(std::move(filter.predicate), &parts);
      FactorCommonConjuncts(&parts);
      for (auto& p : parts)
        (Movable(*p) ? down : keep).push_back(std::move(p));
      for (auto& c : conjuncts)
        down.push_back(std::move(c));
      PlanPtr child = Push(std::move(node->children[0]), std::move(down));
      return WrapInFilter(std::move(child), std::move(keep));
    }
    case PlanKind::kProject: {
      auto& project = node->As<ProjectNode>();
      std::vector<BoundExprPtr> down, keep;
      for (auto& c : conjuncts) {
        if (AllMovable(project.exprs, ColumnsUsed(*c, project.exprs.size()))) {
          down.push_back(SubstituteColumns(*c, project.exprs));
        } else {
          keep.push_back(std::move(c));
        }
      }
      node->children[0] = Push(std::move(node->children[0]), std::move(down));
      FoldColumnProjection(&project);
      return WrapInFilter(std::move(node), std::move(keep));
    }
    case PlanKind::kAggregate: {
      auto& agg = node->As<AggregateNode>();
      const size_t keys = agg.group_keys.size();
      std::vector<BoundExprPtr> down, keep;
      for (auto& c : conjuncts) {
        // Without grouping sets a key is the same before and after grouping; a scalar
        // aggregate (no keys) returns a row even for no input, so nothing goes below it.
        const bool on_keys = keys > 0 && agg.grouping_sets.empty() && ColumnsWithin(*c, 0, keys);
        if (on_keys && AllMovable(agg.group_keys, ColumnsUsed(*c, keys))) {
          down.push_back(SubstituteColumns(*c, agg.group_keys));
        } else {
          keep.push_back(std::move(c));
        }
      }
      node->children[0] = Push(std::move(node->children[0]), std::move(down));
      return WrapInFilter(std::move(node), std::move(keep));
    }
    case PlanKind::kSort:
    case PlanKind::kDistinct: {
      // Filtering commutes with ordering and with removing duplicate rows, not with a
      // top-N or DISTINCT ON (which row of a group survives depends on the rest).
      const bool passes = node->kind == PlanKind::kSort
                              ? !node->As<SortNode>().limit
                              : node->As<DistinctNode>().key_columns.empty();
      if (!passes) break;
      node->children[0] = Push(std::move(node->children[0]), std::move(conjuncts));
      return node;
    }
    case PlanKind::kJoin:
      return PushIntoJoin(std::move(node), std::move(conjuncts));
    default:
      break;
  }
  for (PlanPtr& child : node->children)
    child = Push(std::move(child), {});
  return WrapInFilter(std::move(node), std::move(conjuncts));
}

PlanPtr PredicateRewriter::PushIntoJoin(PlanPtr node, std::vector<BoundExprPtr> conjuncts) {
  auto& join = node->As<JoinNode>();
  const size_t left_width = join.children[0]->columns.size();
  const size_t width = join.columns.size();
  // Outer joins whose NULL-extended rows the WHERE rejects are inner joins.
  if (join.join_type == JoinType::kLeft || join.join_type == JoinType::kFull) {
    bool rejects_left = false, rejects_right = false;
    for (const auto& c : conjuncts) {
      rejects_left = rejects_left || RejectsNulls(*c, 0, left_width);
      rejects_right = rejects_right || RejectsNulls(*c, left_width, width);
    }
    if (join.join_type == JoinType::kLeft && rejects_right) join.join_type = JoinType::kInner;
    if (join.join_type == JoinType::kFull && rejects_left) {
      join.join_type = rejects_right ? JoinType::kInner : JoinType::kLeft;
    }
  }
  if (join.join_type == JoinType::kInner && !join.lateral) {
    return PlanInnerJoins(std::move(node), std::move(conjuncts));
  }
  // Not reordered. An INNER LATERAL, a LEFT, a SEMI and an ANTI join return each left
  // row only with its right rows (or NULLs, or once, or not at all) however the other
  // left rows fare, so a predicate on the left side alone may filter the left input
  // first; a FULL join keeps everything above.
  const bool filters_left =
      join.join_type == JoinType::kLeft || join.join_type == JoinType::kSemi ||
      join.join_type == JoinType::kAnti || join.join_type == JoinType::kAntiNullAware ||
      (join.join_type == JoinType::kInner && join.lateral);
  std::vector<BoundExprPtr> left, right, keep;
  for (auto& c : conjuncts)
    (filters_left && ColumnsWithin(*c, 0, left_width) ? left : keep).push_back(std::move(c));
  // A LEFT join's ON predicates on the right side alone only decide which right rows can
  // match: they filter the right input. (A LATERAL right side sees the left row as an
  // outer level; its ON stays as written.)
  // The same holds for a SEMI or ANTI join's condition: a right row it rejects on its
  // own columns matches no left row. (Not for the null-aware ANTI join of NOT IN, whose
  // answer also depends on whether any right row at all holds a NULL key.)
  const bool right_only_filters_right = join.join_type == JoinType::kLeft ||
                                        join.join_type == JoinType::kSemi ||
                                        join.join_type == JoinType::kAnti;
  if (right_only_filters_right && !join.lateral && join.condition) {
    std::vector<BoundExprPtr> parts, rest;
    Conjuncts(std::move(join.condition), &parts);
    // The condition reads the left columns then the right ones (a SEMI or ANTI join
    // outputs only the left ones, so its own width does not cover them).
    const size_t condition_width = left_width + join.children[1]->columns.size();
    for (auto& p : parts) {
      if (Movable(*p) && ColumnsWithin(*p, left_width, condition_width)) {
        ShiftColumns(*p, -static_cast<std::ptrdiff_t>(left_width));
        right.push_back(std::move(p));
      } else {
        rest.push_back(std::move(p));
      }
    }
    join.condition = AndAll(std::move(rest));
  }
  join.children[0] = Push(std::move(join.children[0]), std::move(left));
  join.children[1] = Push(std::move(join.children[1]), std::move(right));
  return WrapInFilter(std::move(node), std::move(keep));
}

void PlanJoinsAndPushPredicates(PlanPtr* plan, CardinalityEstimator* estimator) {
  // The plans inside expressions (subqueries) and WITH items are planned on their own;
  // collected first, as the walk below replaces nodes of the main plan.
  std::vector<PlanNode*> roots;
  std::unordered_set<const PlanNode*> seen;
  // Only joins and filters over something they can move into have anything to do: a
  // point SELECT (a Filter over a Scan) skips the pass.
  bool needed = false;
  ForEachPlanNode(plan->get(), [&](PlanNode* node) {
    needed = needed || node->kind == PlanKind::kJoin ||
             (node->kind == PlanKind::kFilter && Rewrites(node->children[0]->kind));
    if (PlanNode* shared = node->shared_input(); shared != nullptr && seen.insert(shared).second) {
      roots.push_back(shared);
    }
    node->ForEachExpression([&](const BoundExpr& e) {
      std::function<void(const BoundExpr&)> walk = [&](const BoundExpr& x) {
        if (x.kind == BoundExprKind::kSubquery && x.subquery &&
            seen.insert(x.subquery.get()).second) {
          roots.push_back(x.subquery.get());
        }
        for (const auto& c : x.children)
          walk(*c);
      };
      walk(e);
    });
  });
  if (!needed) return;
  PredicateRewriter rewriter(estimator);
  *plan = rewriter.Push(std::move(*plan), {});
  // A shared root is held where it is referenced and cannot be replaced; its inputs can.
  for (PlanNode* root : roots)
    for (PlanPtr& child : root->children)
      child = rewriter.Push(std::move(child), {});
}

}  // namespace tenantdb::sql
