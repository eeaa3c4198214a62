// json_text.h: the JSON text the SQL API writes for values a JavaScript client reads.
#include "server/http/json_text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "tenantdb/array.h"

namespace tenantdb::server::http {
namespace {

std::string Json(const Value& v) {
  std::string out;
  AppendJsonValue(v, &out);
  return out;
}

TEST(JsonText, BigIntsBeyondJavaScriptsSafeRangeAreStrings) {
  EXPECT_EQ(Json(Value::BigInt(kMaxSafeJsonInteger)), "9007199254740991");
  EXPECT_EQ(Json(Value::BigInt(-kMaxSafeJsonInteger)), "-9007199254740991");
  EXPECT_EQ(Json(Value::BigInt(kMaxSafeJsonInteger + 1)), "\"9007199254740992\"");
  EXPECT_EQ(Json(Value::BigInt(std::numeric_limits<int64_t>::min())), "\"-9223372036854775808\"");
  EXPECT_EQ(Json(Value::Int(-7)), "-7");
}

TEST(JsonText, FloatsRoundTripAndNonFiniteOnesAreStrings) {
  EXPECT_EQ(Json(Value::Real(0.1f)), "0.1");
  EXPECT_EQ(Json(Value::Double(0.1)), "0.1");
  EXPECT_EQ(Json(Value::Double(1e300)), "1e+300");
  EXPECT_EQ(Json(Value::Double(std::nan(""))), "\"NaN\"");
  EXPECT_EQ(Json(Value::Double(-INFINITY)), "\"-Infinity\"");
}

TEST(JsonText, TemporalValuesAreIso8601) {
  EXPECT_EQ(Json(Value::Date(0)), "\"1970-01-01\"");
  EXPECT_EQ(Json(Value::Timestamp(-1)), "\"1969-12-31T23:59:59.999999\"");
  EXPECT_EQ(Json(Value::TimestampTz(1'500)), "\"1970-01-01T00:00:00.001500Z\"");
  EXPECT_EQ(Json(Value::TimestampTz(86'400'000'000 + 250'000)), "\"1970-01-02T00:00:00.250Z\"");
  EXPECT_EQ(Json(Value::Timestamp(int64_t{DaysFromCivil(2024, 2, 29)} * 86'400'000'000 +
                                  int64_t{13 * 3600 + 45 * 60 + 7} * 1'000'000 + 30)),
            "\"2024-02-29T13:45:07.000030\"");
  EXPECT_EQ(Json(Value::Date(DaysFromCivil(-44, 3, 15))), "\"-000044-03-15\"");
  EXPECT_EQ(Json(Value::Date(DaysFromCivil(12345, 1, 1))), "\"+012345-01-01\"");
}

TEST(JsonText, BytesJsonAndUuids) {
  EXPECT_EQ(Json(Value::Bytea(std::string("\x00\x01\xff", 3))), "\"AAH/\"");
  EXPECT_EQ(Json(Value::Bytea("a")), "\"YQ==\"");
  EXPECT_EQ(Json(Value::Json(R"({"a": [1, 2]})")), R"({"a": [1, 2]})");
  EXPECT_EQ(Json(Value::Json("not json")), "\"not json\"");
  Uuid uuid{};
  uuid[0] = 0xa0;
  uuid[15] = 0x11;
  EXPECT_EQ(Json(Value::FromUuid(uuid)), "\"a0000000-0000-0000-0000-000000000011\"");
}

TEST(JsonText, IntervalsArePostgresText) {
  EXPECT_EQ(Json(Value::FromInterval(Interval{3'600'000'000, -1, 14})),
            "\"1 year 2 mons -1 days +01:00:00\"");
}

TEST(JsonText, NumericsAreStringsThatKeepEveryDigit) {
  EXPECT_EQ(Json(Value::FromNumeric(Numeric{123450, 2})), "\"1234.50\"");
  EXPECT_EQ(Json(Value::FromNumeric(Numeric{-5, 3})), "\"-0.005\"");
  // 2^53 + 1 as a NUMERIC: a JavaScript number would round it.
  EXPECT_EQ(Json(Value::FromNumeric(Numeric{9007199254740993, 0})), "\"9007199254740993\"");
}

TEST(JsonText, ArraysAreJsonArraysOfTheirElements) {
  const Value ints[] = {Value::Int(1), Value::Null(DataType::kInt), Value::Int(-3)};
  EXPECT_EQ(Json(MakeArrayValue(DataType::kInt, ints)), "[1,null,-3]");
  const Value texts[] = {Value::Text("a \"b\""), Value::Text("")};
  EXPECT_EQ(Json(MakeArrayValue(DataType::kText, texts)), "[\"a \\\"b\\\"\",\"\"]");
  // Each element as its type is written alone: BIGINT past 2^53 as a string.
  const Value bigs[] = {Value::BigInt(kMaxSafeJsonInteger + 2), Value::BigInt(7)};
  EXPECT_EQ(Json(MakeArrayValue(DataType::kBigInt, bigs)), "[\"9007199254740993\",7]");
  EXPECT_EQ(Json(MakeArrayValue(DataType::kBoolean, {})), "[]");
  EXPECT_EQ(Json(Value::Null(ArrayOf(DataType::kInt))), "null");
}

TEST(JsonText, StringsAreEscapedAndAlwaysValidUtf8) {
  EXPECT_EQ(Json(Value::Text("a\"b\\c\n\x01")), "\"a\\\"b\\\\c\\n\\u0001\"");
  EXPECT_EQ(Json(Value::Text("caf\xc3\xa9")), "\"caf\xc3\xa9\"");
  // A stray byte, an overlong '/', a surrogate: each becomes U+FFFD.
  EXPECT_EQ(Json(Value::Text("a\xff"
                             "b")),
            "\"a\xef\xbf\xbd"
            "b\"");
  EXPECT_EQ(Json(Value::Text("\xc0\xaf")), "\"\xef\xbf\xbd\xef\xbf\xbd\"");
  EXPECT_EQ(Json(Value::Text("\xed\xa0\x80")), "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
}

// Plain text is copied 16 bytes at a time (8 without SSE2), the last bytes of a text in
// one overlapping piece or, below 16 bytes, through a padded copy: every byte that needs
// escaping or a UTF-8 check is still found at any offset within, across and after those
// pieces, and plain text of every length comes out whole.
TEST(JsonText, EveryByteThatNeedsEscapingIsFoundAtEveryOffset) {
  const std::string plain = "abcdefghijklmnopqrstuvwxyz0123456789 ~!#$%&'()*+,-./:;<=>?@[]^_`{|}";
  EXPECT_EQ(Json(Value::Text(plain)), "\"" + plain + "\"");
  for (size_t length = 0; length <= plain.size(); ++length) {
    EXPECT_EQ(Json(Value::Text(plain.substr(0, length))), "\"" + plain.substr(0, length) + "\"");
  }
  const std::vector<std::pair<std::string, std::string>> specials = {
      {"\"", "\\\""},
      {"\\", "\\\\"},
      {"\n", "\\n"},
      {"\x1f", "\\u001f"},
      {std::string(1, '\0'), "\\u0000"},
      {"\x7f", "\x7f"},
      {"\xc3\xa9", "\xc3\xa9"},
      {"\xff", "\xef\xbf\xbd"}};
  for (const auto& [raw, escaped] : specials) {
    for (size_t at = 0; at < 40; ++at) {
      for (const size_t after : {0, 1, 2, 15, 16, 17, 31, 33}) {
        const std::string text = plain.substr(0, at) + raw + plain.substr(0, after);
        EXPECT_EQ(Json(Value::Text(text)),
                  "\"" + plain.substr(0, at) + escaped + plain.substr(0, after) + "\"")
            << "at " << at << " then " << after;
      }
    }
  }
}

// A result's schema array; the last one a thread wrote is reused only for the very same
// columns: another name, type or count writes a new one.
TEST(JsonText, ResultSchemasAreReusedOnlyForTheSameColumns) {
  const auto schema = [](const std::vector<Column>& columns) {
    std::string out = "x";
    AppendResultSchemaJson(columns, &out);
    return out;
  };
  const std::vector<Column> a = {{"id", DataType::kBigInt}, {"body", DataType::kText}};
  const std::string a_json =
      "x[{\"name\":\"id\",\"data_type\":\"BIGINT\",\"index\":0},"
      "{\"name\":\"body\",\"data_type\":\"TEXT\",\"index\":1}]";
  EXPECT_EQ(schema(a), a_json);
  EXPECT_EQ(schema(a), a_json);
  EXPECT_EQ(schema({{"id", DataType::kBigInt}, {"bodz", DataType::kText}}),
            "x[{\"name\":\"id\",\"data_type\":\"BIGINT\",\"index\":0},"
            "{\"name\":\"bodz\",\"data_type\":\"TEXT\",\"index\":1}]");
  EXPECT_EQ(schema({{"id", DataType::kInt}, {"bodz", DataType::kText}}),
            "x[{\"name\":\"id\",\"data_type\":\"INT\",\"index\":0},"
            "{\"name\":\"bodz\",\"data_type\":\"TEXT\",\"index\":1}]");
  EXPECT_EQ(schema({{"id", DataType::kInt}}),
            "x[{\"name\":\"id\",\"data_type\":\"INT\",\"index\":0}]");
  EXPECT_EQ(schema({}), "x[]");
  EXPECT_EQ(schema({{"q\"", DataType::kText}}),
            "x[{\"name\":\"q\\\"\",\"data_type\":\"TEXT\",\"index\":0}]");
  EXPECT_EQ(schema(a), a_json);
}

// Long texts are escaped in place a piece at a time (4 kB, ending where a character
// starts) and short ones on the stack: the same bytes as escaping each character alone,
// for multi-byte characters, escapes and stray bytes at every offset around those
// boundaries.
TEST(JsonText, LongStringsAreEscapedLikeTheirCharactersOneByOne) {
  const std::vector<std::string> units = {
      "a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\"", "\\", "\n", "\x01", "\xff", "z"};
  for (const size_t length : {255, 256, 257, 4095, 4096, 4097, 9000}) {
    for (size_t shift = 0; shift < 5; ++shift) {
      std::string text(shift, 'x');
      std::string expected = "\"" + std::string(shift, 'x');
      for (size_t i = 0; text.size() < length; ++i) {
        const std::string& unit = units[(i * 7 + shift) % units.size()];
        text += unit;
        std::string alone;
        AppendJsonString(unit, &alone);
        expected += alone.substr(1, alone.size() - 2);
      }
      expected += "\"";
      std::string out = "prefix";
      AppendJsonString(text, &out);
      ASSERT_EQ(out, "prefix" + expected) << "length " << text.size() << " shift " << shift;
    }
  }
}

// The date of the last timestamp written is remembered: timestamps of alternating days,
// and of days on either side of 1970 and of year 0, each get their own.
TEST(JsonText, TimestampsOfAlternatingDaysEachGetTheirOwnDate) {
  constexpr int64_t kDay = 86'400'000'000;
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(Json(Value::Timestamp(-1)), "\"1969-12-31T23:59:59.999999\"");
    EXPECT_EQ(Json(Value::Timestamp(0)), "\"1970-01-01T00:00:00\"");
    EXPECT_EQ(Json(Value::Timestamp(-1)), "\"1969-12-31T23:59:59.999999\"");
    EXPECT_EQ(Json(Value::Timestamp(kDay - 1'000)), "\"1970-01-01T23:59:59.999\"");
    EXPECT_EQ(Json(Value::TimestampTz(kDay + 10)), "\"1970-01-02T00:00:00.000010Z\"");
    EXPECT_EQ(Json(Value::Timestamp(int64_t{DaysFromCivil(0, 12, 31)} * kDay + 100'000)),
              "\"0000-12-31T00:00:00.100\"");
    EXPECT_EQ(Json(Value::Timestamp(int64_t{DaysFromCivil(-1, 1, 1)} * kDay + 59'000'000)),
              "\"-000001-01-01T00:00:59\"");
    EXPECT_EQ(Json(Value::Date(DaysFromCivil(-1, 1, 1))), "\"-000001-01-01\"");
    EXPECT_EQ(Json(Value::Date(DaysFromCivil(2024, 2, 29))), "\"2024-02-29\"");
  }
}

}  // namespace
}  // namespace tenantdb::server::http
