// tenantdb/value.h: the SQL types (DataType) and one SQL value (Value) of the public API.
//
// Parameters are passed to Session::Query / Execute as Values; a Cursor hands back column
// types as DataType and single values through RowBatch::GetValue.
//
// Thread safety: value types. DataType's numeric values are persisted: append only.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

// ---- DataType --------------------------------------------------------------------------
//
// The SQL column types tenantdb stores, with their names, PostgreSQL aliases
// and the fixed-width C++ type each is held in inside a columnar Batch.
//
//   type         in memory (per value)                    PostgreSQL names accepted
//   BOOLEAN      uint8_t 0/1                              boolean, bool
//   SMALLINT     int16_t                                  smallint, int2
//   INT          int32_t                                  integer, int, int4
//   BIGINT       int64_t                                  bigint, int8
//   REAL         float                                    real, float4
//   DOUBLE       double                                   double precision, float8, double
//   TEXT         bytes (UTF-8)                            text, varchar, char varying, string
//   BYTEA        bytes                                    bytea
//   DATE         int32_t days since 1970-01-01            date
//   TIMESTAMP    int64_t microseconds since 1970-01-01    timestamp [without time zone]
//   TIMESTAMPTZ  int64_t microseconds since epoch, UTC    timestamptz, timestamp with time zone
//   JSON         bytes (UTF-8 JSON text)                  json, jsonb
//   UUID         16 bytes, big-endian as printed          uuid
//   INTERVAL     Interval (months, days, microseconds)    interval
//   NUMERIC      Numeric (__int128 unscaled, scale)       numeric, decimal
//   elem[]       bytes (types/array_value.h's encoding)   int[], text[], bigint ARRAY, ...
//
// An array type is not an enumerator: it is its element type's value with kArrayFlag set
// (ArrayOf / ElementType / IsArray), so DataType stays one byte and every scalar has one
// array type. Arrays are one-dimensional; elements may be NULL. kAllDataTypes lists the
// scalars only.
//
// The numeric values of DataType are persisted (catalog, row values): append only.
namespace tenantdb {

enum class DataType : uint8_t {
  kBoolean = 1,
  kSmallInt = 2,
  kInt = 3,
  kBigInt = 4,
  kReal = 5,
  kDouble = 6,
  kText = 7,
  kBytea = 8,
  kDate = 9,
  kTimestamp = 10,
  kTimestampTz = 11,
  kJson = 12,
  kUuid = 13,
  kInterval = 14,
  kNumeric = 15,
};

inline constexpr DataType kAllDataTypes[] = {
    DataType::kBoolean, DataType::kSmallInt,  DataType::kInt,         DataType::kBigInt,
    DataType::kReal,    DataType::kDouble,    DataType::kText,        DataType::kBytea,
    DataType::kDate,    DataType::kTimestamp, DataType::kTimestampTz, DataType::kJson,
    DataType::kUuid,    DataType::kInterval,  DataType::kNumeric,
};

// The array type of a scalar element type, and back.
inline constexpr uint8_t kArrayFlag = 0x80;
constexpr bool IsArray(DataType type) {
  return (static_cast<uint8_t>(type) & kArrayFlag) != 0;
}
constexpr DataType ArrayOf(DataType element) {
  return static_cast<DataType>(static_cast<uint8_t>(element) | kArrayFlag);
}
// The element type of an array type; a scalar type is returned unchanged.
constexpr DataType ElementType(DataType type) {
  return static_cast<DataType>(static_cast<uint8_t>(type) & ~kArrayFlag);
}

// Canonical SQL name: "BIGINT", "TIMESTAMPTZ", "INT[]", ...
std::string_view DataTypeName(DataType type);

// Parses a type name case-insensitively, including PostgreSQL's aliases; nullopt if
// unknown. Extra spaces between words are accepted ("double  precision"); a trailing
// "[]" names the array type ("int[]", "text []").
std::optional<DataType> ParseDataType(std::string_view name);

// True for values held as bytes of varying length (TEXT, BYTEA, JSON, arrays).
constexpr bool IsVariableWidth(DataType type) {
  return type == DataType::kText || type == DataType::kBytea || type == DataType::kJson ||
         IsArray(type);
}
constexpr bool IsInteger(DataType type) {
  return type == DataType::kSmallInt || type == DataType::kInt || type == DataType::kBigInt;
}
constexpr bool IsFloatingPoint(DataType type) {
  return type == DataType::kReal || type == DataType::kDouble;
}
constexpr bool IsExactNumeric(DataType type) {
  return IsInteger(type) || type == DataType::kNumeric;
}
constexpr bool IsTemporal(DataType type) {
  return type == DataType::kDate || type == DataType::kTimestamp || type == DataType::kTimestampTz;
}

// INTERVAL's value: months, days and microseconds kept apart, as in PostgreSQL, because
// a month has no fixed number of days (and, across a daylight-saving change, a day no
// fixed number of hours). Comparison and grouping go by the span with a month counted
// as 30 days and a day as 24 hours, so '1 mon' = '30 days' as in PostgreSQL; == here
// is field-wise identity.
struct Interval {
  int64_t micros = 0;
  int32_t days = 0;
  int32_t months = 0;
  friend bool operator==(const Interval&, const Interval&) = default;
};
static_assert(sizeof(Interval) == 16);

// The span PostgreSQL orders intervals by: microseconds with 30-day months.
constexpr __int128 IntervalSpan(const Interval& v) {
  return (static_cast<__int128>(v.months) * 30 + v.days) * 86'400'000'000 + v.micros;
}
constexpr int CompareIntervals(const Interval& a, const Interval& b) {
  const __int128 x = IntervalSpan(a), y = IntervalSpan(b);
  return x < y ? -1 : (y < x ? 1 : 0);
}

// NUMERIC's value: the exact decimal unscaled × 10^-scale, as a 128-bit scaled integer
// (DuckDB's representation). Like PostgreSQL's numeric, every value carries its own
// display scale, so 1.50 + 2.5 is 4.00 and 1.0 prints as 1.0; a column's NUMERIC(p,s)
// typmod (types/field.h) is applied when a value is assigned or cast. Invariants:
// |unscaled| < 10^38 (kNumericMaxPrecision digits) and 0 <= scale <= 38. Comparison
// goes by the number (CompareNumerics in types/numeric.h, 1.0 = 1.00); == here is
// field-wise identity.
inline constexpr int kNumericMaxPrecision = 38;
struct Numeric {
  __int128 unscaled = 0;
  int32_t scale = 0;
  friend bool operator==(const Numeric&, const Numeric&) = default;
};
static_assert(sizeof(Numeric) == 32);

// Bytes per value in a Batch for fixed-width types; 0 for variable-width ones.
size_t FixedWidth(DataType type);

// Whether a stored DataType byte names a known type, scalar or array (for decoding
// persisted data).
bool IsValidDataType(uint8_t raw);

}  // namespace tenantdb

// ---- Value -----------------------------------------------------------------------------
//
// One SQL value of any DataType, or NULL of a type.
//
// Used where values travel one at a time (literals, parameters, keys, test data);
// bulk data moves in a Batch instead. Representation follows data_type.h: integers,
// BOOLEAN, DATE and TIMESTAMP[TZ] in an int64, REAL/DOUBLE in a double, TEXT, BYTEA,
// JSON and UUID (16 raw bytes) in a std::string, arrays in their encoding
// (types/array_value.h) in a std::string.
//
// Thread safety: a value type.
namespace tenantdb {

using Uuid = std::array<uint8_t, 16>;

class Value {
 public:
  // NULL of `type`.
  static Value Null(DataType type) { return Value(type, std::monostate()); }
  static Value Boolean(bool v) { return Value(DataType::kBoolean, int64_t{v}); }
  static Value SmallInt(int16_t v) { return Value(DataType::kSmallInt, int64_t{v}); }
  static Value Int(int32_t v) { return Value(DataType::kInt, int64_t{v}); }
  static Value BigInt(int64_t v) { return Value(DataType::kBigInt, v); }
  static Value Real(float v) { return Value(DataType::kReal, double{v}); }
  static Value Double(double v) { return Value(DataType::kDouble, v); }
  static Value Text(std::string v) { return Value(DataType::kText, std::move(v)); }
  static Value Bytea(std::string v) { return Value(DataType::kBytea, std::move(v)); }
  static Value Json(std::string v) { return Value(DataType::kJson, std::move(v)); }
  // Days since 1970-01-01.
  static Value Date(int32_t days) { return Value(DataType::kDate, int64_t{days}); }
  // Microseconds since 1970-01-01 00:00:00 (TIMESTAMP: wall clock; TIMESTAMPTZ: UTC).
  static Value Timestamp(int64_t micros) { return Value(DataType::kTimestamp, micros); }
  static Value TimestampTz(int64_t micros) { return Value(DataType::kTimestampTz, micros); }
  static Value FromInterval(const Interval& v) { return Value(DataType::kInterval, v); }
  static Value FromNumeric(const Numeric& v) { return Value(DataType::kNumeric, v); }
  // An array of `element`'s type holding `encoded`, types/array_value.h's encoding (build
  // it with EncodeArray there).
  static Value Array(DataType element, std::string encoded) {
    return Value(ArrayOf(element), std::move(encoded));
  }
  static Value FromUuid(const Uuid& v) {
    return Value(DataType::kUuid, std::string(reinterpret_cast<const char*>(v.data()), v.size()));
  }

  DataType type() const { return type_; }
  bool is_null() const { return std::holds_alternative<std::monostate>(data_); }

  // Accessors; the caller checks type() and !is_null() first.
  bool as_bool() const { return std::get<int64_t>(data_) != 0; }
  // BOOLEAN, the integer types, DATE and the timestamps.
  int64_t as_int64() const { return std::get<int64_t>(data_); }
  // REAL and DOUBLE.
  double as_double() const { return std::get<double>(data_); }
  // TEXT, BYTEA, JSON (bytes), UUID (16 raw bytes) and arrays (their encoding).
  std::string_view as_bytes() const { return std::get<std::string>(data_); }
  Uuid as_uuid() const;
  Interval as_interval() const { return std::get<Interval>(data_); }
  Numeric as_numeric() const { return std::get<Numeric>(data_); }

  // Same type and same content; NULL equals NULL here (this is identity, not SQL `=`).
  friend bool operator==(const Value& a, const Value& b) {
    return a.type_ == b.type_ && a.data_ == b.data_;
  }

  // PostgreSQL's text output: t/f, 1.5, 2024-01-31, 2024-01-31 12:00:00.5,
  // 2024-01-31 12:00:00+00, \x0102 for BYTEA, 8-4-4-4-12 hex for UUID,
  // 1 year 2 mons 3 days 04:05:06.5 for INTERVAL, 1.50 (digits to the value's scale)
  // for NUMERIC, {1,2,NULL} / {a,"b c"} for arrays, "NULL" for NULL.
  std::string ToString() const;

 private:
  using Data = std::variant<std::monostate, int64_t, double, std::string, Interval, Numeric>;
  Value(DataType type, Data data) : type_(type), data_(std::move(data)) {}

  DataType type_;
  Data data_;
};

// Calendar helpers shared by parsing, printing and the file formats.
// Days since 1970-01-01 of a proleptic Gregorian date.
int32_t DaysFromCivil(int32_t year, uint32_t month, uint32_t day);
void CivilFromDays(int32_t days, int32_t* year, uint32_t* month, uint32_t* day);
std::string FormatDate(int32_t days);
std::string FormatTimestamp(int64_t micros);
// PostgreSQL's IntervalStyle postgres: "1 year 2 mons -3 days 04:05:06.5", "00:00:00".
std::string FormatInterval(const Interval& v);
// PostgreSQL's interval input ("1 day 02:00", "3 hours ago", "P1DT2H"); false if `text`
// is not an interval or overflows one.
bool ParseIntervalText(std::string_view text, Interval* out);
// PostgreSQL's numeric output: "-1.50", digits after the point to the value's scale.
std::string FormatNumeric(const Numeric& v);

}  // namespace tenantdb
