#include "sql/function/cast.h"

#include <array>
#include <cmath>
#include <limits>
#include <string>

#include "sql/function/text_input.h"
#include "types/array_text.h"
#include "types/array_value.h"
#include "types/numeric.h"

namespace tenantdb::sql {
namespace {

int NumericRank(DataType t) {
  switch (t) {
    case DataType::kSmallInt:
      return 1;
    case DataType::kInt:
      return 2;
    case DataType::kBigInt:
      return 3;
    case DataType::kNumeric:  // PostgreSQL: integers -> numeric -> real -> double, implicitly
      return 4;
    case DataType::kReal:
      return 5;
    case DataType::kDouble:
      return 6;
    default:
      return 0;
  }
}

int TemporalRank(DataType t) {
  switch (t) {
    case DataType::kDate:
      return 1;
    case DataType::kTimestamp:
      return 2;
    case DataType::kTimestampTz:
      return 3;
    default:
      return 0;
  }
}

Status CannotCast(DataType from, DataType to) {
  return Status(ErrorCode::kTypeMismatch, "cannot cast type " + std::string(PgTypeName(from)) +
                                              " to " + std::string(PgTypeName(to)));
}

Result<Value> IntegerOfType(int64_t v, DataType to) {
  switch (to) {
    case DataType::kSmallInt:
      if (v < std::numeric_limits<int16_t>::min() || v > std::numeric_limits<int16_t>::max()) {
        return Status(ErrorCode::kNumericOutOfRange, "smallint out of range");
      }
      return Value::SmallInt(static_cast<int16_t>(v));
    case DataType::kInt:
      if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
        return Status(ErrorCode::kNumericOutOfRange, "integer out of range");
      }
      return Value::Int(static_cast<int32_t>(v));
    default:
      return Value::BigInt(v);
  }
}

// Rounds to the nearest integer, then range-checks. DOUBLE rounds ties away from zero,
// PostgreSQL's NUMERIC -> integer cast: numeric literals such as -2.5 are DOUBLE in
// tenantdb, and CAST(-2.5 AS INT) must give -3 as it does there. REAL rounds ties to
// even, as PostgreSQL's float4 cast (rint) does.
Result<Value> FloatToInteger(double v, DataType to, bool ties_to_even) {
  const double r = ties_to_even ? std::nearbyint(v) : std::round(v);
  // 2^63 as a double; every double in [-2^63, 2^63) converts to int64 exactly.
  constexpr double kTwo63 = 9223372036854775808.0;
  if (std::isnan(r) || r < -kTwo63 || r >= kTwo63) {
    return Status(ErrorCode::kNumericOutOfRange, std::string(PgTypeName(to)) + " out of range");
  }
  return IntegerOfType(static_cast<int64_t>(r), to);
}

Result<Value> DoubleToReal(double v) {
  const float f = static_cast<float>(v);
  if (std::isinf(f) && !std::isinf(v)) {
    return Status(ErrorCode::kNumericOutOfRange, "value out of range: overflow");
  }
  if (f == 0.0f && v != 0.0) {
    return Status(ErrorCode::kNumericOutOfRange, "value out of range: underflow");
  }
  return Value::Real(f);
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

Result<Value> CastTemporal(const Value& v, DataType to) {
  const DataType from = v.type();
  if (from == DataType::kDate) {
    int64_t micros = 0;
    if (__builtin_mul_overflow(v.as_int64(), kMicrosPerDay, &micros) ||
        micros < kMinTimestampMicros) {
      return Status(ErrorCode::kDatetimeOverflow, "date out of range for timestamp");
    }
    return to == DataType::kTimestamp ? Value::Timestamp(micros) : Value::TimestampTz(micros);
  }
  if (to == DataType::kDate) {
    return Value::Date(static_cast<int32_t>(FloorDiv(v.as_int64(), kMicrosPerDay)));
  }
  // TIMESTAMP <-> TIMESTAMPTZ: the session time zone is UTC, so the instant is the same.
  return to == DataType::kTimestamp ? Value::Timestamp(v.as_int64())
                                    : Value::TimestampTz(v.as_int64());
}

// Casts to and from NUMERIC (the caller has checked that one side is NUMERIC).
Result<Value> CastNumeric(const Value& v, DataType to) {
  const DataType from = v.type();
  if (to == DataType::kNumeric) {
    if (IsInteger(from)) return Value::FromNumeric(NumericFromInt64(v.as_int64()));
    if (IsFloatingPoint(from)) {
      TDB_ASSIGN_OR_RETURN(Numeric n, NumericFromDouble(v.as_double(), from == DataType::kReal));
      return Value::FromNumeric(n);
    }
    return CannotCast(from, to);
  }
  const Numeric n = v.as_numeric();
  if (IsInteger(to)) {
    const int64_t min = to == DataType::kSmallInt ? std::numeric_limits<int16_t>::min()
                        : to == DataType::kInt    ? std::numeric_limits<int32_t>::min()
                                                  : std::numeric_limits<int64_t>::min();
    const int64_t max = to == DataType::kSmallInt ? std::numeric_limits<int16_t>::max()
                        : to == DataType::kInt    ? std::numeric_limits<int32_t>::max()
                                                  : std::numeric_limits<int64_t>::max();
    TDB_ASSIGN_OR_RETURN(int64_t i, NumericToInt64(n, min, max, PgTypeName(to)));
    return IntegerOfType(i, to);
  }
  if (to == DataType::kDouble) return Value::Double(NumericToDouble(n));
  if (to == DataType::kReal) return DoubleToReal(NumericToDouble(n));
  return CannotCast(from, to);
}

// Reads row `i` of a fixed-width integer-like column as int64.
template <typename T>
void AppendWidenedInts(const ColumnVector& in, ColumnVector* out, int64_t scale) {
  std::span<const T> values = in.values<T>();
  for (size_t i = 0; i < values.size(); ++i) {
    if (in.IsNull(i)) {
      out->AppendNull();
    } else {
      out->AppendInt64(int64_t{values[i]} * scale);
    }
  }
}

template <typename T>
void AppendIntsAsFloats(const ColumnVector& in, ColumnVector* out) {
  std::span<const T> values = in.values<T>();
  for (size_t i = 0; i < values.size(); ++i) {
    if (in.IsNull(i)) {
      out->AppendNull();
    } else {
      out->AppendDouble(static_cast<double>(values[i]));
    }
  }
}

// Integer narrowing: every non-NULL row range-checked first, then appended.
template <typename From>
Status AppendNarrowedInts(const ColumnVector& in, DataType to, ColumnVector* out) {
  std::span<const From> values = in.values<From>();
  const int64_t min = to == DataType::kSmallInt ? std::numeric_limits<int16_t>::min()
                                                : std::numeric_limits<int32_t>::min();
  const int64_t max = to == DataType::kSmallInt ? std::numeric_limits<int16_t>::max()
                                                : std::numeric_limits<int32_t>::max();
  for (size_t i = 0; i < values.size(); ++i) {
    if (in.IsNull(i)) {
      out->AppendNull();
    } else if (values[i] < min || values[i] > max) {
      return Status(ErrorCode::kNumericOutOfRange, std::string(PgTypeName(to)) + " out of range");
    } else {
      out->AppendInt64(values[i]);
    }
  }
  return Status::Ok();
}

// The typed loops for casts that need no per-row Value; false if `from -> to` has none.
bool TryFastCast(const ColumnVector& in, DataType to, ColumnVector* out, Status* status) {
  const DataType from = in.type();
  if (IsInteger(from) && IsInteger(to)) {
    if (NumericRank(from) > NumericRank(to)) {
      *status = from == DataType::kBigInt ? AppendNarrowedInts<int64_t>(in, to, out)
                                          : AppendNarrowedInts<int32_t>(in, to, out);
    } else if (from == DataType::kSmallInt) {
      AppendWidenedInts<int16_t>(in, out, 1);
    } else if (from == DataType::kInt) {
      AppendWidenedInts<int32_t>(in, out, 1);
    } else {
      AppendWidenedInts<int64_t>(in, out, 1);
    }
    return true;
  }
  if (IsInteger(from) && to == DataType::kDouble) {
    if (from == DataType::kSmallInt) AppendIntsAsFloats<int16_t>(in, out);
    if (from == DataType::kInt) AppendIntsAsFloats<int32_t>(in, out);
    if (from == DataType::kBigInt) AppendIntsAsFloats<int64_t>(in, out);
    return true;
  }
  if (from == DataType::kReal && to == DataType::kDouble) {
    AppendIntsAsFloats<float>(in, out);
    return true;
  }
  if (IsInteger(from) && to == DataType::kNumeric) {
    for (size_t i = 0; i < in.size(); ++i) {
      if (in.IsNull(i)) {
        out->AppendNull();
        continue;
      }
      const int64_t v = from == DataType::kSmallInt ? in.values<int16_t>()[i]
                        : from == DataType::kInt    ? in.values<int32_t>()[i]
                                                    : in.values<int64_t>()[i];
      out->AppendNumeric(NumericFromInt64(v));
    }
    return true;
  }
  if (from == DataType::kNumeric && to == DataType::kDouble) {
    std::span<const Numeric> values = in.values<Numeric>();
    for (size_t i = 0; i < values.size(); ++i) {
      if (in.IsNull(i)) {
        out->AppendNull();
      } else {
        out->AppendDouble(NumericToDouble(values[i]));
      }
    }
    return true;
  }
  if (from == DataType::kDate && (to == DataType::kTimestamp || to == DataType::kTimestampTz)) {
    // Only dates past 294247 AD overflow; those take the checked path.
    std::span<const int32_t> days = in.values<int32_t>();
    constexpr int32_t kLastSafeDay = 106'751'990;
    for (size_t i = 0; i < days.size(); ++i) {
      if (!in.IsNull(i) && (days[i] > kLastSafeDay || days[i] < kMinDateDays)) return false;
    }
    AppendWidenedInts<int32_t>(in, out, kMicrosPerDay);
    return true;
  }
  if ((from == DataType::kTimestamp && to == DataType::kTimestampTz) ||
      (from == DataType::kTimestampTz && to == DataType::kTimestamp)) {
    AppendWidenedInts<int64_t>(in, out, 1);
    return true;
  }
  return false;
}

}  // namespace

Status CastVector(const ColumnVector& in, DataType to, ColumnVector* out) {
  if (out->type() != to || out->size() != 0) {
    return Status(ErrorCode::kInternal, "CastVector needs an empty output of the target type");
  }
  out->Reserve(in.size());
  Status status;
  if (TryFastCast(in, to, out, &status)) return status;
  for (size_t i = 0; i < in.size(); ++i) {
    TDB_ASSIGN_OR_RETURN(Value v, CastValue(in.GetValue(i), to));
    out->Append(v);
  }
  return Status::Ok();
}

std::string_view PgTypeName(DataType type) {
  if (IsArray(type)) {
    // "integer[]", ...: built once from the element names.
    static const auto* names = [] {
      auto* out = new std::array<std::string, 256>();
      for (DataType t : kAllDataTypes)
        (*out)[static_cast<uint8_t>(t)] = std::string(PgTypeName(t)) + "[]";
      return out;
    }();
    const std::string& name = (*names)[static_cast<uint8_t>(ElementType(type))];
    if (name.empty()) return "unknown[]";
    return name;
  }
  switch (type) {
    case DataType::kBoolean:
      return "boolean";
    case DataType::kSmallInt:
      return "smallint";
    case DataType::kInt:
      return "integer";
    case DataType::kBigInt:
      return "bigint";
    case DataType::kReal:
      return "real";
    case DataType::kDouble:
      return "double precision";
    case DataType::kText:
      return "text";
    case DataType::kBytea:
      return "bytea";
    case DataType::kDate:
      return "date";
    case DataType::kTimestamp:
      return "timestamp without time zone";
    case DataType::kTimestampTz:
      return "timestamp with time zone";
    case DataType::kJson:
      return "json";
    case DataType::kUuid:
      return "uuid";
    case DataType::kInterval:
      return "interval";
    case DataType::kNumeric:
      return "numeric";
  }
  return "unknown";
}

// Casts with an array on either side: text to an array (PostgreSQL's array input, each
// element through its type's input), and array to array element by element.
static Result<Value> CastArray(const Value& v, DataType to) {
  const DataType from = v.type();
  std::vector<Value> elements;
  if (from == DataType::kText && IsArray(to)) {
    TDB_ASSIGN_OR_RETURN(TextArray texts, ParseTextArray(v.as_bytes()));
    elements.reserve(texts.size());
    for (auto& text : texts) {
      if (!text.has_value()) {
        elements.push_back(Value::Null(ElementType(to)));
        continue;
      }
      TDB_ASSIGN_OR_RETURN(Value e, CastValue(Value::Text(std::move(*text)), ElementType(to)));
      elements.push_back(std::move(e));
    }
    return Value::Array(ElementType(to), EncodeArray(ElementType(to), elements));
  }
  if (!IsArray(from) || !IsArray(to)) return CannotCast(from, to);
  TDB_ASSIGN_OR_RETURN(elements, DecodeArray(ElementType(from), v.as_bytes()));
  for (Value& e : elements) {
    TDB_ASSIGN_OR_RETURN(e, CastValue(e, ElementType(to)));
  }
  return Value::Array(ElementType(to), EncodeArray(ElementType(to), elements));
}

Result<Value> CastValue(const Value& v, DataType to) {
  const DataType from = v.type();
  if (v.is_null()) return Value::Null(to);
  if (from == to) return v;
  if (IsArray(to) || (IsArray(from) && to != DataType::kText)) return CastArray(v, to);
  if (to == DataType::kText) {
    if (from == DataType::kBoolean) return Value::Text(v.as_bool() ? "true" : "false");
    return Value::Text(v.ToString());
  }
  if (from == DataType::kText) return ParseTextAs(v.as_bytes(), to);

  const bool from_int = IsInteger(from), from_float = IsFloatingPoint(from);
  if (to == DataType::kNumeric || from == DataType::kNumeric) return CastNumeric(v, to);
  if (IsInteger(to)) {
    if (from_int) return IntegerOfType(v.as_int64(), to);
    if (from_float) return FloatToInteger(v.as_double(), to, v.type() == DataType::kReal);
    if (from == DataType::kBoolean && to == DataType::kInt) return Value::Int(v.as_bool() ? 1 : 0);
    return CannotCast(from, to);
  }
  if (IsFloatingPoint(to)) {
    double d = 0;
    if (from_int) {
      d = static_cast<double>(v.as_int64());
    } else if (from_float) {
      d = v.as_double();
    } else {
      return CannotCast(from, to);
    }
    return to == DataType::kReal ? DoubleToReal(d) : Value::Double(d);
  }
  if (to == DataType::kBoolean && from == DataType::kInt) return Value::Boolean(v.as_int64() != 0);
  if (IsTemporal(from) && IsTemporal(to)) return CastTemporal(v, to);
  return CannotCast(from, to);
}

bool AssignmentCastAllowed(DataType from, DataType to) {
  if (from == to || CanCastImplicitly(from, to)) return true;
  if (IsArray(from) && IsArray(to))
    return AssignmentCastAllowed(ElementType(from), ElementType(to));
  if (IsArray(from) || IsArray(to)) return to == DataType::kText;
  const bool from_num = IsExactNumeric(from) || IsFloatingPoint(from);
  const bool to_num = IsExactNumeric(to) || IsFloatingPoint(to);
  if (from_num && to_num) return true;
  if (IsTemporal(from) && IsTemporal(to)) return true;
  if (to == DataType::kText) return true;
  if ((from == DataType::kJson && to == DataType::kText) ||
      (from == DataType::kText && to == DataType::kJson)) {
    return true;
  }
  return false;
}

bool CanCastImplicitly(DataType from, DataType to) {
  if (from == to) return true;
  // No implicit casts between array types (PostgreSQL: integer[] = bigint[] does not
  // exist); the array functions' own binding widens elements (array_functions.cc).
  if (IsArray(from) || IsArray(to)) return false;
  const int nf = NumericRank(from), nt = NumericRank(to);
  if (nf > 0 && nt > 0) return nf < nt;
  const int tf = TemporalRank(from), tt = TemporalRank(to);
  if (tf > 0 && tt > 0) return tf < tt;
  return false;
}

std::optional<DataType> CommonType(DataType a, DataType b) {
  if (a == b) return a;
  if (IsArray(a) || IsArray(b)) return std::nullopt;
  if (CanCastImplicitly(a, b)) return b;
  if (CanCastImplicitly(b, a)) return a;
  const bool a_textual = a == DataType::kText || a == DataType::kJson;
  const bool b_textual = b == DataType::kText || b == DataType::kJson;
  if (a_textual && b_textual) return DataType::kText;
  return std::nullopt;
}

}  // namespace tenantdb::sql
