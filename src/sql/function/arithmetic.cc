#include "sql/function/arithmetic.h"

#include <string>

#include "sql/function/arithmetic_ops.h"
#include "sql/function/cast.h"
#include "sql/function/interval_arithmetic.h"
#include "sql/function/numeric_arithmetic.h"
#include "sql/function/text_input.h"
#include "types/interval.h"
#include "types/numeric.h"

namespace tenantdb::sql {

namespace arith {

Status ErrorStatus(uint8_t errors, DataType type) {
  if (errors & kDivisionByZero) return Status(ErrorCode::kDivisionByZero, "division by zero");
  if (errors & kZeroToNegativePower) {
    return Status(ErrorCode::kInvalidArgument, "zero raised to a negative power is undefined");
  }
  if (errors & kComplexPower) {
    return Status(ErrorCode::kInvalidArgument,
                  "a negative number raised to a non-integer power yields a complex result");
  }
  if (errors & kOverflow) {
    if (IsInteger(type)) {
      return Status(ErrorCode::kNumericOutOfRange, std::string(PgTypeName(type)) + " out of range");
    }
    if (type == DataType::kDate) return Status(ErrorCode::kDatetimeOverflow, "date out of range");
    return Status(ErrorCode::kNumericOutOfRange, "value out of range: overflow");
  }
  if (errors & kUnderflow) {
    return Status(ErrorCode::kNumericOutOfRange, "value out of range: underflow");
  }
  return Status(ErrorCode::kInternal, "arithmetic error without a cause");
}

}  // namespace arith

namespace {

bool IsNumeric(DataType t) {
  return IsExactNumeric(t) || IsFloatingPoint(t);
}

DataType WiderInteger(DataType a, DataType b) {
  if (a == DataType::kBigInt || b == DataType::kBigInt) return DataType::kBigInt;
  if (a == DataType::kInt || b == DataType::kInt) return DataType::kInt;
  return DataType::kSmallInt;
}

Status NoOperator(ScalarOp op, DataType l, DataType r) {
  return Status(ErrorCode::kUndefinedFunction,
                "operator does not exist: " + std::string(PgTypeName(l)) + " " +
                    std::string(ScalarOpName(op)) + " " + std::string(PgTypeName(r)));
}

Value MakeInteger(DataType type, int64_t v) {
  switch (type) {
    case DataType::kSmallInt:
      return Value::SmallInt(static_cast<int16_t>(v));
    case DataType::kInt:
      return Value::Int(static_cast<int32_t>(v));
    default:
      return Value::BigInt(v);
  }
}

template <typename T>
uint8_t ApplyOp(ScalarOp op, T a, T b, T* out) {
  switch (op) {
    case ScalarOp::kAdd:
      return arith::Add(a, b, out);
    case ScalarOp::kSubtract:
      return arith::Subtract(a, b, out);
    case ScalarOp::kMultiply:
      return arith::Multiply(a, b, out);
    case ScalarOp::kDivide:
      return arith::Divide(a, b, out);
    case ScalarOp::kModulo:
      return arith::Modulo(a, b, out);
    default:
      return arith::kNone;
  }
}

template <typename T>
Result<Value> EvalInteger(ScalarOp op, const Value& l, const Value& r, DataType type) {
  T out{};
  const uint8_t errors =
      ApplyOp<T>(op, static_cast<T>(l.as_int64()), static_cast<T>(r.as_int64()), &out);
  if (errors != arith::kNone) return arith::ErrorStatus(errors, type);
  return MakeInteger(type, out);
}

Result<Value> EvalDate(ScalarOp op, const Value& l, const Value& r) {
  if (l.type() == DataType::kDate && r.type() == DataType::kDate) {
    return Value::Int(static_cast<int32_t>(l.as_int64() - r.as_int64()));
  }
  const int64_t days = l.type() == DataType::kDate ? l.as_int64() : r.as_int64();
  const int64_t delta = l.type() == DataType::kDate ? r.as_int64() : l.as_int64();
  const int64_t result = op == ScalarOp::kSubtract ? days - delta : days + delta;
  if (result < kMinDateDays || result >= kEndDateDays) {
    return Status(ErrorCode::kDatetimeOverflow, "date out of range");
  }
  return Value::Date(static_cast<int32_t>(result));
}

}  // namespace

Result<ArithmeticSignature> BindArithmetic(ScalarOp op, DataType l, DataType r) {
  switch (op) {
    case ScalarOp::kConcat:
      if (l == DataType::kBytea && r == DataType::kBytea) {
        return ArithmeticSignature{l, r, DataType::kBytea};
      }
      if (l == DataType::kText || r == DataType::kText) {
        return ArithmeticSignature{DataType::kText, DataType::kText, DataType::kText};
      }
      return NoOperator(op, l, r);
    case ScalarOp::kPower:
      if (IsNumeric(l) && IsNumeric(r)) {
        return ArithmeticSignature{DataType::kDouble, DataType::kDouble, DataType::kDouble};
      }
      return NoOperator(op, l, r);
    case ScalarOp::kAdd:
    case ScalarOp::kSubtract:
    case ScalarOp::kMultiply:
    case ScalarOp::kDivide:
    case ScalarOp::kModulo:
      break;
    default:
      return NoOperator(op, l, r);
  }
  if (IsInteger(l) && IsInteger(r)) {
    const DataType t = WiderInteger(l, r);
    return ArithmeticSignature{t, t, t};
  }
  if (IsExactNumeric(l) && IsExactNumeric(r)) {  // one side NUMERIC: integers promote to it
    return ArithmeticSignature{DataType::kNumeric, DataType::kNumeric, DataType::kNumeric};
  }
  if (IsNumeric(l) && IsNumeric(r)) {
    const DataType t =
        l == DataType::kReal && r == DataType::kReal ? DataType::kReal : DataType::kDouble;
    return ArithmeticSignature{t, t, t};
  }
  const bool l_int4 = l == DataType::kSmallInt || l == DataType::kInt;
  const bool r_int4 = r == DataType::kSmallInt || r == DataType::kInt;
  if (l == DataType::kDate && r_int4 && (op == ScalarOp::kAdd || op == ScalarOp::kSubtract)) {
    return ArithmeticSignature{DataType::kDate, DataType::kInt, DataType::kDate};
  }
  if (l_int4 && r == DataType::kDate && op == ScalarOp::kAdd) {
    return ArithmeticSignature{DataType::kInt, DataType::kDate, DataType::kDate};
  }
  if (l == DataType::kDate && r == DataType::kDate && op == ScalarOp::kSubtract) {
    return ArithmeticSignature{DataType::kDate, DataType::kDate, DataType::kInt};
  }
  if (std::optional<ArithmeticSignature> sig = BindIntervalArithmetic(op, l, r)) return *sig;
  return NoOperator(op, l, r);
}

Result<DataType> ArithmeticResultType(ScalarOp op, DataType l, DataType r) {
  TDB_ASSIGN_OR_RETURN(ArithmeticSignature sig, BindArithmetic(op, l, r));
  return sig.result;
}

Result<Value> EvalArithmetic(ScalarOp op, const Value& l, const Value& r) {
  TDB_ASSIGN_OR_RETURN(ArithmeticSignature sig, BindArithmetic(op, l.type(), r.type()));
  if (sig.left != l.type() || sig.right != r.type()) {
    return Status(
        ErrorCode::kInternal,
        "EvalArithmetic operands were not cast first: " + std::string(PgTypeName(l.type())) + " " +
            std::string(ScalarOpName(op)) + " " + std::string(PgTypeName(r.type())));
  }
  if (l.is_null() || r.is_null()) return Value::Null(sig.result);
  if (op == ScalarOp::kConcat) {
    std::string out(l.as_bytes());
    out.append(r.as_bytes());
    return sig.result == DataType::kBytea ? Value::Bytea(std::move(out))
                                          : Value::Text(std::move(out));
  }
  if (op == ScalarOp::kPower) {
    double out = 0;
    const uint8_t errors = arith::Power(l.as_double(), r.as_double(), &out);
    if (errors != arith::kNone) return arith::ErrorStatus(errors, DataType::kDouble);
    return Value::Double(out);
  }
  if (sig.result == DataType::kInterval || sig.left == DataType::kInterval ||
      sig.right == DataType::kInterval) {
    return EvalIntervalArithmetic(op, l, r);
  }
  switch (sig.result) {
    case DataType::kSmallInt:
      return EvalInteger<int16_t>(op, l, r, sig.result);
    case DataType::kInt:
      if (sig.left == DataType::kDate) return EvalDate(op, l, r);
      return EvalInteger<int32_t>(op, l, r, sig.result);
    case DataType::kBigInt:
      return EvalInteger<int64_t>(op, l, r, sig.result);
    case DataType::kReal: {
      float out = 0;
      const uint8_t errors = ApplyOp<float>(op, static_cast<float>(l.as_double()),
                                            static_cast<float>(r.as_double()), &out);
      if (errors != arith::kNone) return arith::ErrorStatus(errors, sig.result);
      return Value::Real(out);
    }
    case DataType::kDouble: {
      double out = 0;
      const uint8_t errors = ApplyOp<double>(op, l.as_double(), r.as_double(), &out);
      if (errors != arith::kNone) return arith::ErrorStatus(errors, sig.result);
      return Value::Double(out);
    }
    case DataType::kDate:
      return EvalDate(op, l, r);
    case DataType::kNumeric: {
      TDB_ASSIGN_OR_RETURN(Numeric out, EvalNumericOp(op, l.as_numeric(), r.as_numeric()));
      return Value::FromNumeric(out);
    }
    default:
      return Status(ErrorCode::kInternal, "unhandled arithmetic result type");
  }
}

Result<Value> EvalNegate(const Value& v) {
  const DataType t = v.type();
  if (t == DataType::kInterval) {
    if (v.is_null()) return v;
    TDB_ASSIGN_OR_RETURN(Interval negated, NegateInterval(v.as_interval()));
    return Value::FromInterval(negated);
  }
  if (!IsInteger(t) && !IsFloatingPoint(t) && t != DataType::kNumeric) {
    return Status(ErrorCode::kUndefinedFunction,
                  "operator does not exist: - " + std::string(PgTypeName(t)));
  }
  if (v.is_null()) return v;
  if (t == DataType::kNumeric) return Value::FromNumeric(NegateNumeric(v.as_numeric()));
  if (t == DataType::kReal) return Value::Real(static_cast<float>(-v.as_double()));
  if (t == DataType::kDouble) return Value::Double(-v.as_double());
  Value zero = MakeInteger(t, 0);
  return EvalArithmetic(ScalarOp::kSubtract, zero, v);
}

}  // namespace tenantdb::sql
