// PredicateRewriter: the pass that moves every predicate to the lowest place it can be
// checked and plans trees of inner joins (PlanJoinsAndPushPredicates in passes.h). Two
// files share it: predicate_pushdown.cc walks the plan node by node (Filter, Project,
// Aggregate, Sort, DISTINCT, outer joins), join_planning.cc plans a tree of inner joins
// as one join graph (equivalence classes, cost-based order, hash keys).
//
// Legal moves only:
//   - Project: a predicate over its output is rewritten over its input by substitution,
//     unless it reads an output computed by a volatile function or a subquery.
//   - Aggregate: predicates on grouping columns only (none with GROUPING SETS).
//   - Sort (without a top-N limit) and plain DISTINCT: everything.
//   - LIMIT, DISTINCT ON, window functions, set operations, WITH items: nothing.
//   - LEFT JOIN: WHERE predicates on the preserved (left) side go below it; ON predicates
//     on the right side alone go into the right input; a WHERE predicate that rejects
//     NULLs of the right side makes it an INNER join (FULL: a LEFT or INNER join).
//   - INNER joins: join_planning.cc.
// Predicates that are not Movable (volatile functions, subqueries) stay where they were
// written; correlated references (outer_level > 0) move with their predicate.
//
// Thread safety: none; one optimizer run. Cost: linear in the plan, plus the join
// ordering of each inner join tree (join_order.h).
#pragma once

#include <vector>

#include "sql/optimizer/cardinality.h"
#include "sql/planner/logical_plan.h"

namespace tenantdb::sql {

class PredicateRewriter {
 public:
  explicit PredicateRewriter(CardinalityEstimator* estimator) : estimator_(estimator) {}

  // `node` with `conjuncts` (Movable predicates over its output columns) applied: pushed
  // as deep as they legally go, the rest in a Filter above. Its output columns are the
  // same, in the same order.
  PlanPtr Push(PlanPtr node, std::vector<BoundExprPtr> conjuncts);

 private:
  PlanPtr PushIntoJoin(PlanPtr node, std::vector<BoundExprPtr> conjuncts);
  // A tree of INNER (non-LATERAL) joins rooted at `join`, with `conjuncts` over its
  // output: reordered by cost, predicates pushed into its leaves, equalities made hash
  // keys (join_planning.cc).
  PlanPtr PlanInnerJoins(PlanPtr join, std::vector<BoundExprPtr> conjuncts);
  // An inner join tree of more than kMaxJoinRelations leaves: kept in its order, each
  // predicate pushed into the side holding its columns.
  PlanPtr PushIntoWideJoin(PlanPtr join, std::vector<BoundExprPtr> conjuncts);

  CardinalityEstimator* estimator_;
};

// `node` under a Filter of `conjuncts` (`node` itself when there are none).
PlanPtr WrapInFilter(PlanPtr node, std::vector<BoundExprPtr> conjuncts);

}  // namespace tenantdb::sql
