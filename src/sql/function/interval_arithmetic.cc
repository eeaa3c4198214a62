#include "sql/function/interval_arithmetic.h"

#include "types/interval.h"

namespace tenantdb::sql {

namespace {

bool IsNumber(DataType t) {
  return IsExactNumeric(t) || IsFloatingPoint(t);  // NUMERIC is cast to DOUBLE for these
}
bool IsTimestamp(DataType t) {
  return t == DataType::kTimestamp || t == DataType::kTimestampTz;
}

// The timestamp type two date/time operands of a subtraction meet at.
DataType WiderTimestamp(DataType a, DataType b) {
  return a == DataType::kTimestampTz || b == DataType::kTimestampTz ? DataType::kTimestampTz
                                                                    : DataType::kTimestamp;
}

Value TimestampOfType(DataType type, int64_t micros) {
  return type == DataType::kTimestampTz ? Value::TimestampTz(micros) : Value::Timestamp(micros);
}

}  // namespace

std::optional<ArithmeticSignature> BindIntervalArithmetic(ScalarOp op, DataType l, DataType r) {
  constexpr DataType kIv = DataType::kInterval;
  const bool add = op == ScalarOp::kAdd, sub = op == ScalarOp::kSubtract;
  if (sub && IsTemporal(l) && IsTemporal(r) && !(l == DataType::kDate && r == DataType::kDate)) {
    const DataType t = WiderTimestamp(l, r);
    return ArithmeticSignature{t, t, kIv};
  }
  if (l == kIv && r == kIv && (add || sub)) return ArithmeticSignature{kIv, kIv, kIv};
  if (IsTemporal(l) && r == kIv && (add || sub)) {
    const DataType t = IsTimestamp(l) ? l : DataType::kTimestamp;
    return ArithmeticSignature{t, kIv, t};
  }
  if (l == kIv && IsTemporal(r) && add) {
    const DataType t = IsTimestamp(r) ? r : DataType::kTimestamp;
    return ArithmeticSignature{kIv, t, t};
  }
  if (l == kIv && IsNumber(r) && (op == ScalarOp::kMultiply || op == ScalarOp::kDivide)) {
    return ArithmeticSignature{kIv, DataType::kDouble, kIv};
  }
  if (IsNumber(l) && r == kIv && op == ScalarOp::kMultiply) {
    return ArithmeticSignature{DataType::kDouble, kIv, kIv};
  }
  return std::nullopt;
}

Result<Value> EvalIntervalArithmetic(ScalarOp op, const Value& l, const Value& r) {
  const DataType lt = l.type(), rt = r.type();
  if (IsTimestamp(lt) && IsTimestamp(rt)) {
    TDB_ASSIGN_OR_RETURN(Interval v, TimestampDifference(l.as_int64(), r.as_int64()));
    return Value::FromInterval(v);
  }
  if (IsTimestamp(lt) && rt == DataType::kInterval) {
    TDB_ASSIGN_OR_RETURN(int64_t t, op == ScalarOp::kAdd
                                        ? AddInterval(l.as_int64(), r.as_interval())
                                        : SubtractInterval(l.as_int64(), r.as_interval()));
    return TimestampOfType(lt, t);
  }
  if (lt == DataType::kInterval && IsTimestamp(rt)) {
    TDB_ASSIGN_OR_RETURN(int64_t t, AddInterval(r.as_int64(), l.as_interval()));
    return TimestampOfType(rt, t);
  }
  if (lt == DataType::kInterval && rt == DataType::kInterval) {
    TDB_ASSIGN_OR_RETURN(Interval v, op == ScalarOp::kAdd
                                         ? AddIntervals(l.as_interval(), r.as_interval())
                                         : SubtractIntervals(l.as_interval(), r.as_interval()));
    return Value::FromInterval(v);
  }
  if (lt == DataType::kInterval && rt == DataType::kDouble) {
    TDB_ASSIGN_OR_RETURN(Interval v, op == ScalarOp::kMultiply
                                         ? MultiplyInterval(l.as_interval(), r.as_double())
                                         : DivideInterval(l.as_interval(), r.as_double()));
    return Value::FromInterval(v);
  }
  if (lt == DataType::kDouble && rt == DataType::kInterval) {
    TDB_ASSIGN_OR_RETURN(Interval v, MultiplyInterval(r.as_interval(), l.as_double()));
    return Value::FromInterval(v);
  }
  return Status(ErrorCode::kInternal, "interval arithmetic on operands that were not bound");
}

}  // namespace tenantdb::sql
