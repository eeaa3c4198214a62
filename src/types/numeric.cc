#include "types/numeric.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <vector>

namespace tenantdb {

namespace {

using U128 = unsigned __int128;

constexpr int kMaxDigits = kNumericMaxPrecision;
constexpr int kMaxScale = kNumericMaxPrecision;

constexpr auto kPow10 = [] {
  std::array<__int128, kMaxDigits + 1> table{};
  __int128 v = 1;
  for (int i = 0; i <= kMaxDigits; ++i) {
    table[i] = v;
    if (i < kMaxDigits) v *= 10;
  }
  return table;
}();

// 10^38: every unscaled value's magnitude stays below it.
constexpr __int128 kLimit = kPow10[kMaxDigits];

Status Overflow() {
  return Status(ErrorCode::kNumericOutOfRange, "value overflows numeric format");
}

bool Fits(__int128 v) {
  return v > -kLimit && v < kLimit;
}

U128 Magnitude(__int128 v) {
  return v < 0 ? U128(0) - U128(v) : U128(v);
}

// `v` with `drop` (1..38) trailing digits removed, rounding half away from zero.
__int128 DropDigitsRounded(__int128 v, int drop) {
  if (drop > kMaxDigits) return 0;  // |v| < 10^38 < 10^drop / 2
  const __int128 p = kPow10[drop];
  __int128 q = v / p;
  const __int128 r = v % p;
  const U128 twice = Magnitude(r) * 2;
  if (twice >= U128(p)) q += v < 0 ? -1 : 1;
  return q;
}

// v * 10^up, or nullopt past 38 digits.
std::optional<__int128> Raise(__int128 v, int up) {
  if (up == 0) return v;
  if (up > kMaxDigits) return v == 0 ? std::optional<__int128>(0) : std::nullopt;
  __int128 out;
  if (__builtin_mul_overflow(v, kPow10[up], &out) || !Fits(out)) return std::nullopt;
  return out;
}

// Number of decimal digits of a magnitude (0 for 0).
int DigitCount(U128 v) {
  int n = 0;
  while (v != 0) {
    v /= 10;
    ++n;
  }
  return n;
}

}  // namespace

__int128 NumericPow10(int n) {
  return kPow10[n];
}

Result<Numeric> ParseNumeric(std::string_view text) {
  auto invalid = [&] {
    return Status(ErrorCode::kInvalidTextRepresentation,
                  "invalid input syntax for type numeric: \"" + std::string(text) + "\"");
  };
  size_t i = 0, n = text.size();
  auto blank = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (i < n && blank(text[i]))
    ++i;
  while (n > i && blank(text[n - 1]))
    --n;
  bool negative = false;
  if (i < n && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  U128 digits = 0;
  int significant = 0;  // digits kept in `digits`, after leading zeros
  int fraction = 0;     // digits after the point
  bool any = false, point = false;
  for (; i < n; ++i) {
    const char c = text[i];
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    any = true;
    if (point) ++fraction;
    if (digits == 0 && c == '0') continue;  // leading zeros take no room
    if (++significant > kMaxDigits) return Overflow();
    digits = digits * 10 + static_cast<unsigned>(c - '0');
  }
  if (!any) return invalid();
  int64_t exponent = 0;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) exp_negative = text[i++] == '-';
    if (i == n) return invalid();
    for (; i < n && text[i] >= '0' && text[i] <= '9'; ++i) {
      exponent = exponent * 10 + (text[i] - '0');
      if (exponent > 1000) return Overflow();  // PostgreSQL's own exponent limit
    }
    if (exp_negative) exponent = -exponent;
  }
  if (i != n) return invalid();
  // value = digits * 10^(exponent - fraction); its display scale is that, at least 0.
  int64_t scale = fraction - exponent;
  __int128 unscaled = static_cast<__int128>(digits);
  if (scale < 0) {
    std::optional<__int128> raised = Raise(unscaled, static_cast<int>(-scale));
    if (!raised) return Overflow();
    unscaled = *raised;
    scale = 0;
  }
  if (scale > kMaxScale) return Overflow();
  return Numeric{negative ? -unscaled : unscaled, static_cast<int32_t>(scale)};
}

std::string FormatNumeric(const Numeric& v) {
  std::string digits;
  U128 m = Magnitude(v.unscaled);
  while (m != 0) {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(m % 10)));
    m /= 10;
  }
  if (digits.size() < static_cast<size_t>(v.scale) + 1) {
    digits.insert(0, static_cast<size_t>(v.scale) + 1 - digits.size(), '0');
  }
  if (v.scale > 0) digits.insert(digits.size() - static_cast<size_t>(v.scale), ".");
  return v.unscaled < 0 ? "-" + digits : digits;
}

Result<Numeric> RescaleNumeric(const Numeric& v, int scale) {
  if (scale > kMaxScale) return Overflow();
  if (scale >= v.scale) {
    std::optional<__int128> raised = Raise(v.unscaled, scale - v.scale);
    if (!raised) return Overflow();
    return Numeric{*raised, scale};
  }
  return Numeric{DropDigitsRounded(v.unscaled, v.scale - scale), scale};
}

Result<Numeric> ApplyNumericTypmod(const Numeric& v, int precision, int scale) {
  if (precision == 0) return v;
  const int before = v.scale;
  Numeric out{before > scale ? DropDigitsRounded(v.unscaled, before - scale) : v.unscaled,
              before > scale ? scale : before};
  // The integer part may have at most precision - scale digits.
  const int max_integer_digits = precision - scale;
  const int integer_digits = DigitCount(Magnitude(out.unscaled)) - out.scale;
  if (integer_digits > max_integer_digits) {
    std::string limit = max_integer_digits > 0 ? "10^" + std::to_string(max_integer_digits) : "1";
    return Status(ErrorCode::kNumericOutOfRange, "numeric field overflow")
        .WithDetail("A field with precision " + std::to_string(precision) + ", scale " +
                    std::to_string(scale) + " must round to an absolute value less than " + limit +
                    ".");
  }
  // Now |out| < 10^(precision - scale) with at most `scale` decimals: raising fits.
  std::optional<__int128> raised = Raise(out.unscaled, scale - out.scale);
  if (!raised) return Overflow();
  return Numeric{*raised, scale};
}

namespace {

// Rounds (or truncates) to `digits` decimals, digits possibly negative.
Result<Numeric> RoundTo(const Numeric& v, int digits, bool truncate) {
  const int result_scale = digits > 0 ? digits : 0;
  if (digits >= v.scale) return RescaleNumeric(v, std::min(result_scale, kMaxScale));
  const int drop = v.scale - digits;  // >= 1
  __int128 q;
  if (drop > kMaxDigits) {
    q = 0;
  } else if (truncate) {
    q = v.unscaled / kPow10[drop];
  } else {
    q = DropDigitsRounded(v.unscaled, drop);
  }
  // q counts units of 10^-digits; bring it to result_scale.
  std::optional<__int128> out = Raise(q, result_scale - digits);
  if (!out) return Overflow();
  return Numeric{*out, result_scale};
}

}  // namespace

Result<Numeric> RoundNumeric(const Numeric& v, int digits) {
  return RoundTo(v, digits, false);
}
Result<Numeric> TruncNumeric(const Numeric& v, int digits) {
  return RoundTo(v, digits, true);
}

Result<Numeric> CeilNumeric(const Numeric& v) {
  if (v.scale == 0) return v;
  const __int128 p = kPow10[v.scale];
  __int128 q = v.unscaled / p;
  if (v.unscaled % p != 0 && v.unscaled > 0) ++q;
  return Numeric{q, 0};
}

Result<Numeric> FloorNumeric(const Numeric& v) {
  if (v.scale == 0) return v;
  const __int128 p = kPow10[v.scale];
  __int128 q = v.unscaled / p;
  if (v.unscaled % p != 0 && v.unscaled < 0) --q;
  return Numeric{q, 0};
}

int CompareNumerics(const Numeric& a, const Numeric& b) {
  if (a.scale == b.scale) return a.unscaled < b.unscaled ? -1 : (b.unscaled < a.unscaled);
  // The smaller scale raised to the larger: a multiplication, unless it would leave
  // __int128 (then the division below, which cannot overflow).
  __int128 x = a.unscaled, y = b.unscaled;
  if (a.scale < b.scale ? !__builtin_mul_overflow(x, kPow10[b.scale - a.scale], &x)
                        : !__builtin_mul_overflow(y, kPow10[a.scale - b.scale], &y)) {
    return x < y ? -1 : (y < x);
  }
  // Integer parts first (no overflow), then the fractions at the larger scale, which
  // stay below 10^38.
  const __int128 ia = a.unscaled / kPow10[a.scale], ib = b.unscaled / kPow10[b.scale];
  if (ia != ib) return ia < ib ? -1 : 1;
  const int scale = std::max(a.scale, b.scale);
  const __int128 fa = (a.unscaled % kPow10[a.scale]) * kPow10[scale - a.scale];
  const __int128 fb = (b.unscaled % kPow10[b.scale]) * kPow10[scale - b.scale];
  return fa < fb ? -1 : (fb < fa);
}

Result<Numeric> AddNumerics(const Numeric& a, const Numeric& b) {
  const int scale = std::max(a.scale, b.scale);
  std::optional<__int128> x = Raise(a.unscaled, scale - a.scale);
  std::optional<__int128> y = Raise(b.unscaled, scale - b.scale);
  __int128 sum;
  if (!x || !y || __builtin_add_overflow(*x, *y, &sum) || !Fits(sum)) return Overflow();
  return Numeric{sum, scale};
}

Result<Numeric> SubtractNumerics(const Numeric& a, const Numeric& b) {
  return AddNumerics(a, NegateNumeric(b));
}

Result<Numeric> MultiplyNumerics(const Numeric& a, const Numeric& b) {
  __int128 product;
  if (__builtin_mul_overflow(a.unscaled, b.unscaled, &product) || !Fits(product)) {
    return Overflow();
  }
  const int scale = a.scale + b.scale;
  if (scale > kMaxScale) {
    // PostgreSQL keeps every digit; 38 digits cannot hold this scale unless the
    // trailing digits are zeros, which are then dropped (a display difference only).
    Numeric reduced = NormalizeNumeric(Numeric{product, scale});
    if (reduced.scale > kMaxScale) return Overflow();
    return reduced;
  }
  return Numeric{product, scale};
}

int NumericDivScale(const Numeric& a, const Numeric& b) {
  // PostgreSQL estimates the quotient's weight in base-10000 digits: weight = position of
  // the first non-zero base-10000 digit relative to the point, first = that digit.
  auto weight_and_first = [](const Numeric& v, int* weight, int* first) {
    const U128 m = Magnitude(v.unscaled);
    if (m == 0) {
      *weight = 0;
      *first = 0;
      return;
    }
    const int digits = DigitCount(m);
    const int top = digits - v.scale - 1;                 // the leading digit is at 10^top
    const int w = top >= 0 ? top / 4 : -((3 - top) / 4);  // floor(top / 4)
    const int group = top - 4 * w + 1;                    // digits of the leading group, 1..4
    *weight = w;
    *first = static_cast<int>(group >= digits ? m * static_cast<U128>(kPow10[group - digits])
                                              : m / static_cast<U128>(kPow10[digits - group]));
  };
  int w1, f1, w2, f2;
  weight_and_first(a, &w1, &f1);
  weight_and_first(b, &w2, &f2);
  int qweight = w1 - w2;
  if (f1 <= f2) --qweight;
  int scale = 16 - qweight * 4;
  scale = std::max({scale, a.scale, b.scale, 0});
  return std::min(scale, 1000);
}

Result<Numeric> DivideNumerics(const Numeric& a, const Numeric& b) {
  if (b.unscaled == 0) return Status(ErrorCode::kDivisionByZero, "division by zero");
  const int scale = NumericDivScale(a, b);
  if (scale > kMaxScale) {
    // Quotients this small need more than 38 digits of scale; PostgreSQL has them.
    if (a.unscaled == 0) return Numeric{0, kMaxScale};
    return Overflow();
  }
  // quotient = round(|a| * 10^e / |b|), e = scale - a.scale + b.scale >= 0, by long
  // division one decimal digit at a time so nothing exceeds 128 bits.
  const int e = scale - a.scale + b.scale;
  const U128 x = Magnitude(a.unscaled), y = Magnitude(b.unscaled);
  U128 q = x / y, rem = x % y;
  const U128 limit = U128(kLimit);
  if (q >= limit) return Overflow();
  auto next_digit = [&]() {
    // 10 * rem = digit * y + new rem, with rem < y < 2^127 so acc + rem never wraps.
    U128 acc = 0;
    int digit = 0;
    for (int k = 0; k < 10; ++k) {
      acc += rem;
      if (acc >= y) {
        acc -= y;
        ++digit;
      }
    }
    rem = acc;
    return digit;
  };
  for (int k = 0; k < e; ++k) {
    const int digit = next_digit();
    if (q > (limit - 1 - static_cast<U128>(digit)) / 10) return Overflow();
    q = q * 10 + static_cast<U128>(digit);
  }
  if (next_digit() >= 5) ++q;  // half away from zero
  if (q >= limit) return Overflow();
  const __int128 signed_q = static_cast<__int128>(q);
  return Numeric{(a.unscaled < 0) != (b.unscaled < 0) ? -signed_q : signed_q, scale};
}

Result<Numeric> ModuloNumerics(const Numeric& a, const Numeric& b) {
  if (b.unscaled == 0) return Status(ErrorCode::kDivisionByZero, "division by zero");
  const int scale = std::max(a.scale, b.scale);
  std::optional<__int128> x = Raise(a.unscaled, scale - a.scale);
  std::optional<__int128> y = Raise(b.unscaled, scale - b.scale);
  if (!x || !y) return Overflow();
  return Numeric{*x % *y, scale};  // C++ truncates: the sign of a, as PostgreSQL
}

Result<int64_t> NumericToInt64(const Numeric& v, int64_t min, int64_t max,
                               std::string_view type_name) {
  const __int128 i = v.scale == 0 ? v.unscaled : DropDigitsRounded(v.unscaled, v.scale);
  if (i < min || i > max) {
    return Status(ErrorCode::kNumericOutOfRange, std::string(type_name) + " out of range");
  }
  return static_cast<int64_t>(i);
}

Result<Numeric> NumericFromDouble(double v, bool single) {
  if (std::isnan(v)) {
    return Status(ErrorCode::kNumericOutOfRange, "cannot convert NaN to numeric");
  }
  if (std::isinf(v)) {
    return Status(ErrorCode::kNumericOutOfRange, "cannot convert infinity to numeric");
  }
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*g", single ? 6 : 15, v);
  return ParseNumeric(buf);
}

double NumericToDouble(const Numeric& v) {
  if (v.scale == 0 && Magnitude(v.unscaled) < (U128(1) << 53))
    return static_cast<double>(v.unscaled);
  return std::strtod(FormatNumeric(v).c_str(), nullptr);
}

Numeric NormalizeNumeric(const Numeric& v) {
  Numeric out = v;
  if (out.unscaled == 0) return Numeric{0, 0};
  while (out.scale > 0 && out.unscaled % 10 == 0) {
    out.unscaled /= 10;
    --out.scale;
  }
  return out;
}

size_t HashNumeric(const Numeric& v) {
  const Numeric n = NormalizeNumeric(v);
  const U128 u = static_cast<U128>(n.unscaled);
  uint64_t h = static_cast<uint64_t>(u) * 0x9E3779B97F4A7C15ull;
  h ^= static_cast<uint64_t>(u >> 64) + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2);
  h ^= static_cast<uint64_t>(n.scale) * 0xC2B2AE3D27D4EB4Full;
  return static_cast<size_t>(h ^ (h >> 29));
}

void AppendNumericBytes(const Numeric& v, std::string* out) {
  U128 u = static_cast<U128>(v.unscaled);
  char buf[kNumericBytes];
  for (int i = 0; i < 16; ++i) {
    buf[i] = static_cast<char>(static_cast<uint8_t>(u & 0xff));
    u >>= 8;
  }
  buf[16] = static_cast<char>(static_cast<uint8_t>(v.scale));
  out->append(buf, kNumericBytes);
}

Numeric NumericFromBytes(const char* bytes) {
  U128 u = 0;
  for (int i = 15; i >= 0; --i)
    u = (u << 8) | static_cast<uint8_t>(bytes[i]);
  return Numeric{static_cast<__int128>(u), static_cast<uint8_t>(bytes[16])};
}

namespace {

void PutInt16(int v, std::string* out) {
  out->push_back(static_cast<char>((v >> 8) & 0xff));
  out->push_back(static_cast<char>(v & 0xff));
}

int GetInt16(std::string_view bytes, size_t at) {
  return static_cast<int16_t>((static_cast<uint8_t>(bytes[at]) << 8) |
                              static_cast<uint8_t>(bytes[at + 1]));
}

}  // namespace

void AppendNumericPgBinary(const Numeric& v, std::string* out) {
  // Decimal digits split at the point, each side padded to whole base-10000 groups.
  std::string digits = FormatNumeric(AbsNumeric(v));
  std::string integer = digits, fraction;
  if (const size_t point = digits.find('.'); point != std::string::npos) {
    integer = digits.substr(0, point);
    fraction = digits.substr(point + 1);
  }
  if (integer == "0") integer.clear();
  integer.insert(0, (4 - integer.size() % 4) % 4, '0');
  fraction.append((4 - fraction.size() % 4) % 4, '0');
  std::vector<int> groups;
  for (size_t i = 0; i < integer.size(); i += 4)
    groups.push_back(std::stoi(integer.substr(i, 4)));
  for (size_t i = 0; i < fraction.size(); i += 4)
    groups.push_back(std::stoi(fraction.substr(i, 4)));
  int weight = static_cast<int>(integer.size() / 4) - 1;
  size_t first = 0, last = groups.size();
  while (first < last && groups[first] == 0) {
    ++first;
    --weight;
  }
  while (last > first && groups[last - 1] == 0)
    --last;
  if (first == last) weight = 0;  // zero: no digits
  PutInt16(static_cast<int>(last - first), out);
  PutInt16(weight, out);
  PutInt16(v.unscaled < 0 ? 0x4000 : 0, out);
  PutInt16(v.scale, out);
  for (size_t i = first; i < last; ++i)
    PutInt16(groups[i], out);
}

Result<Numeric> NumericFromPgBinary(std::string_view bytes) {
  auto bad = [] {
    return Status(ErrorCode::kInvalidTextRepresentation, "invalid binary data for type numeric");
  };
  if (bytes.size() < 8) return bad();
  const int ndigits = GetInt16(bytes, 0), weight = GetInt16(bytes, 2);
  const int sign = GetInt16(bytes, 4) & 0xffff, dscale = GetInt16(bytes, 6);
  if (ndigits < 0 || bytes.size() != 8 + 2 * static_cast<size_t>(ndigits)) return bad();
  if (sign == 0xC000) return Status(ErrorCode::kNumericOutOfRange, "cannot convert NaN to numeric");
  if (sign == 0xD000 || sign == 0xF000) {
    return Status(ErrorCode::kNumericOutOfRange, "cannot convert infinity to numeric");
  }
  if ((sign != 0 && sign != 0x4000) || dscale < 0) return bad();
  if (dscale > kMaxScale) return Overflow();
  __int128 unscaled = 0;
  for (int i = 0; i < ndigits; ++i) {
    const int digit = GetInt16(bytes, 8 + 2 * static_cast<size_t>(i));
    if (digit < 0 || digit >= 10000) return bad();
    // This group counts units of 10^(4 * (weight - i)); at scale dscale that is
    // 10^(4 * (weight - i) + dscale), and digits past dscale are dropped as PostgreSQL does.
    const int exponent = 4 * (weight - i) + dscale;
    __int128 term;
    if (exponent >= 0) {
      std::optional<__int128> raised = Raise(digit, exponent);
      if (!raised) return Overflow();
      term = *raised;
    } else {
      term = exponent <= -4 ? 0 : digit / kPow10[-exponent];
    }
    if (__builtin_add_overflow(unscaled, term, &unscaled) || !Fits(unscaled)) return Overflow();
  }
  return Numeric{sign == 0x4000 ? -unscaled : unscaled, dscale};
}

}  // namespace tenantdb
