// INTERVAL arithmetic and encoding shared by the SQL functions, the storage codecs and
// the wire protocols. The value type itself (Interval: months, days, microseconds) is in
// include/tenantdb/value.h.
//
// Every function is pure and thread-safe. Arithmetic follows PostgreSQL 15: months are
// added to a timestamp by calendar (Jan 31 + 1 mon = Feb 28/29), then days, then the
// microseconds; overflow of any field is an "interval out of range" or "timestamp out of
// range" error (22008), never a wrapped value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "types/value.h"

namespace tenantdb {

inline constexpr int64_t kMicrosPerSecond = 1'000'000;
inline constexpr int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

// 16 bytes, little-endian: micros (8), days (4), months (4). Stored in rows, Parquet
// FIXED_LEN_BYTE_ARRAY(16) and keys of hash tables; the layout is persisted.
inline constexpr size_t kIntervalBytes = 16;
void AppendIntervalBytes(const Interval& v, std::string* out);
Interval IntervalFromBytes(const char* bytes);  // reads kIntervalBytes

// timestamp (microseconds) + interval, and - interval.
Result<int64_t> AddInterval(int64_t timestamp, const Interval& v);
Result<int64_t> SubtractInterval(int64_t timestamp, const Interval& v);
// a - b of two timestamps: days and microseconds (hours past 24 fold into days as
// PostgreSQL's timestamp_mi does with justify_hours).
Result<Interval> TimestampDifference(int64_t a, int64_t b);
// age(a, b): the symbolic difference in years, months and days, as PostgreSQL's age().
Result<Interval> Age(int64_t a, int64_t b);

Result<Interval> AddIntervals(const Interval& a, const Interval& b);
Result<Interval> SubtractIntervals(const Interval& a, const Interval& b);
Result<Interval> NegateInterval(const Interval& v);
// interval * factor and interval / divisor, with fractional months and days cascading
// down to days and microseconds as in PostgreSQL's interval_mul.
Result<Interval> MultiplyInterval(const Interval& v, double factor);
Result<Interval> DivideInterval(const Interval& v, double divisor);

// justify_hours (24h -> 1 day), justify_days (30 days -> 1 mon), justify_interval (both,
// with signs made consistent).
Result<Interval> JustifyHours(const Interval& v);
Result<Interval> JustifyDays(const Interval& v);
Result<Interval> JustifyInterval(const Interval& v);

// Seconds the interval spans with 30-day months and 365.25-day years, as
// extract(epoch from interval).
double IntervalEpochSeconds(const Interval& v);

// Parses PostgreSQL's interval input: "1 day 2 hours", "1 year 2 mons -3 days 04:05:06.5",
// "@ 1 hour ago", "3 weeks", "1.5 hours", "01:02:03", "-1:30", "1 12:00", "P1Y2M3DT4H5M6S".
// 22P02 (invalid input syntax for type interval) on anything else, 22008 on overflow.
Result<Interval> ParseInterval(std::string_view text);

// INTERVAL's type modifiers as PostgreSQL's grammar encodes them: a field range mask
// (INTERVAL '1' DAY, DAY TO SECOND, ...) and a fractional-second precision (0..6).
inline constexpr int64_t kIntervalMonth = 1 << 1, kIntervalYear = 1 << 2, kIntervalDay = 1 << 3,
                         kIntervalHour = 1 << 10, kIntervalMinute = 1 << 11,
                         kIntervalSecond = 1 << 12, kIntervalFullRange = 0x7FFF;
inline constexpr int64_t kIntervalFullPrecision = 0xFFFF;
// Parses `text` as INTERVAL with field range `range`: a number without a unit counts in
// the range's last field ("1" is a day for DAY) and fields below the range are dropped
// (INTERVAL '1 day 02:03' DAY is 1 day); seconds round to `precision` digits. 22023 for
// a range or precision PostgreSQL's grammar cannot produce.
Result<Interval> ParseIntervalWithTypmod(std::string_view text, int64_t range, int64_t precision);

}  // namespace tenantdb
