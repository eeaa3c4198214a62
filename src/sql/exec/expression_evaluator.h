// Expression evaluation over columnar batches.
//
// Evaluate() computes a BoundExpr for every row of a Batch at once and returns the column
// of results. Comparisons and arithmetic on columns and constants run as typed loops
// over whole vectors (sql/function); CASE, COALESCE, AND / OR and everything else fall
// back to row-at-a-time evaluation (EvaluateRow), which is also what makes them lazy:
// `CASE WHEN x = 0 THEN 0 ELSE 1 / x END` never divides by zero, and neither does
// `x <> 0 AND 1 / x > 0`, because a vectorized AND / OR whose right side fails is
// re-evaluated row by row with PostgreSQL's short-circuit.
//
// Errors: those of the operators and functions (division_by_zero, numeric_out_of_range,
// invalid_text_representation, ...), cardinality_violation for a scalar subquery with
// more than one row.
// Thread safety: stateless apart from `ctx`, which belongs to the calling execution.
#pragma once

#include <optional>

#include "sql/exec/exec_context.h"
#include "sql/planner/bound_expr.h"
#include "types/batch.h"
#include "types/column_vector.h"

namespace tenantdb::sql {

Result<ColumnVector> Evaluate(const BoundExpr& expr, const Batch& input, ExecContext& ctx);
// The same without copying a plain column of `input`: a pointer to `input`'s column, or
// to the result kept in `storage`. Valid while both live.
Result<const ColumnVector*> EvaluateView(const BoundExpr& expr, const Batch& input,
                                         ExecContext& ctx, std::optional<ColumnVector>* storage);
// The value for one row of `input`.
Result<Value> EvaluateRow(const BoundExpr& expr, const Batch& input, size_t row, ExecContext& ctx);
// An expression that reads no input column (LIMIT, key bounds, VALUES, DEFAULT).
Result<Value> EvaluateConstant(const BoundExpr& expr, ExecContext& ctx);

// Rows where `predicate` (a BOOLEAN vector) is true (not false, not NULL).
std::vector<uint32_t> SelectedRows(const ColumnVector& predicate);
// The rows `rows` of `input`, in that order.
Batch TakeRows(const Batch& input, const std::vector<uint32_t>& rows);

}  // namespace tenantdb::sql
