// CAST semantics, implicit casts and common types of sql/function/cast.h. Expected
// values were taken from PostgreSQL 15 (`SELECT '...'::type`).
#include "sql/function/cast.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "sql/function/text_input.h"

namespace tenantdb::sql {
namespace {

// CAST(text AS to) rendered as PostgreSQL's output text, or "ERROR <sqlstate>: <message>".
std::string CastText(std::string_view text, DataType to) {
  Result<Value> r = CastValue(Value::Text(std::string(text)), to);
  if (!r.ok()) {
    return "ERROR " + std::string(r.status().sqlstate()) + ": " + std::string(r.status().message());
  }
  return r->ToString();
}

std::string Cast(const Value& v, DataType to) {
  Result<Value> r = CastValue(v, to);
  if (!r.ok()) return "ERROR: " + std::string(r.status().message());
  return r->ToString();
}

ErrorCode CastCode(const Value& v, DataType to) {
  return CastValue(v, to).status().code();
}

TEST(ScalarCast, IntegersFromText) {
  EXPECT_EQ(CastText("  12  ", DataType::kInt), "12");
  EXPECT_EQ(CastText(" +3", DataType::kSmallInt), "3");
  EXPECT_EQ(CastText("-32768", DataType::kSmallInt), "-32768");
  EXPECT_EQ(CastText("-9223372036854775808", DataType::kBigInt), "-9223372036854775808");
  EXPECT_EQ(CastText("9223372036854775807", DataType::kBigInt), "9223372036854775807");
  EXPECT_EQ(CastText("2147483647", DataType::kInt), "2147483647");
  EXPECT_EQ(CastText("abc", DataType::kInt),
            "ERROR 22P02: invalid input syntax for type integer: \"abc\"");
  EXPECT_EQ(CastText("", DataType::kInt),
            "ERROR 22P02: invalid input syntax for type integer: \"\"");
  EXPECT_EQ(CastText("1.5", DataType::kInt),
            "ERROR 22P02: invalid input syntax for type integer: \"1.5\"");
  EXPECT_EQ(CastText("- 1", DataType::kInt),
            "ERROR 22P02: invalid input syntax for type integer: \"- 1\"");
  EXPECT_EQ(CastText("2147483648", DataType::kInt),
            "ERROR 22003: value \"2147483648\" is out of range for type integer");
  EXPECT_EQ(CastText("32768", DataType::kSmallInt),
            "ERROR 22003: value \"32768\" is out of range for type smallint");
  EXPECT_EQ(CastText("9223372036854775808", DataType::kBigInt),
            "ERROR 22003: value \"9223372036854775808\" is out of range for type bigint");
  EXPECT_EQ(CastText("99999999999999999999999", DataType::kBigInt).substr(0, 9), "ERROR 220");
}

TEST(ScalarCast, FloatsFromText) {
  EXPECT_EQ(CastText("1234567890.1234567", DataType::kDouble), "1234567890.1234567");
  EXPECT_EQ(CastText("  1e3 ", DataType::kDouble), "1000");
  EXPECT_EQ(CastText("NaN", DataType::kReal), "NaN");
  EXPECT_EQ(CastText("-inf", DataType::kDouble), "-Infinity");
  EXPECT_EQ(CastText("Infinity", DataType::kDouble), "Infinity");
  EXPECT_EQ(CastText("+INFINITY", DataType::kDouble), "Infinity");
  EXPECT_EQ(CastText("0.1", DataType::kReal), "0.1");
  EXPECT_EQ(CastText("1e400", DataType::kDouble),
            "ERROR 22003: \"1e400\" is out of range for type double precision");
  EXPECT_EQ(CastText("1e-50", DataType::kReal),
            "ERROR 22003: \"1e-50\" is out of range for type real");
  EXPECT_EQ(CastText("1e39", DataType::kReal),
            "ERROR 22003: \"1e39\" is out of range for type real");
  EXPECT_EQ(CastText("abc", DataType::kDouble),
            "ERROR 22P02: invalid input syntax for type double precision: \"abc\"");
  EXPECT_EQ(CastText("nanx", DataType::kDouble),
            "ERROR 22P02: invalid input syntax for type double precision: \"nanx\"");
  EXPECT_EQ(CastText("", DataType::kReal), "ERROR 22P02: invalid input syntax for type real: \"\"");
}

TEST(ScalarCast, BooleansFromText) {
  for (std::string_view t : {"t", "true", "TRUE", "tr", "y", "yes", "on", "1", " yes ", "On"}) {
    EXPECT_EQ(CastText(t, DataType::kBoolean), "t") << t;
  }
  for (std::string_view f : {"f", "false", "n", "no", "off", "OFF", "of", "0", "fal"}) {
    EXPECT_EQ(CastText(f, DataType::kBoolean), "f") << f;
  }
  for (std::string_view bad : {"o", "", "2", "truex", "yess", "10"}) {
    EXPECT_EQ(CastText(bad, DataType::kBoolean),
              "ERROR 22P02: invalid input syntax for type boolean: \"" + std::string(bad) + "\"");
  }
}

TEST(ScalarCast, DatesAndTimestampsFromText) {
  EXPECT_EQ(CastText("2024-01-31", DataType::kDate), "2024-01-31");
  EXPECT_EQ(CastText(" 2024-01-31 ", DataType::kDate), "2024-01-31");
  EXPECT_EQ(CastText("2024-1-5", DataType::kDate), "2024-01-05");
  EXPECT_EQ(CastText("2024-01-31 10:00", DataType::kDate), "2024-01-31");
  EXPECT_EQ(CastText("0001-01-01 BC", DataType::kDate), "0001-01-01 BC");
  EXPECT_EQ(CastText("2024-02-29", DataType::kDate), "2024-02-29");
  EXPECT_EQ(CastText("2024-02-30", DataType::kDate),
            "ERROR 22008: date/time field value out of range: \"2024-02-30\"");
  EXPECT_EQ(CastText("2023-02-29", DataType::kDate),
            "ERROR 22008: date/time field value out of range: \"2023-02-29\"");
  EXPECT_EQ(CastText("abc", DataType::kDate),
            "ERROR 22P02: invalid input syntax for type date: \"abc\"");
  EXPECT_EQ(CastText("4714-11-23 BC", DataType::kDate),
            "ERROR 22008: date out of range: \"4714-11-23 BC\"");
  EXPECT_EQ(CastText("4714-11-24 BC", DataType::kDate), "4714-11-24 BC");

  EXPECT_EQ(CastText("2024-01-31", DataType::kTimestamp), "2024-01-31 00:00:00");
  EXPECT_EQ(CastText("2024-01-31 12:00:00+02", DataType::kTimestamp), "2024-01-31 12:00:00");
  EXPECT_EQ(CastText("2024-01-31T12:34:56.789", DataType::kTimestamp), "2024-01-31 12:34:56.789");
  EXPECT_EQ(CastText("2024-01-01 24:00:00", DataType::kTimestamp), "2024-01-02 00:00:00");
  EXPECT_EQ(CastText("2024-01-31 12:00:00.1234567", DataType::kTimestamp),
            "2024-01-31 12:00:00.123457");
  EXPECT_EQ(CastText("2024-01-31 12:00:00.9999996", DataType::kTimestamp), "2024-01-31 12:00:01");
  EXPECT_EQ(CastText("2024-01-01 25:00", DataType::kTimestamp),
            "ERROR 22008: date/time field value out of range: \"2024-01-01 25:00\"");
  EXPECT_EQ(CastText("2024-01-01 12:60", DataType::kTimestamp),
            "ERROR 22008: date/time field value out of range: \"2024-01-01 12:60\"");
  EXPECT_EQ(CastText("2024-01-01 12", DataType::kTimestamp),
            "ERROR 22P02: invalid input syntax for type timestamp: "
            "\"2024-01-01 12\"");
  EXPECT_EQ(CastText("1969-12-31 23:59:59.5", DataType::kTimestamp), "1969-12-31 23:59:59.5");
  EXPECT_EQ(CastText("1999-12-31 23:59:60", DataType::kTimestamp), "2000-01-01 00:00:00");
  EXPECT_EQ(CastText("1999-12-31 23:59:60.5", DataType::kTimestamp).substr(0, 11), "ERROR 22008");

  EXPECT_EQ(CastText("2024-01-31 12:00:00.5+02", DataType::kTimestampTz),
            "2024-01-31 10:00:00.5+00");
  EXPECT_EQ(CastText("2024-01-31T12:00:00Z", DataType::kTimestampTz), "2024-01-31 12:00:00+00");
  EXPECT_EQ(CastText("2024-01-31 12:00:00+05:30", DataType::kTimestampTz),
            "2024-01-31 06:30:00+00");
  EXPECT_EQ(CastText("2024-01-31 12:00+0530", DataType::kTimestampTz), "2024-01-31 06:30:00+00");
  EXPECT_EQ(CastText("2024-01-31 12:00:00-08", DataType::kTimestampTz), "2024-01-31 20:00:00+00");
  EXPECT_EQ(CastText("2024-01-31 12:00:00 UTC", DataType::kTimestampTz), "2024-01-31 12:00:00+00");
  EXPECT_EQ(CastText("2024-01-31 12:00:00 +02:00", DataType::kTimestampTz),
            "2024-01-31 10:00:00+00");
  EXPECT_EQ(CastText("2024-01-31", DataType::kTimestampTz), "2024-01-31 00:00:00+00");
  EXPECT_EQ(CastText("2024-01-31 12:00:00+2x", DataType::kTimestampTz).substr(0, 11),
            "ERROR 22P02");
}

TEST(ScalarCast, UuidByteaJsonFromText) {
  const std::string canonical = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
  EXPECT_EQ(CastText("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", DataType::kUuid), canonical);
  EXPECT_EQ(CastText("{a0eebc999c0b4ef8bb6d6bb9bd380a11}", DataType::kUuid), canonical);
  EXPECT_EQ(CastText("a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11", DataType::kUuid), canonical);
  EXPECT_EQ(CastText("a0eebc99-9c0b4ef8-bb6d6bb9bd380a11", DataType::kUuid), canonical);
  EXPECT_EQ(CastText("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", DataType::kUuid),
            "ERROR 22P02: invalid input syntax for type uuid: "
            "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1\"");
  EXPECT_EQ(CastText("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11x", DataType::kUuid).substr(0, 11),
            "ERROR 22P02");

  EXPECT_EQ(CastText("abc", DataType::kBytea), "\\x616263");
  EXPECT_EQ(CastText("\\x0102ff", DataType::kBytea), "\\x0102ff");
  EXPECT_EQ(CastText("\\x01 02", DataType::kBytea), "\\x0102");
  EXPECT_EQ(CastText("a\\\\b", DataType::kBytea), "\\x615c62");
  EXPECT_EQ(CastText("\\101", DataType::kBytea), "\\x41");
  EXPECT_EQ(CastText("\\x0g", DataType::kBytea), "ERROR 22P02: invalid hexadecimal digit: \"g\"");
  EXPECT_EQ(CastText("\\x012", DataType::kBytea),
            "ERROR 22P02: invalid hexadecimal data: odd number of digits");
  EXPECT_EQ(CastText("a\\b", DataType::kBytea).substr(0, 11), "ERROR 22P02");

  EXPECT_EQ(CastText("[1,", DataType::kJson), "ERROR 22P02: invalid input syntax for type json");
  EXPECT_EQ(CastText("{\"a\": [1, 2.5e3, null, true]}", DataType::kJson),
            "{\"a\": [1, 2.5e3, null, true]}");
  EXPECT_EQ(CastText(" \"x\\u00e9\" ", DataType::kJson), " \"x\\u00e9\" ");
  for (std::string_view bad : {"[1,", "{a: 1}", "01", "1.", "tru", "\"\\q\"", "[1] 2", ""}) {
    EXPECT_EQ(CastCode(Value::Text(std::string(bad)), DataType::kJson),
              ErrorCode::kInvalidTextRepresentation)
        << bad;
  }
  EXPECT_EQ(CastCode(Value::Text(std::string(5000, '[') + std::string(5000, ']')), DataType::kJson),
            ErrorCode::kInvalidTextRepresentation);
}

TEST(ScalarCast, ToText) {
  EXPECT_EQ(Cast(Value::Boolean(true), DataType::kText), "true");  // the cast, not output 't'
  EXPECT_EQ(Cast(Value::Boolean(false), DataType::kText), "false");
  EXPECT_EQ(Cast(Value::Int(3), DataType::kText), "3");
  EXPECT_EQ(Cast(Value::Real(1.5f), DataType::kText), "1.5");
  EXPECT_EQ(Cast(Value::Date(0), DataType::kText), "1970-01-01");
  EXPECT_EQ(Cast(Value::TimestampTz(1'500'000), DataType::kText), "1970-01-01 00:00:01.5+00");
  EXPECT_EQ(Cast(Value::Bytea("\x01\xff"), DataType::kText), "\\x01ff");
  EXPECT_EQ(Cast(Value::Json("[1]"), DataType::kText), "[1]");
  // Text output reads back to the same value for every type.
  const Value samples[] = {
      Value::SmallInt(-5),
      Value::BigInt(std::numeric_limits<int64_t>::min()),
      Value::Double(0.1),
      Value::Real(3.4e38f),
      Value::Date(-800000),
      Value::Timestamp(-123456789012345),
      Value::TimestampTz(1706702400123456),
      Value::Bytea(std::string("\0\\x", 3)),
      Value::FromUuid(Uuid{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 255}),
      Value::Boolean(true)};
  for (const Value& v : samples) {
    Result<Value> text = CastValue(v, DataType::kText);
    ASSERT_TRUE(text.ok());
    Result<Value> back = CastValue(*text, v.type());
    ASSERT_TRUE(back.ok()) << text->ToString() << ": " << back.status().ToString();
    EXPECT_EQ(*back, v) << text->ToString();
  }
}

TEST(ScalarCast, Numbers) {
  EXPECT_EQ(Cast(Value::Int(32767), DataType::kSmallInt), "32767");
  EXPECT_EQ(Cast(Value::Int(32768), DataType::kSmallInt), "ERROR: smallint out of range");
  EXPECT_EQ(Cast(Value::Int(-32769), DataType::kSmallInt), "ERROR: smallint out of range");
  EXPECT_EQ(Cast(Value::BigInt(2147483647), DataType::kInt), "2147483647");
  EXPECT_EQ(Cast(Value::BigInt(2147483648), DataType::kInt), "ERROR: integer out of range");
  EXPECT_EQ(Cast(Value::BigInt(-2147483649), DataType::kInt), "ERROR: integer out of range");
  EXPECT_EQ(CastCode(Value::BigInt(-2147483649), DataType::kInt), ErrorCode::kNumericOutOfRange);
  // DOUBLE -> integer rounds ties away from zero (PostgreSQL's numeric cast: 2.5 is a
  // numeric literal there and a DOUBLE here); REAL rounds ties to even (float4's rint).
  EXPECT_EQ(Cast(Value::Double(2.5), DataType::kInt), "3");
  EXPECT_EQ(Cast(Value::Double(3.5), DataType::kInt), "4");
  EXPECT_EQ(Cast(Value::Double(-2.5), DataType::kInt), "-3");
  EXPECT_EQ(Cast(Value::Double(1.5), DataType::kSmallInt), "2");
  EXPECT_EQ(Cast(Value::Double(32767.4), DataType::kSmallInt), "32767");
  EXPECT_EQ(Cast(Value::Double(32767.5), DataType::kSmallInt), "ERROR: smallint out of range");
  EXPECT_EQ(Cast(Value::Double(std::nan("")), DataType::kInt), "ERROR: integer out of range");
  EXPECT_EQ(Cast(Value::Double(9223372036854775807.0), DataType::kBigInt),
            "ERROR: bigint out of range");
  EXPECT_EQ(Cast(Value::Double(-9223372036854775808.0), DataType::kBigInt), "-9223372036854775808");
  EXPECT_EQ(Cast(Value::Real(2.5f), DataType::kBigInt), "2");
  EXPECT_EQ(Cast(Value::Double(INFINITY), DataType::kBigInt), "ERROR: bigint out of range");
  // int -> float and between floats.
  EXPECT_EQ(Cast(Value::BigInt(9007199254740993), DataType::kDouble), "9007199254740992");
  EXPECT_EQ(Cast(Value::Real(0.1f), DataType::kDouble), "0.10000000149011612");
  EXPECT_EQ(Cast(Value::Double(1e300), DataType::kReal), "ERROR: value out of range: overflow");
  EXPECT_EQ(Cast(Value::Double(1e-300), DataType::kReal), "ERROR: value out of range: underflow");
  EXPECT_EQ(Cast(Value::Double(INFINITY), DataType::kReal), "Infinity");
  EXPECT_EQ(Cast(Value::Double(0.5), DataType::kReal), "0.5");
}

TEST(ScalarCast, BooleanOnlyWithInt) {
  EXPECT_EQ(Cast(Value::Boolean(true), DataType::kInt), "1");
  EXPECT_EQ(Cast(Value::Int(0), DataType::kBoolean), "f");
  EXPECT_EQ(Cast(Value::Int(5), DataType::kBoolean), "t");
  EXPECT_EQ(Cast(Value::BigInt(1), DataType::kBoolean),
            "ERROR: cannot cast type bigint to boolean");
  EXPECT_EQ(Cast(Value::SmallInt(1), DataType::kBoolean),
            "ERROR: cannot cast type smallint to boolean");
  EXPECT_EQ(Cast(Value::Boolean(true), DataType::kDouble),
            "ERROR: cannot cast type boolean to double precision");
}

TEST(ScalarCast, Temporal) {
  EXPECT_EQ(Cast(Value::Date(19753), DataType::kTimestamp), "2024-01-31 00:00:00");
  EXPECT_EQ(Cast(Value::Date(19753), DataType::kTimestampTz), "2024-01-31 00:00:00+00");
  EXPECT_EQ(Cast(Value::Timestamp(19753 * kMicrosPerDay + kMicrosPerDay - 1), DataType::kDate),
            "2024-01-31");
  EXPECT_EQ(Cast(Value::Timestamp(-3'600'000'000), DataType::kDate), "1969-12-31");
  EXPECT_EQ(Cast(Value::TimestampTz(-1), DataType::kDate), "1969-12-31");
  EXPECT_EQ(Cast(Value::Timestamp(42), DataType::kTimestampTz), "1970-01-01 00:00:00.000042+00");
  EXPECT_EQ(Cast(Value::TimestampTz(42), DataType::kTimestamp), "1970-01-01 00:00:00.000042");
  // A DATE past the last representable timestamp (int64 microseconds end in 294247).
  EXPECT_EQ(Cast(Value::Date(kEndDateDays - 1), DataType::kTimestamp),
            "ERROR: date out of range for timestamp");
  EXPECT_EQ(CastCode(Value::Date(kEndDateDays - 1), DataType::kTimestamp),
            ErrorCode::kDatetimeOverflow);
  EXPECT_EQ(Cast(Value::Date(kMinDateDays), DataType::kTimestamp), "4714-11-24 00:00:00 BC");
}

TEST(ScalarCast, NullsAndUnsupportedPairs) {
  for (DataType from : kAllDataTypes) {
    for (DataType to : kAllDataTypes) {
      Result<Value> r = CastValue(Value::Null(from), to);
      ASSERT_TRUE(r.ok());
      EXPECT_TRUE(r->is_null());
      EXPECT_EQ(r->type(), to);
    }
  }
  EXPECT_EQ(Cast(Value::Bytea("x"), DataType::kDate), "ERROR: cannot cast type bytea to date");
  EXPECT_EQ(CastCode(Value::Bytea("x"), DataType::kDate), ErrorCode::kTypeMismatch);
  EXPECT_EQ(Cast(Value::Json("1"), DataType::kInt), "ERROR: cannot cast type json to integer");
  EXPECT_EQ(Cast(Value::Int(1), DataType::kDate), "ERROR: cannot cast type integer to date");
  EXPECT_EQ(Cast(Value::Date(1), DataType::kBigInt), "ERROR: cannot cast type date to bigint");
  EXPECT_EQ(Cast(Value::Int(1), DataType::kUuid), "ERROR: cannot cast type integer to uuid");
  EXPECT_EQ(Cast(Value::Text("x"), DataType::kText), "x");
}

TEST(ScalarCast, ImplicitCastsAndCommonTypes) {
  EXPECT_TRUE(CanCastImplicitly(DataType::kSmallInt, DataType::kDouble));
  EXPECT_TRUE(CanCastImplicitly(DataType::kInt, DataType::kBigInt));
  EXPECT_TRUE(CanCastImplicitly(DataType::kBigInt, DataType::kReal));
  EXPECT_TRUE(CanCastImplicitly(DataType::kDate, DataType::kTimestampTz));
  EXPECT_TRUE(CanCastImplicitly(DataType::kTimestamp, DataType::kTimestampTz));
  EXPECT_TRUE(CanCastImplicitly(DataType::kUuid, DataType::kUuid));
  EXPECT_FALSE(CanCastImplicitly(DataType::kBigInt, DataType::kInt));
  EXPECT_FALSE(CanCastImplicitly(DataType::kDouble, DataType::kReal));
  EXPECT_FALSE(CanCastImplicitly(DataType::kText, DataType::kInt));
  EXPECT_FALSE(CanCastImplicitly(DataType::kInt, DataType::kText));
  EXPECT_FALSE(CanCastImplicitly(DataType::kTimestampTz, DataType::kDate));
  EXPECT_FALSE(CanCastImplicitly(DataType::kBoolean, DataType::kInt));
  EXPECT_FALSE(CanCastImplicitly(DataType::kInt, DataType::kDate));

  EXPECT_EQ(CommonType(DataType::kInt, DataType::kSmallInt), DataType::kInt);
  EXPECT_EQ(CommonType(DataType::kBigInt, DataType::kReal), DataType::kReal);
  EXPECT_EQ(CommonType(DataType::kDouble, DataType::kInt), DataType::kDouble);
  EXPECT_EQ(CommonType(DataType::kDate, DataType::kTimestamp), DataType::kTimestamp);
  EXPECT_EQ(CommonType(DataType::kTimestampTz, DataType::kDate), DataType::kTimestampTz);
  EXPECT_EQ(CommonType(DataType::kText, DataType::kText), DataType::kText);
  EXPECT_EQ(CommonType(DataType::kJson, DataType::kText), DataType::kText);
  EXPECT_EQ(CommonType(DataType::kUuid, DataType::kUuid), DataType::kUuid);
  EXPECT_EQ(CommonType(DataType::kText, DataType::kInt), std::nullopt);
  EXPECT_EQ(CommonType(DataType::kBoolean, DataType::kInt), std::nullopt);
  EXPECT_EQ(CommonType(DataType::kDate, DataType::kInt), std::nullopt);
  EXPECT_EQ(CommonType(DataType::kBytea, DataType::kText), std::nullopt);
  // Symmetric for every pair.
  for (DataType a : kAllDataTypes) {
    for (DataType b : kAllDataTypes)
      EXPECT_EQ(CommonType(a, b), CommonType(b, a));
  }
}

Value RandomValue(DataType type, std::mt19937_64& rng) {
  if (rng() % 6 == 0) return Value::Null(type);
  const int64_t r = static_cast<int64_t>(rng());
  const int64_t edges[] = {0,          1,          -1,
                           32767,      32768,      -32769,
                           2147483647, 2147483648, std::numeric_limits<int64_t>::min(),
                           106751992};
  const int64_t pick = rng() % 2 ? edges[rng() % 10] : r >> (rng() % 64);
  switch (type) {
    case DataType::kBoolean:
      return Value::Boolean(r & 1);
    case DataType::kSmallInt:
      return Value::SmallInt(static_cast<int16_t>(pick));
    case DataType::kInt:
      return Value::Int(static_cast<int32_t>(pick));
    case DataType::kBigInt:
      return Value::BigInt(pick);
    case DataType::kReal:
      return Value::Real(static_cast<float>(pick) / 3);
    case DataType::kDouble:
      return Value::Double(static_cast<double>(pick) / 7);
    case DataType::kDate:
      return Value::Date(
          static_cast<int32_t>(std::clamp<int64_t>(pick, kMinDateDays, kEndDateDays - 1)));
    case DataType::kTimestamp:
      return Value::Timestamp(std::max(pick, kMinTimestampMicros));
    case DataType::kTimestampTz:
      return Value::TimestampTz(std::max(pick, kMinTimestampMicros));
    case DataType::kText: {
      const char* texts[] = {"12", " -7 ", "abc", "2024-01-31", "t", "1e3", "{}", "\\x01"};
      return Value::Text(texts[rng() % 8]);
    }
    case DataType::kBytea:
      return Value::Bytea(std::to_string(r));
    case DataType::kJson:
      return Value::Json(std::to_string(pick));
    case DataType::kUuid:
      return Value::FromUuid(Uuid{static_cast<uint8_t>(r), 1, 2, 3});
    case DataType::kInterval:
      return Value::FromInterval(Interval{pick, static_cast<int32_t>(r), 1});
    case DataType::kNumeric:
      return Value::FromNumeric(Numeric{pick, static_cast<int32_t>(static_cast<uint64_t>(r) % 6)});
  }
  return Value::Null(type);
}

// CastVector and CastValue agree on every pair of types, errors included.
TEST(ScalarCast, CastVectorAgreesWithCastValue) {
  std::mt19937_64 rng(3);
  for (DataType from : kAllDataTypes) {
    for (DataType to : kAllDataTypes) {
      for (int round = 0; round < 10; ++round) {
        const size_t n = 1 + rng() % 12;
        ColumnVector in(from);
        std::vector<Value> values;
        for (size_t i = 0; i < n; ++i) {
          values.push_back(RandomValue(from, rng));
          in.Append(values.back());
        }
        ColumnVector out(to);
        const Status status = CastVector(in, to, &out);
        Status first_error;
        std::vector<Value> expected;
        for (const Value& v : values) {
          Result<Value> c = CastValue(v, to);
          if (!c.ok()) {
            first_error = c.status();
            break;
          }
          expected.push_back(*c);
        }
        ASSERT_EQ(status.ok(), first_error.ok())
            << DataTypeName(from) << " -> " << DataTypeName(to) << ": " << status.ToString()
            << " vs " << first_error.ToString();
        if (!status.ok()) {
          EXPECT_EQ(status.message(), first_error.message());
          continue;
        }
        ASSERT_EQ(out.size(), n);
        for (size_t i = 0; i < n; ++i) {
          const Value got = out.GetValue(i);
          if (got.type() == DataType::kDouble && !got.is_null() && std::isnan(got.as_double())) {
            continue;
          }
          EXPECT_EQ(got, expected[i])
              << DataTypeName(from) << " -> " << DataTypeName(to) << " " << values[i].ToString();
        }
      }
    }
  }
}

}  // namespace
}  // namespace tenantdb::sql
