// The optimizer: rewrite passes over a bound plan, run once after binding, before the
// executor builds operators. The binder states what a query means (a Filter over a Scan,
// a Join with its whole ON condition, a Limit over a Sort); the passes decide how to read
// it, in this order:
//
//   FoldNullTests             `c IS NULL` of a NOT NULL column is FALSE, IS NOT NULL
//                             TRUE, count(c) is count(*) (nullability.h)
//   DecorrelateSubqueries     EXISTS / NOT EXISTS / IN / NOT IN (subquery) conjuncts of a
//                             WHERE become semi / anti / null-aware anti joins, and a
//                             comparison with a correlated scalar aggregate a join with
//                             the aggregate grouped by the correlation columns
//                             (decorrelate.cc)
//   PlanJoinsAndPushPredicates
//                             every WHERE / ON conjunct moves to the lowest node that
//                             has its columns (through projections, grouping keys and
//                             outer joins where legal; null-rejected LEFT joins become
//                             inner); each tree of inner joins is reordered by estimated
//                             cost, with hash keys from its equivalence classes
//                             (predicate_pushdown.h, join_order.h)
//   ExtractJoinKeys           `l.a = r.b` conjuncts of an outer join's ON condition become
//                             hash-join keys; the rest stays the join's residual condition
//   PushFiltersIntoScans      a Filter directly over a table scan becomes the scan's own
//                             filter, and key equalities plus one range become the
//                             provider's key bounds (a point or range read); what the
//                             bounds enforce exactly leaves the filter
//   PushLimitsIntoScans       LIMIT n OFFSET m over (ORDER BY plain columns of) an
//                             unfiltered scan reads at most n + m rows (top-N in order)
//   PushProjectionsIntoScans  every scan decodes only the columns some node above reads
//                             (through joins, filters, sorts), plus its key columns
//   ChooseIndexJoins          a join whose keys cover the right table's primary key (or
//                             an index's leading columns) and whose left side is small
//                             probes the right table by key per left row (index_join.cc)
//
// Every pass also rewrites the plans of subqueries inside expressions. Each decision is
// pinned by EXPLAIN in tests/slt/cases/pushdown.slt and join_planning.slt. Then every
// node gets its estimated rows (cardinality.h), which EXPLAIN shows, and last
// NarrowScanOutputs makes scans return only the columns read above them, renumbering
// the references of the nodes up to the next projection or aggregation.
//
// Thread safety: a plan is rewritten by one thread before anyone shares it (prepared
// statements share the optimized plan). Cost: linear in plan and expression size.
#pragma once

#include "sql/parser/ast/dml.h"
#include "sql/parser/ast/select.h"
#include "sql/planner/binder.h"
#include "sql/planner/logical_plan.h"

namespace tenantdb::sql {

// Runs every pass over `*plan` (which a pass may replace, e.g. a Filter root folded into
// its scan). Table statistics are asked for `request` (null: unknown; it is the
// binder's, and the plan may be shared by other users: see cardinality.h).
void Optimize(PlanPtr* plan, const RequestContext* request = nullptr);

// Binds `select` and optimizes the plan: what every caller that runs a SELECT uses.
Result<PlanPtr> PlanSelect(Binder& binder, const SelectStmt& select);

// Binds an INSERT, UPDATE or DELETE and optimizes the plan (the WHERE of UPDATE and
// DELETE becomes their scan's key bounds and filter, pinned by EXPLAIN in
// tests/slt/cases/dml_plans.slt). invalid_argument for any other statement.
Result<PlanPtr> PlanWrite(Binder& binder, const Statement& statement);

}  // namespace tenantdb::sql
