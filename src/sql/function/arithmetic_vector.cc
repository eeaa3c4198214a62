// The vectorized half of arithmetic.h: typed loops over ColumnVector::values<T>(), no Value
// per row. Each loop computes every row into a scratch vector, ORs the kernels' error bits
// together (NULL rows excluded) and reports the first failing row's error after the loop,
// so the common error-free path has no branch on errors inside the loop.
#include <string>
#include <vector>

#include "sql/function/arithmetic.h"
#include "sql/function/arithmetic_ops.h"
#include "sql/function/cast.h"
#include "sql/function/numeric_arithmetic.h"
#include "sql/function/text_input.h"

namespace tenantdb::sql {
namespace {

// Bit `row` of a's and b's validity ANDed.
inline bool BothValid(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b, size_t row) {
  return ((a[row >> 3] & b[row >> 3]) >> (row & 7) & 1) != 0;
}

template <typename T, typename Kernel>
Status RunLoop(const ColumnVector& l, const ColumnVector& r, ColumnVector* out, Kernel kernel) {
  const size_t n = l.size();
  std::span<const T> a = l.values<T>();
  std::span<const T> b = r.values<T>();
  const auto& va = l.validity();
  const auto& vb = r.validity();
  const bool any_null = l.null_count() != 0 || r.null_count() != 0;
  // T is the result's storage type (values<T>() of out's type).
  std::span<T> result = out->AppendValid<T>(n);
  uint8_t errors = 0;
  if (!any_null) {
    for (size_t i = 0; i < n; ++i)
      errors |= kernel(a[i], b[i], &result[i]);
  } else {
    for (size_t i = 0; i < n; ++i) {
      if (BothValid(va, vb, i)) errors |= kernel(a[i], b[i], &result[i]);
    }
  }
  if (errors != 0) {
    // Report the first failing row's error, as row-at-a-time evaluation would.
    for (size_t i = 0; i < n; ++i) {
      T scratch{};
      if (!BothValid(va, vb, i)) continue;
      if (uint8_t e = kernel(a[i], b[i], &scratch)) return arith::ErrorStatus(e, out->type());
    }
  }
  if (any_null) {
    for (size_t i = 0; i < n; ++i)
      if (!BothValid(va, vb, i)) out->SetNull<T>(i);
  }
  return Status::Ok();
}

template <typename T>
Status RunNumeric(ScalarOp op, const ColumnVector& l, const ColumnVector& r, ColumnVector* out) {
  switch (op) {
    case ScalarOp::kAdd:
      return RunLoop<T>(l, r, out, [](T x, T y, T* o) { return arith::Add(x, y, o); });
    case ScalarOp::kSubtract:
      return RunLoop<T>(l, r, out, [](T x, T y, T* o) { return arith::Subtract(x, y, o); });
    case ScalarOp::kMultiply:
      return RunLoop<T>(l, r, out, [](T x, T y, T* o) { return arith::Multiply(x, y, o); });
    case ScalarOp::kDivide:
      return RunLoop<T>(l, r, out, [](T x, T y, T* o) { return arith::Divide(x, y, o); });
    case ScalarOp::kModulo:
      return RunLoop<T>(l, r, out, [](T x, T y, T* o) { return arith::Modulo(x, y, o); });
    case ScalarOp::kPower:
      if constexpr (std::is_same_v<T, double>) {
        return RunLoop<T>(l, r, out, [](T x, T y, T* o) { return arith::Power(x, y, o); });
      }
      break;
    default:
      break;
  }
  return Status(ErrorCode::kInternal, "unhandled vector arithmetic operator");
}

// DATE +/- INT and INT + DATE: int32 days on both sides, the result range-checked.
Status RunDate(ScalarOp op, const ColumnVector& l, const ColumnVector& r, ColumnVector* out) {
  const bool date_left = l.type() == DataType::kDate;
  const bool subtract = op == ScalarOp::kSubtract;
  if (date_left && r.type() == DataType::kDate) {
    return RunLoop<int32_t>(l, r, out, [](int32_t x, int32_t y, int32_t* o) {
      *o = x - y;  // cannot overflow: the DATE range spans less than 2^31 days
      return uint8_t{arith::kNone};
    });
  }
  return RunLoop<int32_t>(l, r, out, [date_left, subtract](int32_t x, int32_t y, int32_t* o) {
    const int64_t days = date_left ? x : y;
    const int64_t delta = date_left ? y : x;
    const int64_t v = subtract ? days - delta : days + delta;
    *o = static_cast<int32_t>(v);
    return v < kMinDateDays || v >= kEndDateDays ? uint8_t{arith::kOverflow}
                                                 : uint8_t{arith::kNone};
  });
}

Status RunConcat(const ColumnVector& l, const ColumnVector& r, ColumnVector* out) {
  const size_t n = l.size();
  out->Reserve(n);
  std::string scratch;
  for (size_t i = 0; i < n; ++i) {
    if (l.IsNull(i) || r.IsNull(i)) {
      out->AppendNull();
      continue;
    }
    scratch.assign(l.bytes(i));
    scratch.append(r.bytes(i));
    out->AppendBytes(scratch);
  }
  return Status::Ok();
}

template <typename T>
Status NegateLoop(const ColumnVector& in, ColumnVector* out) {
  std::span<const T> values = in.values<T>();
  for (size_t i = 0; i < values.size(); ++i) {
    if (in.IsNull(i)) {
      out->AppendNull();
      continue;
    }
    if constexpr (std::is_floating_point_v<T>) {
      out->AppendDouble(-values[i]);
    } else {
      T negated{};
      if (arith::Subtract(T{0}, values[i], &negated) != arith::kNone) {
        return arith::ErrorStatus(arith::kOverflow, in.type());
      }
      out->AppendInt64(negated);
    }
  }
  return Status::Ok();
}

}  // namespace

Status EvalNegateVector(const ColumnVector& in, ColumnVector* out) {
  if (out->type() != in.type() || out->size() != 0) {
    return Status(ErrorCode::kInternal, "EvalNegateVector needs an empty output of the input type");
  }
  out->Reserve(in.size());
  switch (in.type()) {
    case DataType::kSmallInt:
      return NegateLoop<int16_t>(in, out);
    case DataType::kInt:
      return NegateLoop<int32_t>(in, out);
    case DataType::kBigInt:
      return NegateLoop<int64_t>(in, out);
    case DataType::kReal:
      return NegateLoop<float>(in, out);
    case DataType::kDouble:
      return NegateLoop<double>(in, out);
    case DataType::kInterval:
    case DataType::kNumeric:
      for (size_t i = 0; i < in.size(); ++i) {
        TDB_ASSIGN_OR_RETURN(Value v, EvalNegate(in.GetValue(i)));
        out->Append(v);
      }
      return Status::Ok();
    default:
      return Status(ErrorCode::kUndefinedFunction,
                    "operator does not exist: - " + std::string(PgTypeName(in.type())));
  }
}

Status EvalArithmeticVector(ScalarOp op, const ColumnVector& l, const ColumnVector& r,
                            ColumnVector* out) {
  TDB_ASSIGN_OR_RETURN(ArithmeticSignature sig, BindArithmetic(op, l.type(), r.type()));
  if (sig.left != l.type() || sig.right != r.type() || sig.result != out->type() ||
      l.size() != r.size() || out->size() != 0) {
    return Status(ErrorCode::kInternal,
                  "EvalArithmeticVector needs equal-length inputs of the bound operand types "
                  "and an empty output of the result type");
  }
  if (op == ScalarOp::kConcat) return RunConcat(l, r, out);
  if (sig.result == DataType::kInterval || sig.left == DataType::kInterval ||
      sig.right == DataType::kInterval) {
    // Row at a time: calendar arithmetic has no tight loop worth a typed kernel.
    for (size_t i = 0; i < l.size(); ++i) {
      if (l.IsNull(i) || r.IsNull(i)) {
        out->AppendNull();
        continue;
      }
      TDB_ASSIGN_OR_RETURN(Value v, EvalArithmetic(op, l.GetValue(i), r.GetValue(i)));
      out->Append(v);
    }
    return Status::Ok();
  }
  if (l.type() == DataType::kDate || r.type() == DataType::kDate) return RunDate(op, l, r, out);
  if (sig.result == DataType::kNumeric) return EvalNumericVector(op, l, r, out);
  switch (sig.result) {
    case DataType::kSmallInt:
      return RunNumeric<int16_t>(op, l, r, out);
    case DataType::kInt:
      return RunNumeric<int32_t>(op, l, r, out);
    case DataType::kBigInt:
      return RunNumeric<int64_t>(op, l, r, out);
    case DataType::kReal:
      return RunNumeric<float>(op, l, r, out);
    case DataType::kDouble:
      return RunNumeric<double>(op, l, r, out);
    default:
      return Status(ErrorCode::kInternal, "unhandled vector arithmetic result type");
  }
}

}  // namespace tenantdb::sql
