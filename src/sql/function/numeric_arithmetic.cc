#include "sql/function/numeric_arithmetic.h"

#include <array>
#include <vector>

#include "types/numeric.h"

namespace tenantdb::sql {

Result<Numeric> EvalNumericOp(ScalarOp op, const Numeric& l, const Numeric& r) {
  switch (op) {
    case ScalarOp::kAdd:
      return AddNumerics(l, r);
    case ScalarOp::kSubtract:
      return SubtractNumerics(l, r);
    case ScalarOp::kMultiply:
      return MultiplyNumerics(l, r);
    case ScalarOp::kDivide:
      return DivideNumerics(l, r);
    case ScalarOp::kModulo:
      return ModuloNumerics(l, r);
    default:
      return Status(ErrorCode::kInternal, "unhandled numeric operator");
  }
}

namespace {

// 10^0 .. 10^38, at compile time: the loops below must not call out per row.
constexpr auto kPow10 = [] {
  std::array<__int128, kNumericMaxPrecision + 1> p{};
  p[0] = 1;
  for (size_t i = 1; i < p.size(); ++i)
    p[i] = p[i - 1] * 10;
  return p;
}();

// |v| < 10^38, the representation's bound.
inline bool Fits(__int128 v) {
  return v > -kPow10[kNumericMaxPrecision] && v < kPow10[kNumericMaxPrecision];
}

// Add, subtract and multiply as plain 128-bit integers: for + and -, the operand of the
// smaller scale is raised to the other's first (1 - l_discount: 1 becomes 100 at scale 2).
// Anything that would overflow takes the general path, which reports it.
template <ScalarOp kOp>
inline bool FastPath(const Numeric& a, const Numeric& b, Numeric* out) {
  if constexpr (kOp == ScalarOp::kAdd || kOp == ScalarOp::kSubtract) {
    __int128 x = a.unscaled, y = b.unscaled;
    const int scale = a.scale > b.scale ? a.scale : b.scale;
    if (scale > kNumericMaxPrecision) return false;
    if (a.scale < scale && __builtin_mul_overflow(x, kPow10[scale - a.scale], &x)) return false;
    if (b.scale < scale && __builtin_mul_overflow(y, kPow10[scale - b.scale], &y)) return false;
    __int128 v;
    const bool overflow =
        kOp == ScalarOp::kAdd ? __builtin_add_overflow(x, y, &v) : __builtin_sub_overflow(x, y, &v);
    if (overflow || !Fits(v)) return false;
    *out = Numeric{v, scale};
    return true;
  } else if constexpr (kOp == ScalarOp::kMultiply) {
    __int128 v;
    if (a.scale + b.scale > kNumericMaxPrecision ||
        __builtin_mul_overflow(a.unscaled, b.unscaled, &v) || !Fits(v)) {
      return false;
    }
    *out = Numeric{v, a.scale + b.scale};
    return true;
  } else {
    return false;
  }
}

template <ScalarOp kOp>
Status Run(const ColumnVector& l, const ColumnVector& r, ColumnVector* out) {
  const size_t n = l.size();
  std::span<const Numeric> a = l.values<Numeric>();
  std::span<const Numeric> b = r.values<Numeric>();
  const bool any_null = l.null_count() != 0 || r.null_count() != 0;
  const size_t base = out->size();
  std::span<Numeric> result = out->AppendValid<Numeric>(n);
  for (size_t i = 0; i < n; ++i) {
    if (any_null && (l.IsNull(i) || r.IsNull(i))) {
      out->SetNull<Numeric>(base + i);
      continue;
    }
    if (!FastPath<kOp>(a[i], b[i], &result[i])) {
      TDB_ASSIGN_OR_RETURN(result[i], EvalNumericOp(kOp, a[i], b[i]));
    }
  }
  return Status::Ok();
}

}  // namespace

Status EvalNumericVector(ScalarOp op, const ColumnVector& l, const ColumnVector& r,
                         ColumnVector* out) {
  switch (op) {
    case ScalarOp::kAdd:
      return Run<ScalarOp::kAdd>(l, r, out);
    case ScalarOp::kSubtract:
      return Run<ScalarOp::kSubtract>(l, r, out);
    case ScalarOp::kMultiply:
      return Run<ScalarOp::kMultiply>(l, r, out);
    case ScalarOp::kDivide:
      return Run<ScalarOp::kDivide>(l, r, out);
    case ScalarOp::kModulo:
      return Run<ScalarOp::kModulo>(l, r, out);
    default:
      return Status(ErrorCode::kInternal, "unhandled numeric vector operator");
  }
}

}  // namespace tenantdb::sql
