// Arithmetic operators + - * / % ^ and the || concatenation, on single Values and on
// ColumnVectors (the executor's vectorized path), with PostgreSQL's typing and errors.
//
// Typing (BindArithmetic), PostgreSQL's operator resolution restricted to our types:
//   integer op integer (+ - * / %)  -> the wider integer type (SMALLINT + SMALLINT is SMALLINT)
//   NUMERIC op NUMERIC or integer   -> NUMERIC (scales as PostgreSQL, types/numeric.h)
//   any numeric op REAL/DOUBLE      -> DOUBLE, except REAL op REAL -> REAL (PostgreSQL has
//                                      no float4 op int operators; both go to float8)
//   ^                               -> DOUBLE for any numeric operands (NUMERIC too, where
//                                      PostgreSQL has numeric ^ numeric)
//   DATE + INT, INT + DATE, DATE - INT -> DATE (SMALLINT operands widen to INT)
//   DATE - DATE                     -> INT (days)
//   INTERVAL and the date/time types -> see interval_arithmetic.h
//   TEXT || anything, anything || TEXT -> TEXT; BYTEA || BYTEA -> BYTEA
//   anything else                   -> kUndefinedFunction "operator does not exist: text + integer"
// DOUBLE % DOUBLE is accepted (fmod, the sign of the dividend) because PostgreSQL numeric
// literals such as 5.5 are DOUBLE in tenantdb and numeric % numeric exists in PostgreSQL.
//
// Evaluation takes operands already cast to the types BindArithmetic returns in `left` and
// `right` (for numerics both are the result type; for || both are TEXT, cast with
// CastValue, or both BYTEA). Errors: 22003 "integer out of range" (and smallint/bigint) on
// overflow, including INT_MIN / -1; 22012 "division by zero" for / and % by zero, for floats
// too; 22003 "value out of range: overflow" when a float result becomes infinite from finite
// inputs. Integer division truncates toward zero. NULL in gives NULL out.
//
// Thread safety: pure functions.
#pragma once

#include "common/status.h"
#include "sql/function/scalar_op.h"
#include "types/column_vector.h"
#include "types/data_type.h"
#include "types/value.h"

namespace tenantdb::sql {

// The operand types an arithmetic operator takes and the type it returns.
struct ArithmeticSignature {
  DataType left;
  DataType right;
  DataType result;
};

// Resolves `l op r` for op in kAdd, kSubtract, kMultiply, kDivide, kModulo, kPower, kConcat.
// The caller casts the left operand to `left` and the right one to `right`. A NULL literal
// has no type here: the binder gives it the other operand's type (or TEXT for ||) first.
Result<ArithmeticSignature> BindArithmetic(ScalarOp op, DataType l, DataType r);

// BindArithmetic(op, l, r).result.
Result<DataType> ArithmeticResultType(ScalarOp op, DataType l, DataType r);

// `l op r` on operands of the types BindArithmetic chose.
Result<Value> EvalArithmetic(ScalarOp op, const Value& l, const Value& r);

// Whether unary minus applies to values of `t` (numbers and INTERVAL).
inline bool HasUnaryMinus(DataType t) {
  return IsExactNumeric(t) || IsFloatingPoint(t) || t == DataType::kInterval;
}

// Unary minus on a numeric or INTERVAL value: -INT_MIN is 22003 "integer out of range".
Result<Value> EvalNegate(const Value& v);

// Row-wise `l op r` appended to `out`. `l` and `r` have equal sizes and the types
// BindArithmetic chose; `out` is an empty vector of the result type. A row is NULL when
// either input row is. On an error (overflow, division by zero in a non-NULL row) `out`
// holds an unspecified prefix and the Status is the one EvalArithmetic would return.
Status EvalArithmeticVector(ScalarOp op, const ColumnVector& l, const ColumnVector& r,
                            ColumnVector* out);

// Row-wise EvalNegate appended to `out`, an empty vector of `in`'s (numeric) type.
Status EvalNegateVector(const ColumnVector& in, ColumnVector* out);

}  // namespace tenantdb::sql
