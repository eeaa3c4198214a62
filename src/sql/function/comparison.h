// Comparison of SQL values: the total order used for sorting, and the = <> < <= > >=
// (and IS [NOT] DISTINCT FROM) operators on single Values and on ColumnVectors.
//
// The order is PostgreSQL's: numbers by value with NaN equal to itself and greater than
// every other number (and -0 equal to 0), BOOLEAN false < true, TEXT, BYTEA and JSON by
// bytes (the C collation), UUID by its 16 bytes, temporal types by their instant. Both
// operands have the same type: the binder casts both sides to CommonType first.
//
// Thread safety: pure functions.
#pragma once

#include "common/status.h"
#include "sql/function/scalar_op.h"
#include "types/column_vector.h"
#include "types/value.h"

namespace tenantdb::sql {

// <0, 0 or >0 as a sorts before, equal to or after b. Both are non-NULL and of one type.
int CompareValues(const Value& a, const Value& b);

// Whether `op` is one CompareVector and EvalComparison accept: kEqual, kNotEqual, kLess,
// kLessEqual, kGreater, kGreaterEqual, kIsDistinctFrom, kIsNotDistinctFrom.
bool IsComparisonOp(ScalarOp op);

// The operator with its operands swapped: `a < b` is `b > a`. Others map to themselves.
ScalarOp MirrorComparison(ScalarOp op);

// `a op b` as a BOOLEAN Value: NULL if either side is NULL, except that IS [NOT] DISTINCT
// FROM treats NULL as a comparable value and never returns NULL. a and b have one type.
Result<Value> EvalComparison(ScalarOp op, const Value& a, const Value& b);

// Row-wise `l op r` appended to `out_boolean`, an empty BOOLEAN vector. l and r have one
// type and equal sizes.
Status CompareVector(ScalarOp op, const ColumnVector& l, const ColumnVector& r,
                     ColumnVector* out_boolean);

// Row-wise `l op constant` (WHERE col = 5): `constant` has l's type; a NULL constant gives
// all NULL (or, for IS [NOT] DISTINCT FROM, compares with each row's NULLness).
Status CompareVectorConstant(ScalarOp op, const ColumnVector& l, const Value& constant,
                             ColumnVector* out_boolean);

}  // namespace tenantdb::sql
