// Plan rewrites the binder applies as it builds a plan:
//
//   ApplyFilter        a WHERE over a table scan becomes the scan's own filter, and
//                      conjuncts `key = constant` (a prefix of the primary key) plus one
//                      range on the next key column become key bounds of the provider's
//                      read — a point or range read instead of a full scan. Conjuncts
//                      the range enforces exactly leave the filter; the rest stay.
//   SplitJoinCondition `l.a = r.b` conjuncts of an ON clause become hash-join keys; the
//                      rest stays a residual condition.
//   PushLimitIntoScan  LIMIT n OFFSET m over a projection of an unfiltered scan reads at
//                      most n + m rows; over ORDER BY plain columns of such a scan, the
//                      read returns only the first n + m rows in that order (top-N).
//
// Constants here are expressions without columns, subqueries or volatile functions
// (literals and $n parameters), evaluated once per execution.
#pragma once

#include "sql/planner/logical_plan.h"

namespace tenantdb::sql {

PlanPtr ApplyFilter(PlanPtr input, BoundExprPtr predicate);
void SplitJoinCondition(BoundExprPtr condition, size_t left_width, PlanNode* join);
void PushLimitIntoScan(PlanNode* limit);
// Projection pushdown: a scan under a projection or aggregation reads only the columns
// they (and its own filter) use, plus its key columns; the rest come back NULL without
// being copied. Applied to a finished plan.
void PushProjectionIntoScans(PlanNode* plan);

}  // namespace tenantdb::sql
