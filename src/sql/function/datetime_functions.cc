// Date and time functions of the scalar registry. The session time zone is always UTC, so
// TIMESTAMP and TIMESTAMPTZ share one calendar arithmetic on microseconds since 1970.
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "sql/function/cast.h"
#include "sql/function/function_registry.h"
#include "sql/function/text_input.h"

namespace tenantdb::sql {
namespace {

constexpr DataType kText = DataType::kText;
constexpr DataType kInt = DataType::kInt;
constexpr DataType kDouble = DataType::kDouble;
constexpr DataType kDate = DataType::kDate;
constexpr DataType kTs = DataType::kTimestamp;
constexpr DataType kTsTz = DataType::kTimestampTz;
constexpr DataType kInterval = DataType::kInterval;

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if (a % b != 0 && ((a < 0) != (b < 0))) --q;
  return q;
}

int64_t FloorMod(int64_t a, int64_t b) {
  return a - FloorDiv(a, b) * b;
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

// PostgreSQL's spellings of units, lower-cased, mapped to one canonical name each.
std::string CanonicalUnit(std::string_view written) {
  std::string unit = LowerAscii(written);
  static constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
      {"microsecond", "microseconds"},
      {"us", "microseconds"},
      {"usec", "microseconds"},
      {"usecs", "microseconds"},
      {"useconds", "microseconds"},
      {"millisecond", "milliseconds"},
      {"ms", "milliseconds"},
      {"msec", "milliseconds"},
      {"msecs", "milliseconds"},
      {"mseconds", "milliseconds"},
      {"s", "second"},
      {"sec", "second"},
      {"secs", "second"},
      {"seconds", "second"},
      {"m", "minute"},
      {"min", "minute"},
      {"mins", "minute"},
      {"minutes", "minute"},
      {"h", "hour"},
      {"hr", "hour"},
      {"hrs", "hour"},
      {"hours", "hour"},
      {"d", "day"},
      {"days", "day"},
      {"w", "week"},
      {"weeks", "week"},
      {"mon", "month"},
      {"mons", "month"},
      {"months", "month"},
      {"qtr", "quarter"},
      {"y", "year"},
      {"yr", "year"},
      {"yrs", "year"},
      {"years", "year"},
      {"dec", "decade"},
      {"decades", "decade"},
      {"c", "century"},
      {"cent", "century"},
      {"centuries", "century"},
      {"mil", "millennium"},
      {"mils", "millennium"},
      {"millennia", "millennium"},
      {"millenniums", "millennium"},
  };
  for (const auto& [alias, canonical] : kAliases) {
    if (unit == alias) return std::string(canonical);
  }
  return unit;
}

// A timestamp split into calendar fields.
struct Civil {
  int32_t days;  // since 1970-01-01
  int32_t year;  // astronomical: 0 is 1 BC
  uint32_t month, day;
  int64_t micros_of_day;
};

Civil Split(int64_t micros) {
  Civil c;
  c.days = static_cast<int32_t>(FloorDiv(micros, kMicrosPerDay));
  c.micros_of_day = FloorMod(micros, kMicrosPerDay);
  CivilFromDays(c.days, &c.year, &c.month, &c.day);
  return c;
}

// Monday = 0 ... Sunday = 6; 1970-01-01 was a Thursday.
int64_t IsoWeekday0(int32_t days) {
  return FloorMod(int64_t{days} + 3, 7);
}

// ISO 8601 week number and week-numbering year of a day.
void IsoWeek(int32_t days, int64_t* week, int32_t* iso_year) {
  const int32_t thursday = static_cast<int32_t>(days - IsoWeekday0(days) + 3);
  int32_t y;
  uint32_t m, d;
  CivilFromDays(thursday, &y, &m, &d);
  *iso_year = y;
  *week = (thursday - DaysFromCivil(y, 1, 1)) / 7 + 1;
}

Status UnknownUnit(std::string_view unit, DataType type) {
  return Status(ErrorCode::kInvalidArgument, "unit \"" + std::string(unit) +
                                                 "\" not recognized for type " +
                                                 std::string(PgTypeName(type)));
}

Result<Value> Now(std::span<const Value>, const FunctionContext& ctx) {
  return Value::TimestampTz(ctx.now_micros);
}

Result<Value> LocalTimestamp(std::span<const Value>, const FunctionContext& ctx) {
  return Value::Timestamp(ctx.now_micros);
}

Result<Value> CurrentDate(std::span<const Value>, const FunctionContext& ctx) {
  return Value::Date(static_cast<int32_t>(FloorDiv(ctx.now_micros, kMicrosPerDay)));
}

// date_trunc(unit, ts): ts rounded down to the start of its unit.
Result<Value> DateTrunc(std::span<const Value> a, const FunctionContext&) {
  const std::string unit = CanonicalUnit(a[0].as_bytes());
  const DataType type = a[1].type();
  if (type == DataType::kInterval) return TruncateInterval(unit, a[1].as_interval());
  const int64_t micros = a[1].as_int64();
  const Civil c = Split(micros);
  auto at_day = [](int64_t days) { return days * kMicrosPerDay; };
  int64_t out;
  if (unit == "microseconds") {
    out = micros;
  } else if (unit == "milliseconds") {
    out = micros - FloorMod(micros, 1000);
  } else if (unit == "second") {
    out = micros - FloorMod(micros, 1'000'000);
  } else if (unit == "minute") {
    out = micros - FloorMod(micros, 60'000'000);
  } else if (unit == "hour") {
    out = micros - FloorMod(micros, 3'600'000'000);
  } else if (unit == "day") {
    out = at_day(c.days);
  } else if (unit == "week") {
    out = at_day(c.days - IsoWeekday0(c.days));
  } else if (unit == "month") {
    out = at_day(DaysFromCivil(c.year, c.month, 1));
  } else if (unit == "quarter") {
    out = at_day(DaysFromCivil(c.year, (c.month - 1) / 3 * 3 + 1, 1));
  } else if (unit == "year") {
    out = at_day(DaysFromCivil(c.year, 1, 1));
  } else if (unit == "decade") {
    out = at_day(DaysFromCivil(static_cast<int32_t>(FloorDiv(c.year, 10) * 10), 1, 1));
  } else if (unit == "century") {
    out = at_day(DaysFromCivil(static_cast<int32_t>(FloorDiv(c.year - 1, 100) * 100 + 1), 1, 1));
  } else if (unit == "millennium") {
    out = at_day(DaysFromCivil(static_cast<int32_t>(FloorDiv(c.year - 1, 1000) * 1000 + 1), 1, 1));
  } else {
    return UnknownUnit(a[0].as_bytes(), type);
  }
  if (out < kMinTimestampMicros) {
    return Status(ErrorCode::kDatetimeOverflow, "timestamp out of range");
  }
  return type == kTs ? Value::Timestamp(out) : Value::TimestampTz(out);
}

// The shared body of extract() and date_part(). `strict_date` rejects time-of-day units for
// a DATE, as extract() does; date_part() reads a DATE as its midnight.
Result<Value> ExtractField(std::span<const Value> a, bool strict_date) {
  const std::string unit = CanonicalUnit(a[0].as_bytes());
  const DataType type = a[1].type();
  if (type == DataType::kInterval) return ExtractFromInterval(unit, a[1].as_interval());
  const bool is_date = type == kDate;
  const int64_t micros = is_date ? a[1].as_int64() * kMicrosPerDay : a[1].as_int64();
  const Civil c = Split(micros);
  const int64_t year = c.year <= 0 ? c.year - 1 : c.year;  // no year 0: 1 BC is -1
  const double seconds_micros = static_cast<double>(c.micros_of_day % 60'000'000);
  const bool time_unit = unit == "hour" || unit == "minute" || unit == "second" ||
                         unit == "milliseconds" || unit == "microseconds";
  if (is_date && strict_date && time_unit) {
    return Status(ErrorCode::kInvalidArgument,
                  "unit \"" + std::string(a[0].as_bytes()) + "\" not supported for type date");
  }
  double out;
  if (unit == "year") {
    out = static_cast<double>(year);
  } else if (unit == "month") {
    out = c.month;
  } else if (unit == "day") {
    out = c.day;
  } else if (unit == "hour") {
    out = static_cast<double>(c.micros_of_day / 3'600'000'000);
  } else if (unit == "minute") {
    out = static_cast<double>(c.micros_of_day / 60'000'000 % 60);
  } else if (unit == "second") {
    out = seconds_micros / 1e6;
  } else if (unit == "milliseconds") {
    out = seconds_micros / 1e3;
  } else if (unit == "microseconds") {
    out = seconds_micros;
  } else if (unit == "dow") {
    out = static_cast<double>((IsoWeekday0(c.days) + 1) % 7);
  } else if (unit == "isodow") {
    out = static_cast<double>(IsoWeekday0(c.days) + 1);
  } else if (unit == "doy") {
    out = c.days - DaysFromCivil(c.year, 1, 1) + 1;
  } else if (unit == "epoch") {
    out = static_cast<double>(micros) / 1e6;
  } else if (unit == "week" || unit == "isoyear") {
    int64_t week;
    int32_t iso_year;
    IsoWeek(c.days, &week, &iso_year);
    out = unit == "week" ? static_cast<double>(week)
                         : static_cast<double>(iso_year <= 0 ? iso_year - 1 : iso_year);
  } else if (unit == "quarter") {
    out = (c.month - 1) / 3 + 1;
  } else if (unit == "decade") {
    // PostgreSQL's formulas on the astronomical year y (0 is 1 BC).
    const int64_t y = c.year;
    out = static_cast<double>(y >= 0 ? y / 10 : -((8 - (y - 1)) / 10));
  } else if (unit == "century") {
    const int64_t y = c.year;
    out = static_cast<double>(y > 0 ? (y + 99) / 100 : -((99 - (y - 1)) / 100));
  } else if (unit == "millennium") {
    const int64_t y = c.year;
    out = static_cast<double>(y > 0 ? (y + 999) / 1000 : -((999 - (y - 1)) / 1000));
  } else {
    return UnknownUnit(a[0].as_bytes(), type);
  }
  return Value::Double(out);
}

Result<Value> Extract(std::span<const Value> a, const FunctionContext&) {
  return ExtractField(a, true);
}

Result<Value> DatePart(std::span<const Value> a, const FunctionContext&) {
  return ExtractField(a, false);
}

// to_timestamp(seconds since the Unix epoch), rounded to the microsecond.
Result<Value> ToTimestamp(std::span<const Value> a, const FunctionContext&) {
  const double seconds = a[0].as_double();
  if (std::isnan(seconds)) {
    return Status(ErrorCode::kDatetimeOverflow, "timestamp cannot be NaN");
  }
  const double micros = std::nearbyint(seconds * 1e6);
  if (!(micros >= static_cast<double>(kMinTimestampMicros) && micros < 9223372036854775807.0)) {
    return Status(ErrorCode::kDatetimeOverflow,
                  "timestamp out of range: \"" + Value::Double(seconds).ToString() + "\"");
  }
  return Value::TimestampTz(static_cast<int64_t>(micros));
}

Result<Value> MakeDate(std::span<const Value> a, const FunctionContext&) {
  int64_t year = a[0].as_int64();
  const int64_t month = a[1].as_int64(), day = a[2].as_int64();
  if (year < 0) year += 1;  // make_date(-1, ...) is 1 BC, astronomical year 0
  // PostgreSQL's message shows the year after that adjustment.
  char shown_buf[64];
  std::snprintf(shown_buf, sizeof(shown_buf), "%lld-%02lld-%02lld", static_cast<long long>(year),
                static_cast<long long>(month), static_cast<long long>(day));
  const std::string shown(shown_buf);
  static constexpr int kMonthDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const bool valid = a[0].as_int64() != 0 && month >= 1 && month <= 12 && day >= 1 &&
                     day <= kMonthDays[month - 1] + (month == 2 && leap ? 1 : 0) && year >= -4713 &&
                     year <= 5874897;
  if (!valid) {
    return Status(ErrorCode::kDatetimeOverflow, "date field value out of range: " + shown);
  }
  const int32_t days = DaysFromCivil(static_cast<int32_t>(year), static_cast<uint32_t>(month),
                                     static_cast<uint32_t>(day));
  if (days < kMinDateDays || days >= kEndDateDays) {
    return Status(ErrorCode::kDatetimeOverflow, "date out of range: \"" + shown + "\"");
  }
  return Value::Date(days);
}

}  // namespace

void AddDatetimeFunctions(std::vector<ScalarFunction>* out) {
  // Fixed per statement, but never folded into a plan that may outlive the statement.
  for (std::string_view name :
       {"now", "current_timestamp", "transaction_timestamp", "statement_timestamp"}) {
    Add(out, name, {{{}, kTsTz}}, Now, /*is_volatile=*/true);
  }
  Add(out, "localtimestamp", {{{}, kTs}}, LocalTimestamp, /*is_volatile=*/true);
  Add(out, "current_date", {{{}, kDate}}, CurrentDate, /*is_volatile=*/true);
  // TIMESTAMPTZ first: a DATE argument resolves to it, as in PostgreSQL.
  Add(out, "date_trunc",
      {{{kText, kTsTz}, kTsTz}, {{kText, kTs}, kTs}, {{kText, kInterval}, kInterval}}, DateTrunc);
  Add(out, "extract",
      {{{kText, kTsTz}, kDouble},
       {{kText, kTs}, kDouble},
       {{kText, kDate}, kDouble},
       {{kText, kInterval}, kDouble}},
      Extract);
  Add(out, "date_part",
      {{{kText, kTsTz}, kDouble},
       {{kText, kTs}, kDouble},
       {{kText, kDate}, kDouble},
       {{kText, kInterval}, kDouble}},
      DatePart);
  Add(out, "to_timestamp", {{{kDouble}, kTsTz}}, ToTimestamp);
  Add(out, "make_date", {{{kInt, kInt, kInt}, kDate}}, MakeDate);
}

}  // namespace tenantdb::sql
