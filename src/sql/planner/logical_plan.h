// The logical plan: a tree of typed PlanNodes (plan/*.h, one kind per file) the binder
// builds from a statement, the optimizer rewrites once, and the executor
// (sql/exec/executor.h) runs, one vectorized operator per node:
//
//   ScanNode       table, key bounds, limit / top-N, wanted columns, residual filter
//   ValuesNode     rows of expressions (VALUES, SELECT without FROM)
//   FilterNode     predicate over children[0]
//   ProjectNode    exprs over children[0]
//   AggregateNode  group keys and aggregate calls; output = keys then aggregate values
//   WindowNode     window function calls over children[0]; output = its columns, then
//                  one value per call
//   SortNode       sort keys over children[0]; limit (non-null: keep the top N only)
//   LimitNode      limit / offset (expressions, evaluated once) over children[0]
//   DistinctNode   children[0]'s rows, duplicates removed
//   JoinNode       join type, children[0] (left), children[1] (right); equi keys use a
//                  hash join, `condition` is the rest
//   SetOpNode      set_op, set_all over children[0..1]
//   CteScanNode    the rows of a WITH item: its CteNode, shared by every scan of it
//   CteNode        a WITH item computed once, on first read, and held for the statement
//   RecursiveUnionNode  WITH RECURSIVE: the non-recursive term, then the recursive term
//                  run over the last iteration's new rows until it adds none
//   WorkTableScanNode   the last iteration's new rows, inside the recursive term
//   FunctionScanNode  a table function in FROM (generate_series)
//   InsertNode     table, target columns, rows (VALUES, children[0] or DEFAULT VALUES),
//                  the table's bound defaults, ON CONFLICT, RETURNING
//   UpdateNode     table, assignments over the rows of children[0] (a scan), RETURNING
//   DeleteNode     table, the rows of children[0] (a scan), RETURNING
//
// Thread safety: immutable after optimization; shared by every execution of a prepared
// statement.
#pragma once

#include "sql/planner/plan/aggregate_node.h"
#include "sql/planner/plan/cte_node.h"
#include "sql/planner/plan/cte_scan_node.h"
#include "sql/planner/plan/delete_node.h"
#include "sql/planner/plan/distinct_node.h"
#include "sql/planner/plan/filter_node.h"
#include "sql/planner/plan/function_scan_node.h"
#include "sql/planner/plan/insert_node.h"
#include "sql/planner/plan/join_node.h"
#include "sql/planner/plan/limit_node.h"
#include "sql/planner/plan/plan_node.h"
#include "sql/planner/plan/project_node.h"
#include "sql/planner/plan/recursive_union_node.h"
#include "sql/planner/plan/scan_node.h"
#include "sql/planner/plan/set_op_node.h"
#include "sql/planner/plan/sort_node.h"
#include "sql/planner/plan/update_node.h"
#include "sql/planner/plan/values_node.h"
#include "sql/planner/plan/window_node.h"
#include "sql/planner/plan/work_table_scan_node.h"

namespace tenantdb::sql {

// A FilterNode keeping the rows of `input` for which `predicate` is true (the optimizer
// folds it into a scan below it).
PlanPtr MakeFilter(PlanPtr input, BoundExprPtr predicate);

}  // namespace tenantdb::sql
