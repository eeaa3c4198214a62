// The optimizer's passes (optimizer.h runs them in order; each is its own file). Each
// walks the whole plan, subquery plans inside expressions included, and is idempotent.
#pragma once

#include <unordered_map>
#include <vector>

#include "sql/optimizer/cardinality.h"
#include "sql/planner/logical_plan.h"

namespace tenantdb::sql {

void InlineSingleUseCtes(PlanNode* plan);   // cte_inlining.cc
void DecorrelateSubqueries(PlanPtr* plan);  // decorrelate.cc (may replace *plan)
// predicate_pushdown.cc, join_planning.cc (may replace *plan)
void PlanJoinsAndPushPredicates(PlanPtr* plan, CardinalityEstimator* estimator);
void ExtractJoinKeys(PlanNode* plan);  // join_keys.cc
// semi_join_placement.cc
void PlaceSemiJoins(PlanNode* plan, CardinalityEstimator* estimator);
void PushFiltersIntoScans(PlanPtr* plan);  // filter_pushdown.cc (may replace *plan)
void ReadIndexesInOrder(PlanNode* plan);   // index_order.cc
void PushLimitsIntoScans(PlanNode* plan);  // limit_pushdown.cc
// The outputs of each projection that some node above reads, where that is not all of
// them: PushProjectionsIntoScans finds them, NarrowScanOutputs drops the others.
using ReadOutputs = std::unordered_map<const PlanNode*, std::vector<bool>>;
ReadOutputs PushProjectionsIntoScans(PlanNode* plan);                    // projection_pushdown.cc
void ChooseIndexJoins(PlanNode* plan);                                   // index_join.cc
void NarrowScanOutputs(PlanNode* plan, const ReadOutputs& projections);  // scan_narrowing.cc

// Whether a join's left input is known to yield few enough rows that probing the right
// table by key per left row beats reading it whole (index_join.cc). Without statistics
// only plan-bounded inputs count (VALUES, LIMIT, a primary-key point read, a scalar
// aggregate); cardinality estimates are meant to replace this rule.
bool OuterIsSmall(const PlanNode& left);

}  // namespace tenantdb::sql
