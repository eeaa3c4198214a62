// INTERVAL parsing, printing, arithmetic and encoding (types/interval.h), against values
// PostgreSQL 15 gives for the same input.
#include "types/interval.h"

#include <gtest/gtest.h>

#include <climits>
#include <string>

namespace tenantdb {
namespace {

std::string Parsed(std::string_view text) {
  Result<Interval> v = ParseInterval(text);
  if (!v.ok()) return "error " + std::string(ErrorCodeSqlState(v.status().code()));
  return FormatInterval(*v);
}

constexpr int64_t kHour = 3'600'000'000;
constexpr int64_t kDay = 24 * kHour;

TEST(Interval, ParsesPostgresInput) {
  EXPECT_EQ(Parsed("1 day"), "1 day");
  EXPECT_EQ(Parsed("2 days"), "2 days");
  EXPECT_EQ(Parsed("1 year 2 mons 3 days 04:05:06.789"), "1 year 2 mons 3 days 04:05:06.789");
  EXPECT_EQ(Parsed("-1 day +02:00"), "-1 days +02:00:00");
  EXPECT_EQ(Parsed("@ 3 hours ago"), "-03:00:00");
  EXPECT_EQ(Parsed("1 day ago"), "-1 days");
  EXPECT_EQ(Parsed("1.5 years"), "1 year 6 mons");
  EXPECT_EQ(Parsed("1.5 months"), "1 mon 15 days");
  EXPECT_EQ(Parsed("1.5 weeks"), "10 days 12:00:00");
  EXPECT_EQ(Parsed("90 minutes"), "01:30:00");
  EXPECT_EQ(Parsed("1 12:00"), "1 day 12:00:00");
  EXPECT_EQ(Parsed("5"), "00:00:05");
  EXPECT_EQ(Parsed("1day 2hours"), "1 day 02:00:00");
  EXPECT_EQ(Parsed("  2 DAYS  "), "2 days");
  EXPECT_EQ(Parsed("P1Y2M3DT4H5M6S"), "1 year 2 mons 3 days 04:05:06");
  EXPECT_EQ(Parsed("PT1.5S"), "00:00:01.5");
  EXPECT_EQ(Parsed("1 millennium 1 century 1 decade"), "1110 years");
  EXPECT_EQ(Parsed("250 ms 10 us"), "00:00:00.25001");
  EXPECT_EQ(Parsed("-00:00:01.5"), "-00:00:01.5");
  EXPECT_EQ(Parsed("0"), "00:00:00");
}

TEST(Interval, RefusesWhatIsNotAnInterval) {
  for (const char* bad : {"", "   ", "day", "1 fortnight", "1 day day", "ago", "1:2:3:4", "1:60",
                          "P", "PT", "P1X", "1 day ago 2 hours", "--1 day", "1..5 days"}) {
    EXPECT_EQ(Parsed(bad), "error 22P02") << bad;
  }
  EXPECT_EQ(Parsed("3000000000 days"), "error 22008");
  EXPECT_EQ(Parsed("300000000 years"), "error 22008");
  EXPECT_EQ(Parsed("9999999999999999 hours"), "error 22008");
}

TEST(Interval, PrintsEveryFieldWithItsOwnSign) {
  EXPECT_EQ(FormatInterval({}), "00:00:00");
  EXPECT_EQ(FormatInterval({0, 0, 14}), "1 year 2 mons");
  EXPECT_EQ(FormatInterval({0, 0, -14}), "-1 years -2 mons");
  EXPECT_EQ(FormatInterval({-kHour, 1, 0}), "1 day -01:00:00");
  EXPECT_EQ(FormatInterval({kHour, -1, 0}), "-1 days +01:00:00");
  EXPECT_EQ(FormatInterval({100 * kHour, 0, 0}), "100:00:00");
  EXPECT_EQ(FormatInterval({INT64_MIN, INT32_MIN, INT32_MIN}),
            "-178956970 years -8 mons -2147483648 days -2562047788:00:54.775808");
}

TEST(Interval, ComparesBySpanWithThirtyDayMonths) {
  EXPECT_EQ(CompareIntervals({0, 0, 1}, {0, 30, 0}), 0);
  EXPECT_EQ(CompareIntervals({0, 1, 0}, {24 * kHour, 0, 0}), 0);
  EXPECT_LT(CompareIntervals({0, 1, 0}, {25 * kHour, 0, 0}), 0);
  EXPECT_EQ(CompareIntervals({0, 0, 12}, {0, 360, 0}), 0);
  EXPECT_GT(CompareIntervals({0, 0, 12}, {0, 359, 0}), 0);
  EXPECT_LT(CompareIntervals({INT64_MIN, INT32_MIN, INT32_MIN}, {INT64_MAX, INT32_MAX, INT32_MAX}),
            0);
}

TEST(Interval, AddsMonthsByCalendar) {
  const int64_t jan31 = int64_t{DaysFromCivil(2024, 1, 31)} * kDay + 10 * kHour;
  EXPECT_EQ(*AddInterval(jan31, {0, 0, 1}),
            int64_t{DaysFromCivil(2024, 2, 29)} * kDay + 10 * kHour);
  EXPECT_EQ(*AddInterval(jan31, {0, 0, 13}),
            int64_t{DaysFromCivil(2025, 2, 28)} * kDay + 10 * kHour);
  EXPECT_EQ(*AddInterval(jan31, {0, 0, -2}),
            int64_t{DaysFromCivil(2023, 11, 30)} * kDay + 10 * kHour);
  EXPECT_EQ(*SubtractInterval(jan31, {kHour, 1, 0}), jan31 - kDay - kHour);
  EXPECT_EQ(AddInterval(INT64_MAX - 10, {0, 1, 0}).status().code(), ErrorCode::kDatetimeOverflow);
  EXPECT_EQ(AddInterval(0, {0, 0, INT32_MAX}).status().code(), ErrorCode::kDatetimeOverflow);
}

TEST(Interval, AgeCountsCalendarFields) {
  const int64_t a = int64_t{DaysFromCivil(2024, 3, 15)} * kDay;
  const int64_t b = int64_t{DaysFromCivil(2023, 1, 20)} * kDay + 6 * kHour;
  EXPECT_EQ(FormatInterval(*Age(a, b)), "1 year 1 mon 25 days 18:00:00");
  const int64_t c = int64_t{DaysFromCivil(2023, 1, 20)} * kDay;
  EXPECT_EQ(FormatInterval(*Age(c, a)), "-1 years -1 mons -26 days");
  EXPECT_EQ(FormatInterval(*Age(a, a)), "00:00:00");
}

TEST(Interval, MultipliesAndDividesWithCascadingFractions) {
  EXPECT_EQ(FormatInterval(*MultiplyInterval({0, 1, 0}, 1.5)), "1 day 12:00:00");
  EXPECT_EQ(FormatInterval(*DivideInterval({0, 0, 1}, 4)), "7 days 12:00:00");
  EXPECT_EQ(FormatInterval(*DivideInterval({kHour, 0, 0}, 7)), "00:08:34.285714");
  EXPECT_EQ(FormatInterval(*MultiplyInterval({0, 0, 1}, -0.5)), "-15 days");
  EXPECT_EQ(DivideInterval({kHour, 0, 0}, 0).status().code(), ErrorCode::kDivisionByZero);
  EXPECT_EQ(MultiplyInterval({0, 0, INT32_MAX}, 2).status().code(), ErrorCode::kDatetimeOverflow);
  EXPECT_EQ(MultiplyInterval({INT64_MAX, 0, 0}, 2).status().code(), ErrorCode::kDatetimeOverflow);
  EXPECT_EQ(NegateInterval({INT64_MIN, 0, 0}).status().code(), ErrorCode::kDatetimeOverflow);
  EXPECT_EQ(AddIntervals({0, INT32_MAX, 0}, {0, 1, 0}).status().code(),
            ErrorCode::kDatetimeOverflow);
}

TEST(Interval, JustifiesLikePostgres) {
  EXPECT_EQ(FormatInterval(*JustifyHours({50 * kHour, 0, 0})), "2 days 02:00:00");
  EXPECT_EQ(FormatInterval(*JustifyDays({0, 65, 0})), "2 mons 5 days");
  EXPECT_EQ(FormatInterval(*JustifyInterval({-kHour, 0, 1})), "29 days 23:00:00");
  EXPECT_EQ(FormatInterval(*TimestampDifference(0, 36 * kHour)), "-1 days -12:00:00");
}

TEST(Interval, TypmodPicksTheBareUnitAndDropsLowerFields) {
  auto with = [](std::string_view text, int64_t range, int64_t precision = kIntervalFullPrecision) {
    Result<Interval> v = ParseIntervalWithTypmod(text, range, precision);
    return v.ok() ? FormatInterval(*v) : "error";
  };
  EXPECT_EQ(with("1", kIntervalDay), "1 day");
  EXPECT_EQ(with("2", kIntervalYear), "2 years");
  EXPECT_EQ(with("1 year 5 mons", kIntervalYear), "1 year");
  EXPECT_EQ(with("3", kIntervalYear | kIntervalMonth), "3 mons");
  EXPECT_EQ(with("1 day 02:03:04", kIntervalHour | kIntervalMinute), "1 day 02:03:00");
  EXPECT_EQ(with("1 day 02:03:04", kIntervalDay), "1 day");
  EXPECT_EQ(with("1.234567", kIntervalSecond, 2), "00:00:01.23");
  EXPECT_EQ(with("-1.235", kIntervalFullRange, 2), "-00:00:01.24");
  EXPECT_EQ(with("1", 12345), "error");
  EXPECT_EQ(with("1", kIntervalFullRange, 7), "error");
}

TEST(Interval, BytesRoundTrip) {
  for (const Interval& v : {Interval{}, Interval{-1, -2, -3}, Interval{INT64_MAX, INT32_MIN, 7}}) {
    std::string bytes;
    AppendIntervalBytes(v, &bytes);
    ASSERT_EQ(bytes.size(), kIntervalBytes);
    EXPECT_EQ(IntervalFromBytes(bytes.data()), v);
  }
}

}  // namespace
}  // namespace tenantdb
