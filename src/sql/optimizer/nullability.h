// Nullability: what the planner knows about NULLs from the schema. A column declared NOT
// NULL (or in the primary key) never holds NULL, and neither does what passes it through
// unchanged; the optimizer uses that to fold `IS [NOT] NULL` tests (FoldNullTests), and
// rewrites such as NOT IN decorrelation may use ColumnNeverNull to skip NULL-aware
// handling.
//
// Cost: ColumnNeverNull walks down one path of the plan (its depth); the pass is linear in
// the plan's expressions. Thread safety: as the optimizer's passes (one thread per plan).
#pragma once

#include "sql/planner/logical_plan.h"

namespace tenantdb::sql {

// Whether output column `column` of `plan` can never be NULL: it comes unchanged from a
// NOT NULL column of a table scan, through filters, sorts, limits, DISTINCT, projections
// of plain columns, plain GROUP BY keys, and the preserved sides of joins (the
// null-extended side of an outer join may be NULL); count() results and non-NULL
// constants are never NULL either. Conservative: false when unsure.
bool ColumnNeverNull(const PlanNode& plan, size_t column);

// The pass (optimizer.h): in every Filter's predicate, `c IS NULL` of a column of its
// input that is never NULL becomes FALSE, and `c IS NOT NULL` TRUE; count(c) of such a
// column becomes count(*).
void FoldNullTests(PlanNode* plan);

}  // namespace tenantdb::sql
