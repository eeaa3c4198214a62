#include "types/value.h"

#include <gtest/gtest.h>

#include <limits>

#include "types/data_type.h"

namespace tenantdb {
namespace {

TEST(DataType, ParsesPostgresNamesAndAliases) {
  EXPECT_EQ(ParseDataType("integer"), DataType::kInt);
  EXPECT_EQ(ParseDataType("INT8"), DataType::kBigInt);
  EXPECT_EQ(ParseDataType("Double   Precision"), DataType::kDouble);
  EXPECT_EQ(ParseDataType("timestamp with time zone"), DataType::kTimestampTz);
  EXPECT_EQ(ParseDataType("varchar"), DataType::kText);
  EXPECT_EQ(ParseDataType("jsonb"), DataType::kJson);
  EXPECT_EQ(ParseDataType("money"), std::nullopt);
  EXPECT_EQ(ParseDataType("decimal"), DataType::kNumeric);
  for (DataType t : kAllDataTypes)
    EXPECT_EQ(ParseDataType(DataTypeName(t)), t);
}

TEST(Value, PrintsLikePostgres) {
  EXPECT_EQ(Value::Boolean(true).ToString(), "t");
  EXPECT_EQ(Value::BigInt(std::numeric_limits<int64_t>::min()).ToString(), "-9223372036854775808");
  EXPECT_EQ(Value::Double(0.1).ToString(), "0.1");
  EXPECT_EQ(Value::Real(1.5f).ToString(), "1.5");
  EXPECT_EQ(Value::FromNumeric(Numeric{-150, 2}).ToString(), "-1.50");
  EXPECT_EQ(Value::FromNumeric(Numeric{5, 3}).ToString(), "0.005");
  EXPECT_EQ(Value::Double(1e300).ToString(), "1e+300");
  EXPECT_EQ(Value::Double(std::numeric_limits<double>::infinity()).ToString(), "Infinity");
  EXPECT_EQ(Value::Date(0).ToString(), "1970-01-01");
  EXPECT_EQ(Value::Date(DaysFromCivil(2024, 2, 29)).ToString(), "2024-02-29");
  EXPECT_EQ(Value::Timestamp(1'500'000).ToString(), "1970-01-01 00:00:01.5");
  EXPECT_EQ(Value::Timestamp(-1).ToString(), "1969-12-31 23:59:59.999999");
  EXPECT_EQ(Value::TimestampTz(0).ToString(), "1970-01-01 00:00:00+00");
  EXPECT_EQ(Value::Bytea(std::string("\x01\xff", 2)).ToString(), "\\x01ff");
  Uuid u{};
  for (int i = 0; i < 16; ++i)
    u[i] = static_cast<uint8_t>(i);
  EXPECT_EQ(Value::FromUuid(u).ToString(), "00010203-0405-0607-0809-0a0b0c0d0e0f");
  EXPECT_EQ(Value::Null(DataType::kInt).ToString(), "NULL");
}

TEST(Value, CivilDateRoundTripsOverFourCenturies) {
  for (int32_t d = -146097; d <= 146097; d += 7) {
    int32_t y;
    uint32_t m, day;
    CivilFromDays(d, &y, &m, &day);
    ASSERT_EQ(DaysFromCivil(y, m, day), d);
  }
  EXPECT_EQ(DaysFromCivil(2000, 3, 1) - DaysFromCivil(2000, 2, 28), 2);  // leap year
  EXPECT_EQ(DaysFromCivil(1900, 3, 1) - DaysFromCivil(1900, 2, 28), 1);  // not leap
}

TEST(Value, EqualityIncludesTypeAndNull) {
  EXPECT_EQ(Value::Int(1), Value::Int(1));
  EXPECT_FALSE(Value::Int(1) == Value::BigInt(1));
  EXPECT_FALSE(Value::Text("") == Value::Null(DataType::kText));
  EXPECT_EQ(Value::Null(DataType::kText), Value::Null(DataType::kText));
}

// Found by text_input_fuzz: the zone went after the era ("... BC+00"), which no parser reads.
TEST(Value, TimestampTzBeforeChristPrintsTheZoneBeforeTheEra) {
  const int64_t first_bc_instant = -210866803200000000;  // the first instant tenantdb reads
  EXPECT_EQ(Value::TimestampTz(first_bc_instant).ToString(), "4714-11-24 00:00:00+00 BC");
  EXPECT_EQ(Value::TimestampTz(first_bc_instant + 1'500'000).ToString(),
            "4714-11-24 00:00:01.5+00 BC");
  EXPECT_EQ(Value::Timestamp(first_bc_instant).ToString(), "4714-11-24 00:00:00 BC");
}

}  // namespace
}  // namespace tenantdb
