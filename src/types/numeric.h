// NUMERIC arithmetic, parsing, printing and encoding shared by the SQL functions, the
// executor's kernels, the storage codecs and the wire protocols. The value type itself
// (Numeric: a 128-bit unscaled integer and a scale) is in include/tenantdb/value.h.
//
// Semantics follow PostgreSQL 15's numeric within 38 significant digits: every value
// carries its display scale; + and - give the larger scale, * the sum of the scales,
// / PostgreSQL's select_div_scale (at least 16 significant digits); rounding to a scale
// is half away from zero. A result that needs more than 38 digits (or a scale above 38)
// is the error "value overflows numeric format" (22003) where PostgreSQL, with its
// 131072 digits, would still have an answer: a documented limit (docs/limits.md).
// NaN and Infinity are not NUMERIC values here.
//
// Every function is pure and thread-safe; errors are Status values, never exceptions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "types/value.h"

namespace tenantdb {

// 10^n for 0 <= n <= 38.
__int128 NumericPow10(int n);

// PostgreSQL's numeric_in: blanks around, sign, digits with one optional point, optional
// exponent ("1.5e3"). 22P02 for text that is not a number, 22003 past 38 digits.
Result<Numeric> ParseNumeric(std::string_view text);

// `v` at `scale` (>= 0): more digits are exact, fewer round half away from zero. 22003
// when the result needs more than 38 digits.
Result<Numeric> RescaleNumeric(const Numeric& v, int scale);

// NUMERIC(precision, scale) assignment (PostgreSQL's apply_typmod): rounds to `scale`,
// then "numeric field overflow" (22003, with PostgreSQL's DETAIL) if the integer part
// has more than precision - scale digits. precision 0 = unconstrained: `v` unchanged.
Result<Numeric> ApplyNumericTypmod(const Numeric& v, int precision, int scale);

// round(v, digits) / trunc(v, digits): digits may be negative (round(1234.5, -2) =
// 1200); the result's scale is max(digits, 0).
Result<Numeric> RoundNumeric(const Numeric& v, int digits);
Result<Numeric> TruncNumeric(const Numeric& v, int digits);
// ceil / floor: scale 0.
Result<Numeric> CeilNumeric(const Numeric& v);
Result<Numeric> FloorNumeric(const Numeric& v);
inline Numeric NegateNumeric(const Numeric& v) {
  return Numeric{-v.unscaled, v.scale};
}
inline Numeric AbsNumeric(const Numeric& v) {
  return Numeric{v.unscaled < 0 ? -v.unscaled : v.unscaled, v.scale};
}
inline int NumericSign(const Numeric& v) {
  return v.unscaled < 0 ? -1 : (v.unscaled > 0);
}

// -1, 0, 1 by value, whatever the scales (1.0 = 1.00).
int CompareNumerics(const Numeric& a, const Numeric& b);

Result<Numeric> AddNumerics(const Numeric& a, const Numeric& b);
Result<Numeric> SubtractNumerics(const Numeric& a, const Numeric& b);
Result<Numeric> MultiplyNumerics(const Numeric& a, const Numeric& b);
// 22012 "division by zero" for b = 0.
Result<Numeric> DivideNumerics(const Numeric& a, const Numeric& b);
Result<Numeric> ModuloNumerics(const Numeric& a, const Numeric& b);
// PostgreSQL's select_div_scale: the scale a / b gets.
int NumericDivScale(const Numeric& a, const Numeric& b);

// Conversions. Integers are exact (scale 0). To an integer rounds half away from zero;
// out of [min, max] is "<type_name> out of range" (22003), e.g. "integer".
inline Numeric NumericFromInt64(int64_t v) {
  return Numeric{v, 0};
}
Result<int64_t> NumericToInt64(const Numeric& v, int64_t min, int64_t max,
                               std::string_view type_name);
// PostgreSQL's float8_numeric / float4_numeric: the value printed with 15 (REAL: 6)
// significant digits, then read as numeric. NaN and infinities are 22003 errors.
Result<Numeric> NumericFromDouble(double v, bool single);
double NumericToDouble(const Numeric& v);

// The same number with trailing fractional zeros removed (1.500 -> 1.5, 0.0 -> 0):
// equal numbers normalize alike, so hash tables and group keys use this.
Numeric NormalizeNumeric(const Numeric& v);
size_t HashNumeric(const Numeric& v);

// 17 bytes: the unscaled value as 16 little-endian bytes (two's complement), then the
// scale. Stored in rows and group keys; the layout is persisted.
inline constexpr size_t kNumericBytes = 17;
void AppendNumericBytes(const Numeric& v, std::string* out);
Numeric NumericFromBytes(const char* bytes);  // reads kNumericBytes

// PostgreSQL's binary numeric (numeric_send / numeric_recv): int16 ndigits, int16 weight,
// uint16 sign (0x0000, 0x4000 negative), int16 dscale, then ndigits base-10000 digits,
// all big-endian. Decoding fails (22P02) on a malformed value, 22003 on NaN, infinities
// and values past 38 digits.
void AppendNumericPgBinary(const Numeric& v, std::string* out);
Result<Numeric> NumericFromPgBinary(std::string_view bytes);

}  // namespace tenantdb
