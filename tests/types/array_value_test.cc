// Array values (types/array_value.h, types/array_text.h): the byte encoding round trip,
// PostgreSQL's array text in and out, btree ordering, hash keys, and reading back the
// text tenantdb writes to Parquet. Expected texts and orders are PostgreSQL 15's.
#include "types/array_value.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "tenantdb/array.h"
#include "types/array_text.h"
#include "types/column_compare.h"
#include "types/column_vector.h"
#include "types/numeric.h"

namespace tenantdb {
namespace {

Value IntArray(std::vector<std::optional<int32_t>> v) {
  std::vector<Value> elements;
  for (const auto& e : v)
    elements.push_back(e ? Value::Int(*e) : Value::Null(DataType::kInt));
  return MakeArrayValue(DataType::kInt, elements);
}

Value TextArrayValue(std::vector<std::optional<std::string>> v) {
  std::vector<Value> elements;
  for (const auto& e : v)
    elements.push_back(e ? Value::Text(*e) : Value::Null(DataType::kText));
  return MakeArrayValue(DataType::kText, elements);
}

int Compare(const Value& a, const Value& b) {
  return CompareArrays(ElementType(a.type()), a.as_bytes(), b.as_bytes());
}

TEST(ArrayType, IsItsElementTypeWithTheArrayFlag) {
  EXPECT_TRUE(IsArray(ArrayOf(DataType::kInt)));
  EXPECT_FALSE(IsArray(DataType::kInt));
  EXPECT_EQ(ElementType(ArrayOf(DataType::kText)), DataType::kText);
  EXPECT_TRUE(IsVariableWidth(ArrayOf(DataType::kBigInt)));
  EXPECT_EQ(DataTypeName(ArrayOf(DataType::kTimestampTz)), "TIMESTAMPTZ[]");
  EXPECT_EQ(ParseDataType("int[]"), ArrayOf(DataType::kInt));
  EXPECT_EQ(ParseDataType("double precision []"), ArrayOf(DataType::kDouble));
  EXPECT_EQ(ParseDataType("int[][]"), std::nullopt);
  EXPECT_TRUE(IsValidDataType(static_cast<uint8_t>(ArrayOf(DataType::kNumeric))));
  EXPECT_FALSE(IsValidDataType(0x80));
}

TEST(ArrayValue, EncodingRoundTripsEveryElementType) {
  const std::vector<Value> samples = {
      Value::Boolean(true),
      Value::SmallInt(-7),
      Value::Int(123456),
      Value::BigInt(int64_t{1} << 60),
      Value::Real(1.5f),
      Value::Double(-0.25),
      Value::Text("b c"),
      Value::Bytea(std::string("\0\1", 2)),
      Value::Date(19753),
      Value::Timestamp(1'700'000'000'000'000),
      Value::TimestampTz(-5),
      Value::Json("{\"a\":1}"),
      Value::FromUuid(Uuid{1, 2}),
      Value::FromInterval(Interval{5, 3, 2}),
      Value::FromNumeric(Numeric{150, 2}),
  };
  for (const Value& v : samples) {
    const std::vector<Value> elements = {v, Value::Null(v.type()), v};
    const Value array = MakeArrayValue(v.type(), elements);
    ASSERT_EQ(array.type(), ArrayOf(v.type()));
    Result<std::vector<Value>> back = ArrayElements(array);
    ASSERT_TRUE(back.ok()) << DataTypeName(v.type());
    EXPECT_EQ(*back, elements) << DataTypeName(v.type());
    EXPECT_EQ(ArrayCardinality(array.as_bytes()), 3u);
  }
}

TEST(ArrayValue, TruncatedOrExtraBytesAreCorruption) {
  const std::string good(IntArray({1, std::nullopt, 3}).as_bytes());
  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(DecodeArray(DataType::kInt, good.substr(0, n)).ok()) << n;
  }
  EXPECT_FALSE(DecodeArray(DataType::kInt, good + "x").ok());
  EXPECT_EQ(DecodeArray(DataType::kInt, good + "x").status().code(), ErrorCode::kCorruption);
}

TEST(ArrayValue, PrintsPostgresArrayText) {
  EXPECT_EQ(IntArray({1, 2, std::nullopt}).ToString(), "{1,2,NULL}");
  EXPECT_EQ(IntArray({}).ToString(), "{}");
  EXPECT_EQ(TextArrayValue({"a", "b c", "", "NULL", "null", "q\"uote", "back\\slash", "{x}", "a,b"})
                .ToString(),
            "{a,\"b c\",\"\",\"NULL\",\"null\",\"q\\\"uote\",\"back\\\\slash\",\"{x}\",\"a,b\"}");
  const Value ts[] = {Value::Timestamp(0)};
  EXPECT_EQ(MakeArrayValue(DataType::kTimestamp, ts).ToString(), "{\"1970-01-01 00:00:00\"}");
  const Value flags[] = {Value::Boolean(true), Value::Boolean(false)};
  EXPECT_EQ(MakeArrayValue(DataType::kBoolean, flags).ToString(), "{t,f}");
}

TEST(ArrayText, ParsesQuotingEscapesBlanksAndNulls) {
  Result<TextArray> a = ParseTextArray(R"( { a , "b c" , "x\"y" , z\,w , NULL , null , "NULL" } )");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  const TextArray expected = {"a", "b c", "x\"y", "z,w", std::nullopt, std::nullopt, "NULL"};
  EXPECT_EQ(*a, expected);
  EXPECT_TRUE(ParseTextArray("{}")->empty());
}

TEST(ArrayText, RefusesMalformedAndMultidimensionalLiterals) {
  for (std::string_view bad : {"", "1,2", "{1,2", "{1,,2}", "{\"a}", "{a}x", "{a\"b}"}) {
    Result<TextArray> r = ParseTextArray(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidTextRepresentation) << bad;
  }
  EXPECT_EQ(ParseTextArray("{{1,2},{3,4}}").status().code(), ErrorCode::kFeatureNotSupported);
}

TEST(ArrayValue, OrdersLikePostgresBtree) {
  // Element by element, NULL after every value, then the shorter array first.
  EXPECT_LT(Compare(IntArray({1, 2}), IntArray({1, 3})), 0);
  EXPECT_LT(Compare(IntArray({1, 2}), IntArray({1, 2, 0})), 0);
  EXPECT_LT(Compare(IntArray({}), IntArray({1})), 0);
  EXPECT_GT(Compare(IntArray({2}), IntArray({1, 5})), 0);
  EXPECT_GT(Compare(IntArray({1, std::nullopt}), IntArray({1, 2})), 0);
  EXPECT_EQ(Compare(IntArray({1, std::nullopt}), IntArray({1, std::nullopt})), 0);
  EXPECT_GT(Compare(IntArray({10}), IntArray({9})), 0);  // by value, not by bytes
  const Value n1[] = {Value::FromNumeric(Numeric{10, 1})};
  const Value n2[] = {Value::FromNumeric(Numeric{100, 2})};
  const Value a = MakeArrayValue(DataType::kNumeric, n1),
              b = MakeArrayValue(DataType::kNumeric, n2);
  EXPECT_EQ(Compare(a, b), 0);  // 1.0 = 1.00
  EXPECT_EQ(ArrayKeyBytes(DataType::kNumeric, a.as_bytes()),
            ArrayKeyBytes(DataType::kNumeric, b.as_bytes()));
  // Column comparison (ORDER BY) goes the same way.
  ColumnVector column(ArrayOf(DataType::kInt));
  column.Append(IntArray({2}));
  column.Append(IntArray({1, 5}));
  EXPECT_GT(CompareInColumn(column, 0, 1), 0);
  EXPECT_EQ(column.GetValue(1), IntArray({1, 5}));
}

TEST(ArrayValue, ReadsBackTheTextItWrites) {
  const std::vector<Value> samples = {
      Value::Boolean(false),
      Value::SmallInt(-3),
      Value::BigInt(INT64_MIN),
      Value::Real(0.1f),
      Value::Double(-1e300),
      Value::Double(std::nan("")),
      Value::Text("a \"b\""),
      Value::Bytea("\xff"),
      Value::Date(-800'000),
      Value::Timestamp(-62'000'000'000'000'123),
      Value::TimestampTz(1'700'000'000'123'456),
      Value::Json("[1]"),
      Value::FromUuid(Uuid{0xab}),
      Value::FromInterval(Interval{-1, 2, 14}),
      Value::FromNumeric(Numeric{-12345, 3}),
  };
  for (const Value& v : samples) {
    const Value elements[] = {v, Value::Null(v.type())};
    const Value array = MakeArrayValue(v.type(), elements);
    Result<std::string> back = ParseFormattedArray(v.type(), array.ToString());
    ASSERT_TRUE(back.ok()) << array.ToString() << ": " << back.status().ToString();
    EXPECT_EQ(Value::Array(v.type(), *back).ToString(), array.ToString());
  }
  EXPECT_FALSE(ParseFormattedArray(DataType::kInt, "{x}").ok());
}

}  // namespace
}  // namespace tenantdb
