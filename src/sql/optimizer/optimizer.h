// The optimizer: rewrite passes over a bound plan, run once after binding, before the
// executor builds operators. The binder states what a query means (a Filter over a Scan,
// a Join with its whole ON condition, a Limit over a Sort); the passes decide how to read
// it, in this order:
//
//   FoldNullTests             `c IS NULL` of a NOT NULL column is FALSE, IS NOT NULL
//                             TRUE, count(c) is count(*) (nullability.h)
//   ExtractJoinKeys           `l.a = r.b` conjuncts of a join's condition become hash-join
//                             keys; the rest stays the join's residual condition
//   PushFiltersIntoScans      a Filter directly over a table scan becomes the scan's own
//                             filter, and key equalities plus one range become the
//                             provider's key bounds (a point or range read); what the
//                             bounds enforce exactly leaves the filter
//   PushLimitsIntoScans       LIMIT n OFFSET m over (ORDER BY plain columns of) an
//                             unfiltered scan reads at most n + m rows (top-N in order)
//   PushProjectionsIntoScans  a scan under a projection or aggregation decodes only the
//                             columns used above it, plus its key columns
//
// Every pass also rewrites the plans of subqueries inside expressions. Each decision is
// pinned by EXPLAIN in tests/slt/cases/pushdown.slt.
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
// its scan).
void Optimize(PlanPtr* plan);

// Binds `select` and optimizes the plan: what every caller that runs a SELECT uses.
Result<PlanPtr> PlanSelect(Binder& binder, const SelectStmt& select);

// Binds an INSERT, UPDATE or DELETE and optimizes the plan (the WHERE of UPDATE and
// DELETE becomes their scan's key bounds and filter, pinned by EXPLAIN in
// tests/slt/cases/dml_plans.slt). invalid_argument for any other statement.
Result<PlanPtr> PlanWrite(Binder& binder, const Statement& statement);

}  // namespace tenantdb::sql
