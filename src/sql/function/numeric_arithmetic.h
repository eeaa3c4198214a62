// NUMERIC's + - * / % for arithmetic.h: one value at a time and as vector kernels over
// ColumnVector::values<Numeric>() (no Value or text per row). Scales and errors are
// types/numeric.h's (PostgreSQL 15's, within 38 digits): 22003 "value overflows numeric
// format", 22012 "division by zero".
//
// Thread safety: pure functions.
#pragma once

#include "common/status.h"
#include "sql/function/scalar_op.h"
#include "types/column_vector.h"
#include "types/value.h"

namespace tenantdb::sql {

// `l op r` for op in kAdd, kSubtract, kMultiply, kDivide, kModulo.
Result<Numeric> EvalNumericOp(ScalarOp op, const Numeric& l, const Numeric& r);

// Row-wise `l op r` of two NUMERIC vectors of equal size, appended to `out` (an empty
// NUMERIC vector). A row is NULL when either input row is; the first failing row's error
// is returned.
Status EvalNumericVector(ScalarOp op, const ColumnVector& l, const ColumnVector& r,
                         ColumnVector* out);

}  // namespace tenantdb::sql
