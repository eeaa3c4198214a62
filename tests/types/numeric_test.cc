// NUMERIC parsing, printing, typmods, arithmetic, conversions and encodings
// (types/numeric.h), against the values PostgreSQL 15 gives for the same input.
#include "types/numeric.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace tenantdb {
namespace {

Numeric N(std::string_view text) {
  Result<Numeric> v = ParseNumeric(text);
  EXPECT_TRUE(v.ok()) << text << ": " << v.status().ToString();
  return v.ok() ? *v : Numeric{};
}

// The text of a result, or "error <SQLSTATE>".
std::string Text(const Result<Numeric>& v) {
  if (!v.ok()) return "error " + std::string(v.status().sqlstate());
  return FormatNumeric(*v);
}

std::string Parsed(std::string_view text) {
  return Text(ParseNumeric(text));
}

TEST(Numeric, ParsesAndPrintsAsPostgres) {
  EXPECT_EQ(Parsed("1.50"), "1.50");
  EXPECT_EQ(Parsed("-0.5"), "-0.5");
  EXPECT_EQ(Parsed("  12.3400  "), "12.3400");
  EXPECT_EQ(Parsed("1e3"), "1000");
  EXPECT_EQ(Parsed("1.5e-3"), "0.0015");
  EXPECT_EQ(Parsed("-1.2E+2"), "-120");
  EXPECT_EQ(Parsed("1.23e1"), "12.3");
  EXPECT_EQ(Parsed("-0.00"), "0.00");  // no negative zero
  EXPECT_EQ(Parsed(".5"), "0.5");
  EXPECT_EQ(Parsed("5."), "5");
  EXPECT_EQ(Parsed("+007"), "7");
  EXPECT_EQ(Parsed("00012.50"), "12.50");
  EXPECT_EQ(Parsed("12345678901234567890123456789012345678"),
            "12345678901234567890123456789012345678");
  EXPECT_EQ(Parsed("-0.00000000000000000000000000000000000001"),
            "-0.00000000000000000000000000000000000001");
}

TEST(Numeric, RefusesWhatIsNotANumberOrPast38Digits) {
  EXPECT_EQ(Parsed("abc"), "error 22P02");
  EXPECT_EQ(Parsed(""), "error 22P02");
  EXPECT_EQ(Parsed("1.2.3"), "error 22P02");
  EXPECT_EQ(Parsed("1e"), "error 22P02");
  EXPECT_EQ(Parsed("- 1"), "error 22P02");
  EXPECT_EQ(Parsed("NaN"), "error 22P02");
  EXPECT_EQ(Parsed("123456789012345678901234567890123456789"), "error 22003");
  EXPECT_EQ(Parsed("1e38"), "error 22003");
  EXPECT_EQ(Parsed("1e-39"), "error 22003");
}

TEST(Numeric, TypmodRoundsHalfAwayFromZeroAndChecksPrecision) {
  EXPECT_EQ(Text(ApplyNumericTypmod(N("1.005"), 5, 2)), "1.01");
  EXPECT_EQ(Text(ApplyNumericTypmod(N("1.004"), 5, 2)), "1.00");
  EXPECT_EQ(Text(ApplyNumericTypmod(N("-1.005"), 5, 2)), "-1.01");
  EXPECT_EQ(Text(ApplyNumericTypmod(N("2.5"), 3, 0)), "3");
  EXPECT_EQ(Text(ApplyNumericTypmod(N("-2.5"), 3, 0)), "-3");
  EXPECT_EQ(Text(ApplyNumericTypmod(N("0.5"), 3, 3)), "0.500");
  EXPECT_EQ(Text(ApplyNumericTypmod(N("99.994"), 4, 2)), "99.99");
  EXPECT_EQ(Text(ApplyNumericTypmod(N("7"), 5, 2)), "7.00");
  EXPECT_EQ(Text(ApplyNumericTypmod(N("1.5"), 0, 0)), "1.5");  // unconstrained
  Result<Numeric> over = ApplyNumericTypmod(N("99.995"), 4, 2);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().message(), "numeric field overflow");
  EXPECT_EQ(over.status().detail(),
            "A field with precision 4, scale 2 must round to an absolute value less than 10^2.");
  Result<Numeric> under_one = ApplyNumericTypmod(N("1"), 3, 3);
  ASSERT_FALSE(under_one.ok());
  EXPECT_EQ(under_one.status().detail(),
            "A field with precision 3, scale 3 must round to an absolute value less than 1.");
  EXPECT_EQ(Text(ApplyNumericTypmod(N("123456"), 5, 0)), "error 22003");
}

TEST(Numeric, AddSubtractMultiplyKeepPostgresScales) {
  EXPECT_EQ(Text(AddNumerics(N("1.5"), N("2.25"))), "3.75");
  EXPECT_EQ(Text(AddNumerics(N("1.50"), N("2.5"))), "4.00");
  EXPECT_EQ(Text(SubtractNumerics(N("1"), N("0.001"))), "0.999");
  EXPECT_EQ(Text(MultiplyNumerics(N("1.5"), N("2.25"))), "3.375");
  EXPECT_EQ(Text(MultiplyNumerics(N("-0.1"), N("0.1"))), "-0.01");
  EXPECT_EQ(Text(MultiplyNumerics(N("1.1"), N("1.1"))), "1.21");
  EXPECT_EQ(Text(MultiplyNumerics(N("0.1"), N("3"))), "0.3");
  EXPECT_EQ(Text(AddNumerics(N("99999999999999999999999999999999999999"), N("1"))),
            "error 22003");  // PostgreSQL: 10^38; past tenantdb's 38 digits
  EXPECT_EQ(Text(MultiplyNumerics(N("1e20"), N("1e20"))), "error 22003");
}

TEST(Numeric, DivisionUsesPostgresResultScale) {
  EXPECT_EQ(Text(DivideNumerics(N("1"), N("3"))), "0.33333333333333333333");
  EXPECT_EQ(Text(DivideNumerics(N("1"), N("7"))), "0.14285714285714285714");
  EXPECT_EQ(Text(DivideNumerics(N("10"), N("4"))), "2.5000000000000000");
  EXPECT_EQ(Text(DivideNumerics(N("2"), N("3.000"))), "0.66666666666666666667");
  EXPECT_EQ(Text(DivideNumerics(N("1000000"), N("7"))), "142857.142857142857");
  EXPECT_EQ(Text(DivideNumerics(N("0.001"), N("7"))), "0.00014285714285714286");
  EXPECT_EQ(Text(DivideNumerics(N("123.456"), N("0.01"))), "12345.600000000000");
  EXPECT_EQ(Text(DivideNumerics(N("-7"), N("2"))), "-3.5000000000000000");
  EXPECT_EQ(Text(DivideNumerics(N("12345678901234567890"), N("3"))), "4115226300411522630");
  EXPECT_EQ(Text(DivideNumerics(N("1"), N("12345678"))), "0.000000081000006642000545");
  EXPECT_EQ(Text(DivideNumerics(N("0.5"), N("0.25"))), "2.0000000000000000");
  EXPECT_EQ(Text(DivideNumerics(N("9999"), N("10000"))), "0.99990000000000000000");
  EXPECT_EQ(Text(DivideNumerics(N("10000"), N("9999"))), "1.0001000100010001");
  EXPECT_EQ(Text(DivideNumerics(N("0.0001"), N("3"))), "0.000033333333333333333333");
  EXPECT_EQ(Text(DivideNumerics(N("22"), N("7.000000000000000000001"))), "3.142857142857142857142");
  EXPECT_EQ(Text(DivideNumerics(N("1"), N("0"))), "error 22012");
  EXPECT_EQ(Text(ModuloNumerics(N("7.5"), N("2"))), "1.5");
  EXPECT_EQ(Text(ModuloNumerics(N("-7.5"), N("2.25"))), "-0.75");
  EXPECT_EQ(Text(ModuloNumerics(N("1.5"), N("0"))), "error 22012");
}

TEST(Numeric, RoundTruncCeilFloor) {
  EXPECT_EQ(Text(RoundNumeric(N("2.5"), 0)), "3");
  EXPECT_EQ(Text(RoundNumeric(N("-2.5"), 0)), "-3");
  EXPECT_EQ(Text(RoundNumeric(N("0.5"), 0)), "1");
  EXPECT_EQ(Text(RoundNumeric(N("1.2345"), 2)), "1.23");
  EXPECT_EQ(Text(RoundNumeric(N("1.235"), 2)), "1.24");
  EXPECT_EQ(Text(RoundNumeric(N("1234.5"), -2)), "1200");
  EXPECT_EQ(Text(RoundNumeric(N("12.5"), -1)), "10");
  EXPECT_EQ(Text(RoundNumeric(N("14.99"), -1)), "10");
  EXPECT_EQ(Text(RoundNumeric(N("1.5"), 3)), "1.500");
  EXPECT_EQ(Text(TruncNumeric(N("1.999"), 0)), "1");
  EXPECT_EQ(Text(TruncNumeric(N("-1.999"), 2)), "-1.99");
  EXPECT_EQ(Text(TruncNumeric(N("1299"), -2)), "1200");
  EXPECT_EQ(Text(TruncNumeric(N("1.5"), 4)), "1.5000");
  EXPECT_EQ(Text(CeilNumeric(N("1.2"))), "2");
  EXPECT_EQ(Text(CeilNumeric(N("-1.8"))), "-1");
  EXPECT_EQ(Text(CeilNumeric(N("-0.5"))), "0");
  EXPECT_EQ(Text(FloorNumeric(N("-1.2"))), "-2");
  EXPECT_EQ(Text(FloorNumeric(N("0.5"))), "0");
  EXPECT_EQ(FormatNumeric(AbsNumeric(N("-3.25"))), "3.25");
  EXPECT_EQ(FormatNumeric(NegateNumeric(N("1.50"))), "-1.50");
}

TEST(Numeric, ComparesByValueAcrossScales) {
  EXPECT_EQ(CompareNumerics(N("1.0"), N("1.00")), 0);
  EXPECT_EQ(CompareNumerics(N("1.5"), N("1.50001")), -1);
  EXPECT_EQ(CompareNumerics(N("-1"), N("-1.1")), 1);
  EXPECT_EQ(CompareNumerics(N("-0.5"), N("-0.25")), -1);
  EXPECT_EQ(CompareNumerics(N("12345678901234567890123456789012345678"),
                            N("0.00000000000000000000000000000000000001")),
            1);
  EXPECT_EQ(HashNumeric(N("1.0")), HashNumeric(N("1.000")));
  EXPECT_EQ(NormalizeNumeric(N("1.500")), N("1.5"));
  EXPECT_EQ(NormalizeNumeric(N("0.000")), N("0"));
}

TEST(Numeric, ConvertsToAndFromIntegersAndFloats) {
  auto to_int = [](std::string_view text) -> std::string {
    Result<int64_t> v = NumericToInt64(N(text), INT32_MIN, INT32_MAX, "integer");
    return v.ok() ? std::to_string(*v) : std::string(v.status().message());
  };
  EXPECT_EQ(to_int("2.5"), "3");
  EXPECT_EQ(to_int("-2.5"), "-3");
  EXPECT_EQ(to_int("3.49"), "3");
  EXPECT_EQ(to_int("2147483648"), "integer out of range");
  EXPECT_EQ(Text(NumericFromDouble(0.1, false)), "0.1");
  EXPECT_EQ(Text(NumericFromDouble(1e20, false)), "100000000000000000000");
  EXPECT_EQ(Text(NumericFromDouble(2.5, true)), "2.5");
  EXPECT_EQ(Text(NumericFromDouble(1.0 / 3, false)), "0.333333333333333");
  EXPECT_EQ(Text(NumericFromDouble(std::numeric_limits<double>::infinity(), false)), "error 22003");
  EXPECT_EQ(NumericToDouble(N("1.25")), 1.25);
  EXPECT_EQ(NumericToDouble(N("-0.1")), -0.1);
  EXPECT_EQ(FormatNumeric(NumericFromInt64(-42)), "-42");
}

TEST(Numeric, StorageBytesRoundTripEveryValue) {
  for (std::string_view text :
       {"0", "1.50", "-0.001", "12345678901234567890123456789012345678",
        "-99999999999999999999999999999999999999", "0.00000000000000000000000000000000000001"}) {
    std::string bytes;
    AppendNumericBytes(N(text), &bytes);
    ASSERT_EQ(bytes.size(), kNumericBytes);
    EXPECT_EQ(NumericFromBytes(bytes.data()), N(text)) << text;
  }
}

TEST(Numeric, PostgresBinaryFormatRoundTripsAndMatchesNumericSend) {
  // numeric_send of 1234.50: ndigits 2, weight 0, sign 0, dscale 2, digits 1234 5000.
  std::string bytes;
  AppendNumericPgBinary(N("1234.50"), &bytes);
  EXPECT_EQ(bytes, std::string("\x00\x02\x00\x00\x00\x00\x00\x02\x04\xd2\x13\x88", 12));
  bytes.clear();
  // -0.0015: ndigits 1, weight -1, sign 0x4000, dscale 4, digit 15.
  AppendNumericPgBinary(N("-0.0015"), &bytes);
  EXPECT_EQ(bytes, std::string("\x00\x01\xff\xff\x40\x00\x00\x04\x00\x0f", 10));
  for (std::string_view text :
       {"0", "0.00", "1.50", "-0.001", "100000000", "12345678.9",
        "12345678901234567890123456789012345678", "-0.00000000000000000000000000000000000001"}) {
    bytes.clear();
    AppendNumericPgBinary(N(text), &bytes);
    EXPECT_EQ(Text(NumericFromPgBinary(bytes)), std::string(text)) << text;
  }
  EXPECT_EQ(Text(NumericFromPgBinary(std::string("\x00\x00\x00\x00\xc0\x00\x00\x00", 8))),
            "error 22003");  // NaN
  EXPECT_EQ(Text(NumericFromPgBinary("abc")), "error 22P02");
}

}  // namespace
}  // namespace tenantdb
