// The arithmetic operators over INTERVAL and the date/time types, with PostgreSQL's typing:
//   TIMESTAMP[TZ] - TIMESTAMP[TZ]          -> INTERVAL (DATE operands widen to TIMESTAMP)
//   TIMESTAMP[TZ] +/- INTERVAL, INTERVAL + TIMESTAMP[TZ] -> the timestamp's type
//   DATE +/- INTERVAL, INTERVAL + DATE     -> TIMESTAMP (the date at midnight)
//   INTERVAL +/- INTERVAL                  -> INTERVAL
//   INTERVAL * number, number * INTERVAL, INTERVAL / number -> INTERVAL (number as DOUBLE)
// Called by arithmetic.cc for operands it does not type itself. Errors: 22008 "interval
// out of range" / "timestamp out of range", 22012 for division by zero.
//
// Thread safety: pure functions.
#pragma once

#include <optional>

#include "common/status.h"
#include "sql/function/arithmetic.h"
#include "sql/function/scalar_op.h"
#include "types/value.h"

namespace tenantdb::sql {

// The signature of `l op r` when it is one of the above; nullopt otherwise.
std::optional<ArithmeticSignature> BindIntervalArithmetic(ScalarOp op, DataType l, DataType r);

// `l op r` on non-NULL operands of the types BindIntervalArithmetic chose.
Result<Value> EvalIntervalArithmetic(ScalarOp op, const Value& l, const Value& r);

}  // namespace tenantdb::sql
