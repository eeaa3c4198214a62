// ExecContext: what one execution of a plan carries — the request (user, role,
// transaction, storage), the statement's function context (NOW(), CURRENT_USER), the
// bound parameter values, the rows of enclosing queries for correlated subqueries, and
// the results of uncorrelated subqueries (computed once per execution).
//
// Thread safety: one execution, one thread.
#pragma once

#include <memory>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "sql/exec/scalar/scalar_functions.h"
#include "sql/planner/bound_expr.h"
#include "tables/request_context.h"
#include "types/batch.h"

namespace tenantdb::sql {

struct ExecContext {
  RequestContext request;
  FunctionContext function;
  std::vector<Value> parameters;  // already cast to the types the binder inferred
  // Innermost last: outer_rows[size - k] is the row of the query k levels out.
  std::vector<std::vector<Value>> outer_rows;
  // Uncorrelated subquery -> its rows (first column), computed on first use.
  absl::flat_hash_map<const BoundExpr*, std::vector<Value>> subquery_results;
};

}  // namespace tenantdb::sql
