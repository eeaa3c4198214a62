// Math functions of the scalar registry. abs, ceil, floor, round, trunc and mod also take
// NUMERIC, exactly (types/numeric.h). Numeric literals are DOUBLE here, and PostgreSQL
// gives several functions (round(x, n), trunc(x, n), log(b, x), mod of fractions) only for
// NUMERIC: their DOUBLE versions behave as NUMERIC would on the number's shortest decimal
// form (round(2.5) is 3, round(2.345, 2) is 2.35).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "sql/function/arithmetic_ops.h"
#include "sql/function/cast.h"
#include "sql/function/comparison.h"
#include "sql/function/function_registry.h"
#include "types/numeric.h"

namespace tenantdb::sql {
namespace {

constexpr DataType kSmall = DataType::kSmallInt;
constexpr DataType kInt = DataType::kInt;
constexpr DataType kBig = DataType::kBigInt;
constexpr DataType kReal = DataType::kReal;
constexpr DataType kDouble = DataType::kDouble;
constexpr DataType kNum = DataType::kNumeric;

Result<Value> NumericValue(Result<Numeric> v) {
  if (!v.ok()) return v.status();
  return Value::FromNumeric(*v);
}

// round / trunc's places as an int: beyond +-1000 PostgreSQL clamps too.
int Places(std::span<const Value> a) {
  const int64_t places = a.size() > 1 ? a[1].as_int64() : 0;
  return static_cast<int>(std::clamp<int64_t>(places, -1000, 1000));
}

Status OutOfRange(DataType t) {
  return Status(ErrorCode::kNumericOutOfRange, std::string(PgTypeName(t)) + " out of range");
}

Value IntegerValue(DataType t, int64_t v) {
  if (t == kSmall) return Value::SmallInt(static_cast<int16_t>(v));
  if (t == kInt) return Value::Int(static_cast<int32_t>(v));
  return Value::BigInt(v);
}

int64_t MinOf(DataType t) {
  if (t == kSmall) return std::numeric_limits<int16_t>::min();
  if (t == kInt) return std::numeric_limits<int32_t>::min();
  return std::numeric_limits<int64_t>::min();
}

Result<Value> Abs(std::span<const Value> a, const FunctionContext&) {
  const DataType t = a[0].type();
  if (t == kNum) return Value::FromNumeric(AbsNumeric(a[0].as_numeric()));
  if (t == kReal) return Value::Real(std::fabs(static_cast<float>(a[0].as_double())));
  if (t == kDouble) return Value::Double(std::fabs(a[0].as_double()));
  const int64_t v = a[0].as_int64();
  if (v == MinOf(t)) return OutOfRange(t);
  return IntegerValue(t, v < 0 ? -v : v);
}

template <double (*fn)(double)>
Result<Value> Unary(std::span<const Value> a, const FunctionContext&) {
  return Value::Double(fn(a[0].as_double()));
}

// ceil / floor: DOUBLE or NUMERIC.
template <double (*fn)(double), Result<Numeric> (*numeric_fn)(const Numeric&)>
Result<Value> CeilFloor(std::span<const Value> a, const FunctionContext&) {
  if (a[0].type() == kNum) return NumericValue(numeric_fn(a[0].as_numeric()));
  return Value::Double(fn(a[0].as_double()));
}

// NUMERIC(p, s) applied to a value: the binder's cast to a typmod and the assignment to
// a NUMERIC(p,s) column (coercion.cc) call this.
Result<Value> NumericTypmod(std::span<const Value> a, const FunctionContext&) {
  return NumericValue(ApplyNumericTypmod(a[0].as_numeric(), static_cast<int>(a[1].as_int64()),
                                         static_cast<int>(a[2].as_int64())));
}

double Ceil(double x) {
  return std::ceil(x);
}
double Floor(double x) {
  return std::floor(x);
}
double Cbrt(double x) {
  return std::cbrt(x);
}
double Sign(double x) {
  return x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0);
}  // NaN and -0 give 0
double Degrees(double x) {
  return x * (180.0 / std::numbers::pi);
}

double Radians(double x) {
  return x * (std::numbers::pi / 180.0);
}

// sign: DOUBLE, or NUMERIC -1, 0 or 1 (scale 0, as PostgreSQL's numeric_sign).
Result<Value> SignOf(std::span<const Value> a, const FunctionContext& context) {
  if (a[0].type() == kNum)
    return Value::FromNumeric(NumericFromInt64(NumericSign(a[0].as_numeric())));
  return Unary<Sign>(a, context);
}

// Rounds (or truncates) `v` at `places` decimal places the way NUMERIC would, on the
// shortest decimal digits that read back as `v`; ties go away from zero.
double DecimalRound(double v, int64_t places, bool truncate) {
  if (!std::isfinite(v) || v == 0) return v;
  char buf[64];
  for (int precision = 15; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof(buf), "%.*e", precision - 1, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  // buf is [-]d.ddddde[+-]x: collect the digits and the decimal exponent.
  std::string digits;
  const char* p = buf;
  const bool negative = *p == '-';
  if (negative) ++p;
  for (; *p != 'e'; ++p) {
    if (*p != '.') digits += *p;
  }
  int64_t exponent = std::strtol(p + 1, nullptr, 10) + 1;  // value = 0.digits * 10^exponent
  const int64_t keep = exponent + places;
  if (keep >= static_cast<int64_t>(digits.size())) return v;
  if (keep < 0) return std::copysign(0.0, v);  // trunc(-0.5) is -0, as float8 in PostgreSQL
  std::string kept = digits.substr(0, static_cast<size_t>(keep));
  if (!truncate && digits[static_cast<size_t>(keep)] >= '5') {
    int64_t i = keep - 1;
    while (i >= 0 && kept[static_cast<size_t>(i)] == '9')
      kept[static_cast<size_t>(i--)] = '0';
    if (i >= 0) {
      ++kept[static_cast<size_t>(i)];
    } else {
      kept.insert(kept.begin(), '1');
      ++exponent;
    }
  }
  if (kept.empty()) return std::copysign(0.0, v);
  const std::string text =
      std::string(negative ? "-" : "") + "0." + kept + "e" + std::to_string(exponent);
  return std::strtod(text.c_str(), nullptr);
}

Result<Value> Round(std::span<const Value> a, const FunctionContext&) {
  if (a[0].type() == kNum) return NumericValue(RoundNumeric(a[0].as_numeric(), Places(a)));
  const int64_t places = a.size() > 1 ? a[1].as_int64() : 0;
  return Value::Double(DecimalRound(a[0].as_double(), places, false));
}

Result<Value> Trunc(std::span<const Value> a, const FunctionContext&) {
  if (a[0].type() == kNum) return NumericValue(TruncNumeric(a[0].as_numeric(), Places(a)));
  const int64_t places = a.size() > 1 ? a[1].as_int64() : 0;
  return Value::Double(DecimalRound(a[0].as_double(), places, true));
}

Result<Value> Sqrt(std::span<const Value> a, const FunctionContext&) {
  const double x = a[0].as_double();
  if (x < 0) {
    return Status(ErrorCode::kInvalidArgument, "cannot take square root of a negative number");
  }
  return Value::Double(std::sqrt(x));
}

Result<Value> Exp(std::span<const Value> a, const FunctionContext&) {
  const double x = a[0].as_double();
  const double r = std::exp(x);
  if (std::isinf(r) && !std::isinf(x)) return arith::ErrorStatus(arith::kOverflow, kDouble);
  if (r == 0 && !std::isinf(x)) return arith::ErrorStatus(arith::kUnderflow, kDouble);
  return Value::Double(r);
}

Status CheckLogArgument(double x) {
  if (x == 0) return Status(ErrorCode::kInvalidArgument, "cannot take logarithm of zero");
  if (x < 0) {
    return Status(ErrorCode::kInvalidArgument, "cannot take logarithm of a negative number");
  }
  return Status::Ok();
}

Result<Value> Ln(std::span<const Value> a, const FunctionContext&) {
  TDB_RETURN_IF_ERROR(CheckLogArgument(a[0].as_double()));
  return Value::Double(std::log(a[0].as_double()));
}

// log(x) is the base-10 logarithm; log(b, x) the base-b one.
Result<Value> Log(std::span<const Value> a, const FunctionContext&) {
  if (a.size() == 1) {
    TDB_RETURN_IF_ERROR(CheckLogArgument(a[0].as_double()));
    return Value::Double(std::log10(a[0].as_double()));
  }
  const double base = a[0].as_double(), x = a[1].as_double();
  TDB_RETURN_IF_ERROR(CheckLogArgument(base));
  TDB_RETURN_IF_ERROR(CheckLogArgument(x));
  if (base == 1) return Status(ErrorCode::kDivisionByZero, "division by zero");
  return Value::Double(std::log(x) / std::log(base));
}

Result<Value> Power(std::span<const Value> a, const FunctionContext&) {
  double out = 0;
  const uint8_t errors = arith::Power(a[0].as_double(), a[1].as_double(), &out);
  if (errors != arith::kNone) return arith::ErrorStatus(errors, kDouble);
  return Value::Double(out);
}

Result<Value> Mod(std::span<const Value> a, const FunctionContext&) {
  const DataType t = a[0].type();
  if (t == kNum) return NumericValue(ModuloNumerics(a[0].as_numeric(), a[1].as_numeric()));
  if (t == kDouble) {
    double out = 0;
    if (uint8_t e = arith::Modulo(a[0].as_double(), a[1].as_double(), &out)) {
      return arith::ErrorStatus(e, t);
    }
    return Value::Double(out);
  }
  int64_t out = 0;
  if (uint8_t e = arith::Modulo(a[0].as_int64(), a[1].as_int64(), &out)) {
    return arith::ErrorStatus(e, t);
  }
  return IntegerValue(t, out);
}

Result<Value> Pi(std::span<const Value>, const FunctionContext&) {
  return Value::Double(std::numbers::pi);
}

Result<Value> Random(std::span<const Value>, const FunctionContext&) {
  // 53 random bits scaled into [0, 1).
  return Value::Double(static_cast<double>(ThreadRandom()() >> 11) * 0x1.0p-53);
}

uint64_t Gcd(uint64_t a, uint64_t b) {
  while (b != 0) {
    const uint64_t r = a % b;
    a = b;
    b = r;
  }
  return a;
}

uint64_t Magnitude(int64_t v) {
  return v < 0 ? 0 - static_cast<uint64_t>(v) : v;
}

template <bool lcm>
Result<Value> GcdLcm(std::span<const Value> a, const FunctionContext&) {
  const DataType t = a[0].type();
  const uint64_t x = Magnitude(a[0].as_int64()), y = Magnitude(a[1].as_int64());
  uint64_t result = Gcd(x, y);
  if constexpr (lcm) {
    if (x == 0 || y == 0) return IntegerValue(t, 0);
    if (__builtin_mul_overflow(x / result, y, &result)) return OutOfRange(t);
  }
  const uint64_t max = t == kInt ? uint64_t{std::numeric_limits<int32_t>::max()}
                                 : uint64_t{std::numeric_limits<int64_t>::max()};
  if (result > max) return OutOfRange(t);
  return IntegerValue(t, static_cast<int64_t>(result));
}

// greatest/least: every argument goes to the common type of the known ones (TEXT when all
// are unknown); NULLs are skipped and only all-NULL gives NULL.
Result<DataType> BindExtreme(const ScalarFunction& f, std::span<const std::optional<DataType>> args,
                             std::vector<DataType>* cast_to) {
  std::optional<DataType> common;
  for (const auto& t : args) {
    if (!t) continue;
    common = common ? CommonType(*common, *t) : t;
    if (!common) return UndefinedFunctionError(f.name, args);
  }
  if (args.empty()) return UndefinedFunctionError(f.name, args);
  const DataType type = common.value_or(DataType::kText);
  cast_to->assign(args.size(), type);
  return type;
}

template <bool greatest>
Result<Value> Extreme(std::span<const Value> a, const FunctionContext&) {
  const Value* best = nullptr;
  for (const Value& v : a) {
    if (v.is_null()) continue;
    if (best == nullptr || (greatest ? CompareValues(v, *best) > 0 : CompareValues(v, *best) < 0)) {
      best = &v;
    }
  }
  return best == nullptr ? Value::Null(a[0].type()) : *best;
}

}  // namespace

void AddMathFunctions(std::vector<ScalarFunction>* out) {
  Add(out, "abs",
      {{{kSmall}, kSmall},
       {{kInt}, kInt},
       {{kBig}, kBig},
       {{kReal}, kReal},
       {{kDouble}, kDouble},
       {{kNum}, kNum}},
      Abs);
  // DOUBLE first: an integer argument matches both by implicit cast, and PostgreSQL
  // prefers float8 in the numeric category.
  for (std::string_view name : {"ceil", "ceiling"}) {
    Add(out, name, {{{kDouble}, kDouble}, {{kNum}, kNum}}, CeilFloor<Ceil, CeilNumeric>);
  }
  Add(out, "floor", {{{kDouble}, kDouble}, {{kNum}, kNum}}, CeilFloor<Floor, FloorNumeric>);
  Add(out, "round",
      {{{kDouble}, kDouble}, {{kDouble, kInt}, kDouble}, {{kNum}, kNum}, {{kNum, kInt}, kNum}},
      Round);
  Add(out, "trunc",
      {{{kDouble}, kDouble}, {{kDouble, kInt}, kDouble}, {{kNum}, kNum}, {{kNum, kInt}, kNum}},
      Trunc);
  Add(out, "numeric_typmod", {{{kNum, kInt, kInt}, kNum}}, NumericTypmod);
  Add(out, "sqrt", {{{kDouble}, kDouble}}, Sqrt);
  Add(out, "cbrt", {{{kDouble}, kDouble}}, Unary<Cbrt>);
  Add(out, "exp", {{{kDouble}, kDouble}}, Exp);
  Add(out, "ln", {{{kDouble}, kDouble}}, Ln);
  Add(out, "log", {{{kDouble}, kDouble}, {{kDouble, kDouble}, kDouble}}, Log);
  Add(out, "log10", {{{kDouble}, kDouble}}, Log);
  for (std::string_view name : {"power", "pow"}) {
    Add(out, name, {{{kDouble, kDouble}, kDouble}}, Power);
  }
  Add(out, "mod",
      {{{kSmall, kSmall}, kSmall},
       {{kInt, kInt}, kInt},
       {{kBig, kBig}, kBig},
       {{kNum, kNum}, kNum},
       {{kDouble, kDouble}, kDouble}},
      Mod);
  Add(out, "sign", {{{kDouble}, kDouble}, {{kNum}, kNum}}, SignOf);
  Add(out, "degrees", {{{kDouble}, kDouble}}, Unary<Degrees>);
  Add(out, "radians", {{{kDouble}, kDouble}}, Unary<Radians>);
  Add(out, "pi", {{{}, kDouble}}, Pi);
  Add(out, "random", {{{}, kDouble}}, Random, /*is_volatile=*/true);
  Add(out, "gcd", {{{kInt, kInt}, kInt}, {{kBig, kBig}, kBig}}, GcdLcm<false>);
  Add(out, "lcm", {{{kInt, kInt}, kInt}, {{kBig, kBig}, kBig}}, GcdLcm<true>);
  for (bool greatest : {true, false}) {
    ScalarFunction f;
    f.name = greatest ? "greatest" : "least";
    f.custom_bind = BindExtreme;
    f.eval = greatest ? Extreme<true> : Extreme<false>;
    f.strict = false;
    out->push_back(std::move(f));
  }
}

}  // namespace tenantdb::sql
