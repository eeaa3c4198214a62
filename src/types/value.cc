#include "types/value.h"

#include <cmath>
#include <cstdio>
#include <cstring>

#include "types/array_value.h"

namespace tenantdb {

// Howard Hinnant's days-from-civil construction, written out for a 400-year era: shift
// the year to start in March so the leap day is the era's last day.
int32_t DaysFromCivil(int32_t year, uint32_t month, uint32_t day) {
  year -= month <= 2;
  const int32_t era = (year >= 0 ? year : year - 399) / 400;
  const uint32_t year_of_era = static_cast<uint32_t>(year - era * 400);
  const uint32_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const uint32_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<int32_t>(day_of_era) - 719468;
}

void CivilFromDays(int32_t days, int32_t* year, uint32_t* month, uint32_t* day) {
  days += 719468;
  const int32_t era = (days >= 0 ? days : days - 146096) / 146097;
  const uint32_t day_of_era = static_cast<uint32_t>(days - era * 146097);
  const uint32_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const uint32_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const uint32_t mp = (5 * day_of_year + 2) / 153;
  *day = day_of_year - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = static_cast<int32_t>(year_of_era) + era * 400 + (*month <= 2);
}

std::string FormatDate(int32_t days) {
  int32_t y;
  uint32_t m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[32];
  if (y > 0) {
    std::snprintf(buf, sizeof(buf), "%04d-%02u-%02u", y, m, d);
  } else {  // PostgreSQL prints year 0 as 0001 BC
    std::snprintf(buf, sizeof(buf), "%04d-%02u-%02u BC", 1 - y, m, d);
  }
  return buf;
}

std::string FormatTimestamp(int64_t micros) {
  int64_t days = micros / 86'400'000'000;
  int64_t rest = micros % 86'400'000'000;
  if (rest < 0) {
    rest += 86'400'000'000;
    days -= 1;
  }
  const int64_t seconds = rest / 1'000'000;
  const int64_t fraction = rest % 1'000'000;
  std::string date = FormatDate(static_cast<int32_t>(days));
  std::string bc;
  if (date.size() > 3 && date.ends_with(" BC")) {
    bc = " BC";
    date.resize(date.size() - 3);
  }
  char buf[48];
  std::snprintf(buf, sizeof(buf), " %02lld:%02lld:%02lld", static_cast<long long>(seconds / 3600),
                static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60));
  std::string out = date + buf;
  if (fraction != 0) {
    char frac[8];
    std::snprintf(frac, sizeof(frac), ".%06lld", static_cast<long long>(fraction));
    std::string f(frac);
    while (f.back() == '0')
      f.pop_back();  // PostgreSQL trims trailing zeros
    out += f;
  }
  return out + bc;
}

namespace {

// One "N unit(s)" part of an interval; a positive part after a negative one gets "+".
void AppendIntervalPart(int64_t value, const char* unit, bool* is_zero, bool* is_before,
                        std::string* out) {
  if (value == 0) return;
  if (!*is_zero) *out += ' ';
  if (*is_before && value > 0) *out += '+';
  *out += std::to_string(value) + " " + unit + (value != 1 ? "s" : "");
  *is_before = value < 0;
  *is_zero = false;
}

}  // namespace

std::string FormatInterval(const Interval& v) {
  std::string out;
  bool is_zero = true, is_before = false;
  AppendIntervalPart(v.months / 12, "year", &is_zero, &is_before, &out);
  AppendIntervalPart(v.months % 12, "mon", &is_zero, &is_before, &out);
  AppendIntervalPart(v.days, "day", &is_zero, &is_before, &out);
  if (!is_zero && v.micros == 0) return out;
  const bool minus = v.micros < 0;
  // The magnitude of INT64_MIN fits in uint64.
  const uint64_t magnitude = minus ? 0 - static_cast<uint64_t>(v.micros) : uint64_t(v.micros);
  const uint64_t seconds = magnitude / 1'000'000, fraction = magnitude % 1'000'000;
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%s%s%02llu:%02llu:%02llu", is_zero ? "" : " ",
                minus ? "-" : (is_before ? "+" : ""),
                static_cast<unsigned long long>(seconds / 3600),
                static_cast<unsigned long long>(seconds / 60 % 60),
                static_cast<unsigned long long>(seconds % 60));
  out += buf;
  if (fraction != 0) {
    std::snprintf(buf, sizeof(buf), ".%06llu", static_cast<unsigned long long>(fraction));
    std::string f(buf);
    while (f.back() == '0')
      f.pop_back();
    out += f;
  }
  return out;
}

namespace {

std::string FormatDouble(double v, bool single) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  // Shortest text that reads back to the same value, as PostgreSQL 12+ prints.
  char buf[64];
  for (int precision = single ? 6 : 15; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof(buf), "%.*g", precision, v);
    if (single ? std::strtof(buf, nullptr) == static_cast<float>(v)
               : std::strtod(buf, nullptr) == v) {
      break;
    }
  }
  return buf;
}

}  // namespace

Uuid Value::as_uuid() const {
  Uuid out{};
  std::string_view bytes = as_bytes();
  std::memcpy(out.data(), bytes.data(), std::min(bytes.size(), out.size()));
  return out;
}

std::string Value::ToString() const {
  if (is_null()) return "NULL";
  if (IsArray(type_)) return FormatArray(ElementType(type_), as_bytes());
  switch (type_) {
    case DataType::kBoolean:
      return as_bool() ? "t" : "f";
    case DataType::kSmallInt:
    case DataType::kInt:
    case DataType::kBigInt:
      return std::to_string(as_int64());
    case DataType::kReal:
      return FormatDouble(as_double(), true);
    case DataType::kDouble:
      return FormatDouble(as_double(), false);
    case DataType::kText:
    case DataType::kJson:
      return std::string(as_bytes());
    case DataType::kBytea: {
      static constexpr char kHex[] = "0123456789abcdef";
      std::string out = "\\x";
      for (unsigned char c : as_bytes()) {
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
      return out;
    }
    case DataType::kDate:
      return FormatDate(static_cast<int32_t>(as_int64()));
    case DataType::kTimestamp:
      return FormatTimestamp(as_int64());
    case DataType::kTimestampTz: {
      // PostgreSQL puts the zone before the era: 4713-01-01 00:00:00+00 BC.
      std::string out = FormatTimestamp(as_int64());
      const size_t era = out.ends_with(" BC") ? out.size() - 3 : out.size();
      out.insert(era, "+00");
      return out;
    }
    case DataType::kUuid: {
      static constexpr char kHex[] = "0123456789abcdef";
      std::string out;
      int i = 0;
      for (unsigned char c : as_bytes()) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += kHex[c >> 4];
        out += kHex[c & 15];
        ++i;
      }
      return out;
    }
    case DataType::kInterval:
      return FormatInterval(as_interval());
    case DataType::kNumeric:
      return FormatNumeric(as_numeric());
  }
  return "?";
}

}  // namespace tenantdb
