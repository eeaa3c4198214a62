#include "sql/function/comparison.h"

#include <cmath>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "types/array_value.h"
#include "types/numeric.h"

namespace tenantdb::sql {
namespace {

template <typename T>
inline int Compare3(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    // NaN sorts after everything and equals itself, as in PostgreSQL's float8 ordering.
    const bool na = std::isnan(a), nb = std::isnan(b);
    if (na || nb) return na == nb ? 0 : (na ? 1 : -1);
  }
  return a < b ? -1 : (b < a ? 1 : 0);
}

inline int CompareBytes(std::string_view a, std::string_view b) {
  const int c = a.compare(b);  // char_traits<char>::compare is memcmp: unsigned bytes
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

// Turns a three-way result into the boolean of `op` (an ordering operator).
inline bool Holds(ScalarOp op, int c) {
  switch (op) {
    case ScalarOp::kEqual:
    case ScalarOp::kIsNotDistinctFrom:
      return c == 0;
    case ScalarOp::kNotEqual:
    case ScalarOp::kIsDistinctFrom:
      return c != 0;
    case ScalarOp::kLess:
      return c < 0;
    case ScalarOp::kLessEqual:
      return c <= 0;
    case ScalarOp::kGreater:
      return c > 0;
    case ScalarOp::kGreaterEqual:
      return c >= 0;
    default:
      return false;
  }
}

inline bool IsDistinctOp(ScalarOp op) {
  return op == ScalarOp::kIsDistinctFrom || op == ScalarOp::kIsNotDistinctFrom;
}

// One loop per (type, op) so the comparison inlines into a branch-free body. `get_left` and
// `get_right` read row i of each side (a constant side returns the same value every time).
template <typename GetL, typename GetR, typename Cmp>
void Loop(size_t n, ScalarOp op, GetL get_left, GetR get_right, Cmp cmp,
          std::vector<uint8_t>* out) {
  out->resize(n);
  uint8_t* o = out->data();
  switch (op) {
    case ScalarOp::kEqual:
    case ScalarOp::kIsNotDistinctFrom:
      for (size_t i = 0; i < n; ++i)
        o[i] = cmp(get_left(i), get_right(i)) == 0;
      break;
    case ScalarOp::kNotEqual:
    case ScalarOp::kIsDistinctFrom:
      for (size_t i = 0; i < n; ++i)
        o[i] = cmp(get_left(i), get_right(i)) != 0;
      break;
    case ScalarOp::kLess:
      for (size_t i = 0; i < n; ++i)
        o[i] = cmp(get_left(i), get_right(i)) < 0;
      break;
    case ScalarOp::kLessEqual:
      for (size_t i = 0; i < n; ++i)
        o[i] = cmp(get_left(i), get_right(i)) <= 0;
      break;
    case ScalarOp::kGreater:
      for (size_t i = 0; i < n; ++i)
        o[i] = cmp(get_left(i), get_right(i)) > 0;
      break;
    case ScalarOp::kGreaterEqual:
      for (size_t i = 0; i < n; ++i)
        o[i] = cmp(get_left(i), get_right(i)) >= 0;
      break;
    default:
      break;
  }
}

// Compares every row of `l` with row i of `r` or, when `r` is null, with `constant`; the
// raw results (ignoring NULLs) land in `out`.
template <typename T>
void TypedCompare(ScalarOp op, const ColumnVector& l, const ColumnVector* r, const T& constant,
                  std::vector<uint8_t>* out) {
  std::span<const T> a = l.values<T>();
  auto left = [a](size_t i) { return a[i]; };
  auto cmp = [](const T& x, const T& y) {
    if constexpr (std::is_same_v<T, Uuid>) {
      return std::memcmp(x.data(), y.data(), x.size());
    } else if constexpr (std::is_same_v<T, Interval>) {
      return CompareIntervals(x, y);
    } else if constexpr (std::is_same_v<T, Numeric>) {
      return CompareNumerics(x, y);
    } else {
      return Compare3<T>(x, y);
    }
  };
  if (r != nullptr) {
    std::span<const T> b = r->values<T>();
    Loop(
        l.size(), op, left, [b](size_t i) { return b[i]; }, cmp, out);
  } else {
    Loop(
        l.size(), op, left, [&constant](size_t) { return constant; }, cmp, out);
  }
}

// NUMERIC rows against a constant: the constant raised once to the rows' scale (every
// row of a NUMERIC(p, s) column has scale s), so each row compares two integers. Rows
// of a smaller scale, or a constant too wide to raise, go through CompareNumerics.
void NumericConstantCompare(ScalarOp op, const ColumnVector& l, const Numeric& constant,
                            std::vector<uint8_t>* out) {
  std::span<const Numeric> a = l.values<Numeric>();
  int raised_scale = constant.scale;
  __int128 raised = constant.unscaled;
  bool exact = true;  // `raised` is the constant at raised_scale
  auto cmp = [&](const Numeric& x, const Numeric& c) {
    if (x.scale != raised_scale) {
      raised_scale = x.scale;
      raised = c.unscaled;
      exact = x.scale >= c.scale &&
              !__builtin_mul_overflow(c.unscaled, NumericPow10(x.scale - c.scale), &raised);
    }
    if (exact) return x.unscaled < raised ? -1 : (raised < x.unscaled ? 1 : 0);
    return CompareNumerics(x, c);
  };
  Loop(
      l.size(), op, [a](size_t i) { return a[i]; }, [&constant](size_t) { return constant; }, cmp,
      out);
}

void BytesCompare(ScalarOp op, const ColumnVector& l, const ColumnVector* r,
                  std::string_view constant, std::vector<uint8_t>* out) {
  auto left = [&l](size_t i) { return l.bytes(i); };
  if (r != nullptr) {
    Loop(
        l.size(), op, left, [r](size_t i) { return r->bytes(i); }, CompareBytes, out);
  } else {
    Loop(
        l.size(), op, left, [constant](size_t) { return constant; }, CompareBytes, out);
  }
}

// The shared body of CompareVector and CompareVectorConstant. `r` is null for the constant
// form, in which case `constant` is the right side.
Status CompareImpl(ScalarOp op, const ColumnVector& l, const ColumnVector* r, const Value* constant,
                   ColumnVector* out) {
  if (!IsComparisonOp(op)) {
    return Status(ErrorCode::kInternal, "CompareVector called with a non-comparison operator");
  }
  const DataType t = l.type();
  if ((r != nullptr && (r->type() != t || r->size() != l.size())) ||
      (constant != nullptr && constant->type() != t) || out->type() != DataType::kBoolean ||
      out->size() != 0) {
    return Status(ErrorCode::kInternal,
                  "CompareVector needs inputs of one type and length and an empty BOOLEAN output");
  }
  const size_t n = l.size();
  const bool constant_null = constant != nullptr && constant->is_null();
  std::vector<uint8_t> result;
  if (!constant_null && IsArray(t)) {
    const DataType element = ElementType(t);
    auto cmp = [element](std::string_view x, std::string_view y) {
      return CompareArrays(element, x, y);
    };
    auto left = [&l](size_t i) { return l.bytes(i); };
    if (r != nullptr) {
      Loop(
          n, op, left, [r](size_t i) { return r->bytes(i); }, cmp, &result);
    } else {
      const std::string_view c = constant->as_bytes();
      Loop(
          n, op, left, [c](size_t) { return c; }, cmp, &result);
    }
  } else if (!constant_null) {
    switch (t) {
      case DataType::kBoolean:
        TypedCompare<uint8_t>(op, l, r, constant ? uint8_t{constant->as_bool()} : 0, &result);
        break;
      case DataType::kSmallInt:
        TypedCompare<int16_t>(op, l, r, constant ? static_cast<int16_t>(constant->as_int64()) : 0,
                              &result);
        break;
      case DataType::kInt:
      case DataType::kDate:
        TypedCompare<int32_t>(op, l, r, constant ? static_cast<int32_t>(constant->as_int64()) : 0,
                              &result);
        break;
      case DataType::kBigInt:
      case DataType::kTimestamp:
      case DataType::kTimestampTz:
        TypedCompare<int64_t>(op, l, r, constant ? constant->as_int64() : 0, &result);
        break;
      case DataType::kReal:
        TypedCompare<float>(op, l, r, constant ? static_cast<float>(constant->as_double()) : 0,
                            &result);
        break;
      case DataType::kDouble:
        TypedCompare<double>(op, l, r, constant ? constant->as_double() : 0, &result);
        break;
      case DataType::kUuid:
        TypedCompare<Uuid>(op, l, r, constant ? constant->as_uuid() : Uuid{}, &result);
        break;
      case DataType::kInterval:
        TypedCompare<Interval>(op, l, r, constant ? constant->as_interval() : Interval{}, &result);
        break;
      case DataType::kNumeric:
        if (constant != nullptr) {
          NumericConstantCompare(op, l, constant->as_numeric(), &result);
        } else {
          TypedCompare<Numeric>(op, l, r, Numeric{}, &result);
        }
        break;
      case DataType::kText:
      case DataType::kBytea:
      case DataType::kJson:
        BytesCompare(op, l, r, constant ? constant->as_bytes() : std::string_view(), &result);
        break;
    }
  }
  const bool distinct_op = IsDistinctOp(op);
  const bool none_null = l.null_count() == 0 && (r == nullptr || r->null_count() == 0);
  std::span<uint8_t> values = out->AppendValid<uint8_t>(n);
  if (none_null && !constant_null) {
    std::memcpy(values.data(), result.data(), n);
    return Status::Ok();
  }
  for (size_t i = 0; i < n; ++i) {
    const bool ln = l.IsNull(i);
    const bool rn = constant_null || (r != nullptr && r->IsNull(i));
    if (!ln && !rn) {
      values[i] = result[i];
    } else if (distinct_op) {
      // Both NULL: not distinct; one NULL: distinct.
      const bool distinct = ln != rn;
      values[i] = op == ScalarOp::kIsDistinctFrom ? distinct : !distinct;
    } else {
      out->SetNull<uint8_t>(i);
    }
  }
  return Status::Ok();
}

}  // namespace

int CompareValues(const Value& a, const Value& b) {
  if (IsArray(a.type())) return CompareArrays(ElementType(a.type()), a.as_bytes(), b.as_bytes());
  switch (a.type()) {
    case DataType::kReal:
    case DataType::kDouble:
      return Compare3(a.as_double(), b.as_double());
    case DataType::kText:
    case DataType::kBytea:
    case DataType::kJson:
    case DataType::kUuid:
      return CompareBytes(a.as_bytes(), b.as_bytes());
    case DataType::kInterval:
      return CompareIntervals(a.as_interval(), b.as_interval());
    case DataType::kNumeric:
      return CompareNumerics(a.as_numeric(), b.as_numeric());
    default:
      return Compare3(a.as_int64(), b.as_int64());
  }
}

bool IsComparisonOp(ScalarOp op) {
  switch (op) {
    case ScalarOp::kEqual:
    case ScalarOp::kNotEqual:
    case ScalarOp::kLess:
    case ScalarOp::kLessEqual:
    case ScalarOp::kGreater:
    case ScalarOp::kGreaterEqual:
    case ScalarOp::kIsDistinctFrom:
    case ScalarOp::kIsNotDistinctFrom:
      return true;
    default:
      return false;
  }
}

Result<Value> EvalComparison(ScalarOp op, const Value& a, const Value& b) {
  if (!IsComparisonOp(op) || a.type() != b.type()) {
    return Status(ErrorCode::kInternal, "EvalComparison needs a comparison of one type");
  }
  if (a.is_null() || b.is_null()) {
    if (!IsDistinctOp(op)) return Value::Null(DataType::kBoolean);
    const bool distinct = a.is_null() != b.is_null();
    return Value::Boolean(op == ScalarOp::kIsDistinctFrom ? distinct : !distinct);
  }
  return Value::Boolean(Holds(op, CompareValues(a, b)));
}

Status CompareVector(ScalarOp op, const ColumnVector& l, const ColumnVector& r,
                     ColumnVector* out_boolean) {
  return CompareImpl(op, l, &r, nullptr, out_boolean);
}

Status CompareVectorConstant(ScalarOp op, const ColumnVector& l, const Value& constant,
                             ColumnVector* out_boolean) {
  return CompareImpl(op, l, nullptr, &constant, out_boolean);
}

ScalarOp MirrorComparison(ScalarOp op) {
  switch (op) {
    case ScalarOp::kLess:
      return ScalarOp::kGreater;
    case ScalarOp::kLessEqual:
      return ScalarOp::kGreaterEqual;
    case ScalarOp::kGreater:
      return ScalarOp::kLess;
    case ScalarOp::kGreaterEqual:
      return ScalarOp::kLessEqual;
    default:
      return op;
  }
}

}  // namespace tenantdb::sql
