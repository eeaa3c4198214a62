// Internal to sql/function: the per-element arithmetic kernels that both the Value path
// (arithmetic.cc) and the vectorized path (arithmetic_vector.cc) use, so the two cannot
// disagree. Each kernel writes its result and returns 0 or an ArithError bit; the loops OR
// the bits together and turn them into a Status once, after the loop.
#pragma once

#include <cmath>
#include <cstdint>
#include <type_traits>

#include "common/status.h"
#include "types/data_type.h"

namespace tenantdb::sql::arith {

enum ArithError : uint8_t {
  kNone = 0,
  kOverflow = 1,
  kDivisionByZero = 2,
  kUnderflow = 4,
  kZeroToNegativePower = 8,
  kComplexPower = 16,
};

// The Status for the error bits of a failed evaluation producing `type`.
Status ErrorStatus(uint8_t errors, DataType type);

template <typename T>
inline uint8_t FloatCheck(T result, T a, T b) {
  return std::isinf(result) && !std::isinf(a) && !std::isinf(b) ? kOverflow : kNone;
}

template <typename T>
inline uint8_t Add(T a, T b, T* out) {
  if constexpr (std::is_integral_v<T>) {
    return __builtin_add_overflow(a, b, out) ? kOverflow : kNone;
  } else {
    *out = a + b;
    return FloatCheck(*out, a, b);
  }
}

template <typename T>
inline uint8_t Subtract(T a, T b, T* out) {
  if constexpr (std::is_integral_v<T>) {
    return __builtin_sub_overflow(a, b, out) ? kOverflow : kNone;
  } else {
    *out = a - b;
    return FloatCheck(*out, a, b);
  }
}

template <typename T>
inline uint8_t Multiply(T a, T b, T* out) {
  if constexpr (std::is_integral_v<T>) {
    return __builtin_mul_overflow(a, b, out) ? kOverflow : kNone;
  } else {
    *out = a * b;
    if (uint8_t e = FloatCheck(*out, a, b)) return e;
    return *out == 0 && a != 0 && b != 0 ? kUnderflow : kNone;
  }
}

template <typename T>
inline uint8_t Divide(T a, T b, T* out) {
  if constexpr (std::is_integral_v<T>) {
    if (b == 0) return kDivisionByZero;
    if (b == -1) return __builtin_sub_overflow(T{0}, a, out) ? kOverflow : kNone;
    *out = static_cast<T>(a / b);
    return kNone;
  } else {
    // PostgreSQL: NaN / 0 is NaN, any other x / 0 an error.
    if (b == 0 && !std::isnan(a)) return kDivisionByZero;
    *out = a / b;
    if (std::isinf(*out) && !std::isinf(a)) return kOverflow;
    return *out == 0 && a != 0 && !std::isinf(b) ? kUnderflow : kNone;
  }
}

template <typename T>
inline uint8_t Modulo(T a, T b, T* out) {
  if constexpr (std::is_integral_v<T>) {
    if (b == 0) return kDivisionByZero;
    // INT_MIN % -1 traps in C; the answer is 0.
    *out = b == -1 ? T{0} : static_cast<T>(a % b);
    return kNone;
  } else {
    if (b == 0 && !std::isnan(a)) return kDivisionByZero;
    *out = std::fmod(a, b);
    return kNone;
  }
}

// PostgreSQL's float8pow: errors for 0 ^ negative and negative ^ fraction; NaN ^ 0 and
// 1 ^ NaN are 1.
inline uint8_t Power(double a, double b, double* out) {
  if (std::isnan(a)) {
    *out = b == 0 ? 1.0 : a;
    return kNone;
  }
  if (std::isnan(b)) {
    *out = a == 1 ? 1.0 : b;
    return kNone;
  }
  if (a == 0 && b < 0) return kZeroToNegativePower;
  if (a < 0 && std::floor(b) != b && !std::isinf(b)) return kComplexPower;
  *out = std::pow(a, b);
  if (std::isinf(*out) && !std::isinf(a) && !std::isinf(b)) return kOverflow;
  return *out == 0 && a != 0 && !std::isinf(a) && !std::isinf(b) ? kUnderflow : kNone;
}

}  // namespace tenantdb::sql::arith
