// ExecContext: what one execution of a plan carries — the request (user, role,
// transaction, storage), the statement's function context (NOW(), CURRENT_USER), the
// bound parameter values, the rows of enclosing queries for correlated subqueries, and
// the results of uncorrelated subqueries and of WITH items (computed once per
// execution), WITH RECURSIVE's work tables, and the statement's stop signal and memory
// budget.
//
// `cancel` and `memory` are never null: they default to a token nobody cancels and an
// unlimited tracker, and the session points them at the statement's own. Operators poll
// `cancel->Check()` between batches (and every kCheckEveryRows rows in long loops) and
// charge what they hold to `memory` through MemoryReservations.
//
// Thread safety: one execution, one thread (the token may be cancelled from any thread).
#pragma once

#include <memory>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/cancel_token.h"
#include "common/memory_tracker.h"
#include "sql/function/scalar_functions.h"
#include "sql/planner/bound_expr.h"
#include "tables/request_context.h"
#include "types/batch.h"

namespace tenantdb::sql {
class OperatorStats;
}  // namespace tenantdb::sql

namespace tenantdb::sql {

// Loops over rows poll the cancel token once per this many rows.
inline constexpr size_t kCheckEveryRows = 4096;

struct ExecContext {
  RequestContext request;
  FunctionContext function;
  std::vector<Value> parameters;  // already cast to the types the binder inferred
  // Innermost last: outer_rows[size - k] is the row of the query k levels out.
  std::vector<std::vector<Value>> outer_rows;
  // Uncorrelated subquery -> its rows (first column), computed on first use.
  absl::flat_hash_map<const BoundExpr*, std::vector<Value>> subquery_results;
  CancelToken* cancel = &CancelToken::Never();
  // EXPLAIN ANALYZE: every operator built counts its rows and time here (null: none do).
  OperatorStats* stats = nullptr;
  MemoryTracker* memory = &MemoryTracker::Unlimited();
  // What subquery_results hold, charged to `memory` while the execution lives.
  MemoryReservation subquery_memory;

  // WITH items read more than once (CteNode::cte_id -> their rows), computed on first
  // read and held, charged to `memory`, while the execution lives (cte_scan.cc).
  struct CteRows {
    std::shared_ptr<const std::vector<Batch>> rows;
    MemoryReservation charge;
  };
  absl::flat_hash_map<int, CteRows> ctes;
  // WITH RECURSIVE: each RecursiveUnion's last iteration of new rows, which its recursive
  // term's WorkTableScans read (recursive_union.cc).
  absl::flat_hash_map<int, std::shared_ptr<const std::vector<Batch>>> work_tables;
};

}  // namespace tenantdb::sql
