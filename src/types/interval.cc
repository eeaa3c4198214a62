#include "types/interval.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace tenantdb {

namespace {

constexpr int32_t kDaysPerMonth = 30;  // PostgreSQL's DAYS_PER_MONTH
// The earliest timestamp (4713 BC, as PostgreSQL and text_input.h).
constexpr int64_t kMinTimestampMicros = -210866803200000000;

Status IntervalOutOfRange() {
  return Status(ErrorCode::kDatetimeOverflow, "interval out of range");
}
Status TimestampOutOfRange() {
  return Status(ErrorCode::kDatetimeOverflow, "timestamp out of range");
}

bool FitsInt32(__int128 v) {
  return v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max();
}
bool FitsInt64(__int128 v) {
  return v >= std::numeric_limits<int64_t>::min() && v <= std::numeric_limits<int64_t>::max();
}

Result<Interval> Make(__int128 months, __int128 days, __int128 micros) {
  if (!FitsInt32(months) || !FitsInt32(days) || !FitsInt64(micros)) return IntervalOutOfRange();
  return Interval{static_cast<int64_t>(micros), static_cast<int32_t>(days),
                  static_cast<int32_t>(months)};
}

Result<int64_t> CheckTimestamp(__int128 micros) {
  if (!FitsInt64(micros) || micros < kMinTimestampMicros) return TimestampOutOfRange();
  return static_cast<int64_t>(micros);
}

int64_t FloorDiv(int64_t a, int64_t b) {
  return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

bool IsLeap(int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}
int32_t DaysInMonth(int64_t year, uint32_t month) {
  static constexpr int32_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

// A timestamp's calendar fields (proleptic Gregorian, astronomical years).
struct Fields {
  int32_t year;
  uint32_t month, day;
  int64_t micros_of_day;
};
Fields Split(int64_t micros) {
  const int64_t days = FloorDiv(micros, kMicrosPerDay);
  Fields f{};
  CivilFromDays(static_cast<int32_t>(days), &f.year, &f.month, &f.day);
  f.micros_of_day = micros - days * kMicrosPerDay;
  return f;
}

// PostgreSQL's TSROUND: rounds to microsecond precision.
double RoundMicros(double v) {
  return std::rint(v * 1e6) / 1e6;
}

}  // namespace

void AppendIntervalBytes(const Interval& v, std::string* out) {
  char bytes[kIntervalBytes];
  const uint64_t micros = static_cast<uint64_t>(v.micros);
  const uint32_t days = static_cast<uint32_t>(v.days), months = static_cast<uint32_t>(v.months);
  for (int i = 0; i < 8; ++i)
    bytes[i] = static_cast<char>(micros >> (8 * i));
  for (int i = 0; i < 4; ++i) {
    bytes[8 + i] = static_cast<char>(days >> (8 * i));
    bytes[12 + i] = static_cast<char>(months >> (8 * i));
  }
  out->append(bytes, kIntervalBytes);
}

Interval IntervalFromBytes(const char* bytes) {
  const auto* b = reinterpret_cast<const unsigned char*>(bytes);
  uint64_t micros = 0;
  uint32_t days = 0, months = 0;
  for (int i = 0; i < 8; ++i)
    micros |= uint64_t{b[i]} << (8 * i);
  for (int i = 0; i < 4; ++i) {
    days |= uint32_t{b[8 + i]} << (8 * i);
    months |= uint32_t{b[12 + i]} << (8 * i);
  }
  return Interval{static_cast<int64_t>(micros), static_cast<int32_t>(days),
                  static_cast<int32_t>(months)};
}

Result<int64_t> AddInterval(int64_t timestamp, const Interval& v) {
  __int128 t = timestamp;
  if (v.months != 0) {
    Fields f = Split(timestamp);
    const __int128 month_index = __int128{f.year} * 12 + (f.month - 1) + v.months;
    const __int128 year = month_index >= 0 ? month_index / 12 : -((-month_index + 11) / 12);
    const uint32_t month = static_cast<uint32_t>(month_index - year * 12) + 1;
    if (!FitsInt32(year) || year > 300000 || year < -5000) return TimestampOutOfRange();
    const uint32_t day =
        std::min<uint32_t>(f.day, static_cast<uint32_t>(DaysInMonth(int64_t(year), month)));
    t = __int128{DaysFromCivil(static_cast<int32_t>(year), month, day)} * kMicrosPerDay +
        f.micros_of_day;
  }
  t += __int128{v.days} * kMicrosPerDay + v.micros;
  return CheckTimestamp(t);
}

Result<int64_t> SubtractInterval(int64_t timestamp, const Interval& v) {
  TDB_ASSIGN_OR_RETURN(Interval negated, NegateInterval(v));
  return AddInterval(timestamp, negated);
}

Result<Interval> TimestampDifference(int64_t a, int64_t b) {
  const __int128 diff = __int128{a} - b;
  if (!FitsInt64(diff)) return IntervalOutOfRange();
  return JustifyHours(Interval{static_cast<int64_t>(diff), 0, 0});
}

Result<Interval> Age(int64_t a, int64_t b) {
  const Fields f1 = Split(a), f2 = Split(b);
  int64_t micros = f1.micros_of_day - f2.micros_of_day;
  int64_t day = int64_t{f1.day} - f2.day;
  int64_t month = int64_t{f1.month} - f2.month;
  int64_t year = int64_t{f1.year} - f2.year;
  const bool flip = a < b;
  if (flip) {
    micros = -micros;
    day = -day;
    month = -month;
    year = -year;
  }
  // Borrow negative fields from the next larger one, as PostgreSQL's timestamp_age.
  while (micros < 0) {
    micros += kMicrosPerDay;
    --day;
  }
  while (day < 0) {
    const Fields& earlier = flip ? f1 : f2;
    day += DaysInMonth(earlier.year, earlier.month);
    --month;
  }
  while (month < 0) {
    month += 12;
    --year;
  }
  if (flip) {
    micros = -micros;
    day = -day;
    month = -month;
    year = -year;
  }
  return Make(__int128{year} * 12 + month, day, micros);
}

Result<Interval> AddIntervals(const Interval& a, const Interval& b) {
  return Make(__int128{a.months} + b.months, __int128{a.days} + b.days,
              __int128{a.micros} + b.micros);
}

Result<Interval> SubtractIntervals(const Interval& a, const Interval& b) {
  return Make(__int128{a.months} - b.months, __int128{a.days} - b.days,
              __int128{a.micros} - b.micros);
}

Result<Interval> NegateInterval(const Interval& v) {
  return Make(-__int128{v.months}, -__int128{v.days}, -__int128{v.micros});
}

namespace {

// interval * factor or interval / divisor, given the scaled fields: whole months and days
// are kept, a month's fraction becomes days and a day's fraction seconds, each rounded
// to the microsecond (PostgreSQL's interval_mul / interval_div cascade).
Result<Interval> Scaled(double months, double days, double micros) {
  if (std::isnan(months) || std::isnan(days) || std::fabs(months) >= 2147483648.0 ||
      std::fabs(days) >= 2147483648.0) {
    return IntervalOutOfRange();
  }
  const __int128 out_months = static_cast<int32_t>(months);
  __int128 out_days = static_cast<int32_t>(days);
  const double month_remainder_days = RoundMicros((months - double(out_months)) * kDaysPerMonth);
  double sec_remainder =
      RoundMicros((days - double(out_days) + month_remainder_days -
                   static_cast<double>(static_cast<int32_t>(month_remainder_days))) *
                  86400.0);
  if (std::fabs(sec_remainder) >= 86400.0) {
    const int32_t whole = static_cast<int32_t>(sec_remainder / 86400.0);
    out_days += whole;
    sec_remainder -= whole * 86400.0;
  }
  out_days += static_cast<int32_t>(month_remainder_days);
  const double out_micros = std::rint(micros + sec_remainder * 1e6);
  if (std::isnan(out_micros) || std::fabs(out_micros) >= 9.2233720368547758e18) {
    return IntervalOutOfRange();
  }
  return Make(out_months, out_days, static_cast<int64_t>(out_micros));
}

}  // namespace

Result<Interval> MultiplyInterval(const Interval& v, double factor) {
  return Scaled(v.months * factor, v.days * factor, double(v.micros) * factor);
}

Result<Interval> DivideInterval(const Interval& v, double divisor) {
  if (divisor == 0.0) return Status(ErrorCode::kDivisionByZero, "division by zero");
  return Scaled(v.months / divisor, v.days / divisor, double(v.micros) / divisor);
}

namespace {

// Moves the whole `unit`s of *small into *big (truncating, so the sign of *small stays).
void Carry(__int128* big, __int128* small, __int128 unit) {
  const __int128 whole = *small / unit;
  *small -= whole * unit;
  *big += whole;
}

// Borrows one `unit` so *big and *small do not have opposite signs.
void AlignSigns(__int128* big, __int128* small, __int128 unit) {
  if (*big > 0 && *small < 0) {
    *small += unit;
    --*big;
  } else if (*big < 0 && *small > 0) {
    *small -= unit;
    ++*big;
  }
}

}  // namespace

Result<Interval> JustifyHours(const Interval& v) {
  __int128 days = v.days, micros = v.micros;
  Carry(&days, &micros, kMicrosPerDay);
  AlignSigns(&days, &micros, kMicrosPerDay);
  return Make(v.months, days, micros);
}

Result<Interval> JustifyDays(const Interval& v) {
  __int128 months = v.months, days = v.days;
  Carry(&months, &days, kDaysPerMonth);
  AlignSigns(&months, &days, kDaysPerMonth);
  return Make(months, days, v.micros);
}

Result<Interval> JustifyInterval(const Interval& v) {
  __int128 months = v.months, days = v.days, micros = v.micros;
  // Days and time of one sign: months first, as PostgreSQL does to avoid overflow.
  if ((days > 0 && micros > 0) || (days < 0 && micros < 0)) Carry(&months, &days, kDaysPerMonth);
  Carry(&days, &micros, kMicrosPerDay);
  Carry(&months, &days, kDaysPerMonth);
  if (months > 0 && (days < 0 || (days == 0 && micros < 0))) {
    days += kDaysPerMonth;
    --months;
  } else if (months < 0 && (days > 0 || (days == 0 && micros > 0))) {
    days -= kDaysPerMonth;
    ++months;
  }
  AlignSigns(&days, &micros, kMicrosPerDay);
  return Make(months, days, micros);
}

double IntervalEpochSeconds(const Interval& v) {
  // PostgreSQL: years of 365.25 days, the remaining months of 30 days.
  const double years = v.months / 12, months = v.months % 12;
  return years * 365.25 * 86400.0 + months * 30.0 * 86400.0 + v.days * 86400.0 +
         static_cast<double>(v.micros) / 1e6;
}

}  // namespace tenantdb
