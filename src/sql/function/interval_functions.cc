// Functions over INTERVAL: extract / date_part and date_trunc of an interval (called by
// datetime_functions.cc with the unit already canonical), age, justify_days / _hours /
// _interval and make_interval. PostgreSQL 15's behaviour; errors 22023 for a unit the
// type has no field for, 22008 on overflow.
#include <cmath>
#include <string>
#include <vector>

#include "sql/function/cast.h"
#include "sql/function/function_registry.h"
#include "types/interval.h"

namespace tenantdb::sql {

namespace {

constexpr DataType kIv = DataType::kInterval;
constexpr DataType kTs = DataType::kTimestamp;
constexpr DataType kTsTz = DataType::kTimestampTz;
constexpr DataType kInt = DataType::kInt;
constexpr DataType kDouble = DataType::kDouble;
constexpr int64_t kMicrosPerHour = 3'600'000'000;
constexpr int64_t kMicrosPerMinute = 60'000'000;

Status UnitNotSupported(std::string_view unit) {
  return Status(ErrorCode::kInvalidArgument,
                "unit \"" + std::string(unit) + "\" not supported for type interval");
}

Result<Value> AgeOf(std::span<const Value> a, const FunctionContext& ctx) {
  const bool one = a.size() == 1;
  // age(ts): from ts to today's midnight, as PostgreSQL.
  const int64_t today =
      ctx.now_micros - (ctx.now_micros % kMicrosPerDay + kMicrosPerDay) % kMicrosPerDay;
  TDB_ASSIGN_OR_RETURN(Interval v,
                       Age(one ? today : a[0].as_int64(), one ? a[0].as_int64() : a[1].as_int64()));
  return Value::FromInterval(v);
}

template <Result<Interval> (*Fn)(const Interval&)>
Result<Value> Justify(std::span<const Value> a, const FunctionContext&) {
  TDB_ASSIGN_OR_RETURN(Interval v, Fn(a[0].as_interval()));
  return Value::FromInterval(v);
}

// make_interval(years, months, weeks, days, hours, mins, secs), trailing ones 0.
Result<Value> MakeInterval(std::span<const Value> a, const FunctionContext&) {
  auto part = [&a](size_t i) -> int64_t { return i < a.size() ? a[i].as_int64() : 0; };
  const double secs = a.size() > 6 ? a[6].as_double() : 0;
  if (std::isnan(secs) || std::isinf(secs)) {
    return Status(ErrorCode::kDatetimeOverflow, "interval out of range");
  }
  const __int128 months = __int128{part(0)} * 12 + part(1);
  const __int128 days = __int128{part(2)} * 7 + part(3);
  const long double micros =
      (static_cast<long double>(part(4)) * 3600 + static_cast<long double>(part(5)) * 60 + secs) *
      1e6L;
  if (months < INT32_MIN || months > INT32_MAX || days < INT32_MIN || days > INT32_MAX ||
      std::fabs(std::rint(micros)) >= 9223372036854775808.0L) {
    return Status(ErrorCode::kDatetimeOverflow, "interval out of range");
  }
  return Value::FromInterval(Interval{static_cast<int64_t>(std::rint(micros)),
                                      static_cast<int32_t>(days), static_cast<int32_t>(months)});
}

}  // namespace

Result<Value> ExtractFromInterval(const std::string& unit, const Interval& v) {
  const int64_t year = v.months / 12;
  const int64_t second_micros = v.micros % kMicrosPerMinute;
  double out;
  if (unit == "epoch") {
    out = IntervalEpochSeconds(v);
  } else if (unit == "millennium") {
    out = static_cast<double>(year / 1000);
  } else if (unit == "century") {
    out = static_cast<double>(year / 100);
  } else if (unit == "decade") {
    out = static_cast<double>(year / 10);
  } else if (unit == "year") {
    out = static_cast<double>(year);
  } else if (unit == "quarter") {
    out = static_cast<double>(v.months % 12 / 3 + 1);
  } else if (unit == "month") {
    out = static_cast<double>(v.months % 12);
  } else if (unit == "day") {
    out = v.days;
  } else if (unit == "hour") {
    out = static_cast<double>(v.micros / kMicrosPerHour);
  } else if (unit == "minute") {
    out = static_cast<double>(v.micros % kMicrosPerHour / kMicrosPerMinute);
  } else if (unit == "second") {
    out = static_cast<double>(second_micros) / 1e6;
  } else if (unit == "milliseconds") {
    out = static_cast<double>(second_micros) / 1e3;
  } else if (unit == "microseconds") {
    out = static_cast<double>(second_micros);
  } else {
    return UnitNotSupported(unit);
  }
  return Value::Double(out);
}

Result<Value> TruncateInterval(const std::string& unit, const Interval& v) {
  int64_t year = v.months / 12, month = v.months % 12;
  int64_t day = v.days, micros = v.micros;
  auto drop_time_below = [&micros](int64_t unit_micros) {
    micros = micros / unit_micros * unit_micros;
  };
  if (unit == "millennium" || unit == "century" || unit == "decade" || unit == "year") {
    const int64_t step = unit == "millennium" ? 1000
                         : unit == "century"  ? 100
                         : unit == "decade"   ? 10
                                              : 1;
    year = year / step * step;
    month = day = micros = 0;
  } else if (unit == "quarter") {
    month = month / 3 * 3;
    day = micros = 0;
  } else if (unit == "month") {
    day = micros = 0;
  } else if (unit == "day") {
    micros = 0;
  } else if (unit == "hour") {
    drop_time_below(kMicrosPerHour);
  } else if (unit == "minute") {
    drop_time_below(kMicrosPerMinute);
  } else if (unit == "second") {
    drop_time_below(1'000'000);
  } else if (unit == "milliseconds") {
    drop_time_below(1000);
  } else if (unit == "microseconds") {
  } else if (unit == "week") {
    return Status(ErrorCode::kFeatureNotSupported,
                  "interval units \"week\" not supported because months usually have fractional "
                  "weeks");
  } else {
    return UnitNotSupported(unit);
  }
  return Value::FromInterval(
      Interval{micros, static_cast<int32_t>(day), static_cast<int32_t>(year * 12 + month)});
}

void AddIntervalFunctions(std::vector<ScalarFunction>* out) {
  // age(ts) depends on today's date: volatile, like now().
  Add(out, "age", {{{kTsTz, kTsTz}, kIv}, {{kTs, kTs}, kIv}, {{kTsTz}, kIv}, {{kTs}, kIv}}, AgeOf,
      /*is_volatile=*/true);
  Add(out, "justify_days", {{{kIv}, kIv}}, Justify<JustifyDays>);
  Add(out, "justify_hours", {{{kIv}, kIv}}, Justify<JustifyHours>);
  Add(out, "justify_interval", {{{kIv}, kIv}}, Justify<JustifyInterval>);
  std::vector<FunctionSignature> make;
  for (size_t n = 0; n <= 7; ++n) {
    std::vector<DataType> args(n, kInt);
    if (n == 7) args[6] = kDouble;
    make.push_back({args, kIv});
  }
  Add(out, "make_interval", std::move(make), MakeInterval);
}

}  // namespace tenantdb::sql
