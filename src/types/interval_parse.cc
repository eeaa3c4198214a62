// ParseInterval (declared in interval.h): PostgreSQL's interval input, the postgres style
// ("1 year 2 mons -3 days 04:05:06", "@ 1 hour ago", unit abbreviations, fractions that
// cascade to smaller units) and ISO 8601 designators ("P1Y2M3DT4H5M6.5S").
#include <cctype>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "types/interval.h"

namespace tenantdb {

namespace {

Status BadSyntax(std::string_view text) {
  return Status(ErrorCode::kInvalidTextRepresentation,
                "invalid input syntax for type interval: \"" + std::string(text) + "\"");
}

// The sum being built: whole months and days, microseconds. Fractions cascade into the
// smaller units and each part rounds to a microsecond, in double precision, as
// PostgreSQL's DecodeInterval (AdjustFractDays / AdjustFractSeconds) does, so
// '0.7 mons' is 21 days there and here.
struct Accumulator {
  double months = 0;
  double days = 0;
  long double micros = 0;  // a sum of whole microseconds; range-checked at the end

  void AddMonths(double v) {
    const double whole = std::trunc(v);
    months += whole;
    AddDays((v - whole) * 30);
  }
  void AddDays(double v) {
    const double whole = std::trunc(v);
    days += whole;
    micros += std::rint((v - whole) * static_cast<double>(kMicrosPerDay));
  }
};

enum class Unit {
  kNone,
  kMicro,
  kMilli,
  kSecond,
  kMinute,
  kHour,
  kDay,
  kWeek,
  kMonth,
  kYear,
  kDecade,
  kCentury,
  kMillennium
};

Unit ParseUnit(std::string_view word) {
  struct Name {
    std::string_view name;
    Unit unit;
  };
  static constexpr Name kNames[] = {
      {"microsecond", Unit::kMicro},
      {"microseconds", Unit::kMicro},
      {"us", Unit::kMicro},
      {"usec", Unit::kMicro},
      {"usecs", Unit::kMicro},
      {"useconds", Unit::kMicro},
      {"millisecond", Unit::kMilli},
      {"milliseconds", Unit::kMilli},
      {"ms", Unit::kMilli},
      {"msec", Unit::kMilli},
      {"msecs", Unit::kMilli},
      {"mseconds", Unit::kMilli},
      {"second", Unit::kSecond},
      {"seconds", Unit::kSecond},
      {"s", Unit::kSecond},
      {"sec", Unit::kSecond},
      {"secs", Unit::kSecond},
      {"minute", Unit::kMinute},
      {"minutes", Unit::kMinute},
      {"m", Unit::kMinute},
      {"min", Unit::kMinute},
      {"mins", Unit::kMinute},
      {"hour", Unit::kHour},
      {"hours", Unit::kHour},
      {"h", Unit::kHour},
      {"hr", Unit::kHour},
      {"hrs", Unit::kHour},
      {"day", Unit::kDay},
      {"days", Unit::kDay},
      {"d", Unit::kDay},
      {"week", Unit::kWeek},
      {"weeks", Unit::kWeek},
      {"w", Unit::kWeek},
      {"month", Unit::kMonth},
      {"months", Unit::kMonth},
      {"mon", Unit::kMonth},
      {"mons", Unit::kMonth},
      {"year", Unit::kYear},
      {"years", Unit::kYear},
      {"y", Unit::kYear},
      {"yr", Unit::kYear},
      {"yrs", Unit::kYear},
      {"decade", Unit::kDecade},
      {"decades", Unit::kDecade},
      {"dec", Unit::kDecade},
      {"decs", Unit::kDecade},
      {"century", Unit::kCentury},
      {"centuries", Unit::kCentury},
      {"c", Unit::kCentury},
      {"cent", Unit::kCentury},
      {"millennium", Unit::kMillennium},
      {"millennia", Unit::kMillennium},
      {"mil", Unit::kMillennium},
      {"mils", Unit::kMillennium},
  };
  for (const Name& n : kNames) {
    if (n.name == word) return n.unit;
  }
  return Unit::kNone;
}

void AddQuantity(double v, Unit unit, Accumulator* acc) {
  switch (unit) {
    case Unit::kMicro:
      acc->micros += std::rint(v);
      break;
    case Unit::kMilli:
      acc->micros += std::rint(v * 1000);
      break;
    case Unit::kSecond:
      acc->micros += std::rint(v * kMicrosPerSecond);
      break;
    case Unit::kMinute:
      acc->micros += std::rint(v * 60 * kMicrosPerSecond);
      break;
    case Unit::kHour:
      acc->micros += std::rint(v * 3600 * kMicrosPerSecond);
      break;
    case Unit::kDay:
      acc->AddDays(v);
      break;
    case Unit::kWeek:
      acc->AddDays(v * 7);
      break;
    case Unit::kMonth:
      acc->AddMonths(v);
      break;
    // Fractions of years and longer round to whole months, as in PostgreSQL.
    case Unit::kYear:
      acc->months += std::rint(v * 12);
      break;
    case Unit::kDecade:
      acc->months += std::rint(v * 120);
      break;
    case Unit::kCentury:
      acc->months += std::rint(v * 1200);
      break;
    case Unit::kMillennium:
      acc->months += std::rint(v * 12000);
      break;
    case Unit::kNone:
      break;
  }
}

// A decimal number at the start of `s` ("12", "-1.5", ".5"); advances past it.
std::optional<double> TakeNumber(std::string_view* s) {
  size_t i = 0;
  if (i < s->size() && ((*s)[i] == '+' || (*s)[i] == '-')) ++i;
  const size_t digits_from = i;
  bool any = false;
  while (i < s->size() && std::isdigit(static_cast<unsigned char>((*s)[i]))) {
    ++i;
    any = true;
  }
  if (i < s->size() && (*s)[i] == '.') {
    ++i;
    while (i < s->size() && std::isdigit(static_cast<unsigned char>((*s)[i]))) {
      ++i;
      any = true;
    }
  }
  if (!any || i - digits_from > 40) return std::nullopt;
  const std::string number(s->substr(0, i));
  s->remove_prefix(i);
  return std::strtod(number.c_str(), nullptr);
}

// "[-]H:M[:S[.f]]": microseconds; nullopt if `token` is not a time.
std::optional<long double> ParseTime(std::string_view token) {
  bool negative = false;
  if (!token.empty() && (token[0] == '-' || token[0] == '+')) {
    negative = token[0] == '-';
    token.remove_prefix(1);
  }
  double parts[3] = {0, 0, 0};
  int n = 0;
  while (n < 3) {
    if (token.empty() || token[0] == '+' || token[0] == '-') return std::nullopt;
    std::optional<double> v = TakeNumber(&token);
    if (!v) return std::nullopt;
    parts[n++] = *v;
    if (token.empty()) break;
    if (token[0] != ':') return std::nullopt;
    token.remove_prefix(1);
  }
  if (!token.empty() || n < 2) return std::nullopt;
  // Only seconds may have a fraction; minutes and seconds stay below 60.
  if (parts[0] != std::trunc(parts[0]) || parts[1] != std::trunc(parts[1]) || parts[1] >= 60 ||
      parts[2] >= 60) {
    return std::nullopt;
  }
  const long double micros =
      (static_cast<long double>(parts[0]) * 60 + parts[1]) * 60 * kMicrosPerSecond +
      std::rint(parts[2] * kMicrosPerSecond);
  return negative ? -micros : micros;
}

// ISO 8601 "P[nY][nM][nW][nD][T[nH][nM][nS]]".
bool ParseIso(std::string_view s, Accumulator* acc) {
  s.remove_prefix(1);  // 'p'
  if (s.empty()) return false;
  bool time = false;
  while (!s.empty()) {
    if (s[0] == 't') {
      if (time) return false;
      time = true;
      s.remove_prefix(1);
      if (s.empty()) return false;
      continue;
    }
    std::optional<double> v = TakeNumber(&s);
    if (!v || s.empty()) return false;
    const char designator = s[0];
    s.remove_prefix(1);
    Unit unit = Unit::kNone;
    if (!time) {
      unit = designator == 'y'   ? Unit::kYear
             : designator == 'm' ? Unit::kMonth
             : designator == 'w' ? Unit::kWeek
             : designator == 'd' ? Unit::kDay
                                 : Unit::kNone;
    } else {
      unit = designator == 'h'   ? Unit::kHour
             : designator == 'm' ? Unit::kMinute
             : designator == 's' ? Unit::kSecond
                                 : Unit::kNone;
    }
    if (unit == Unit::kNone) return false;
    AddQuantity(*v, unit, acc);
  }
  return true;
}

// Splits the lower-cased text into words: runs of letters, runs of number characters
// (digits, '.', ':', a leading sign); '@' and blanks separate.
std::vector<std::string> Tokens(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '@' || c == ',') {
      ++i;
      continue;
    }
    size_t j = i + 1;
    if (std::isalpha(static_cast<unsigned char>(c))) {
      while (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j])))
        ++j;
    } else {
      while (j < s.size() &&
             (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.' || s[j] == ':'))
        ++j;
    }
    out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

Result<Interval> ParseWithBareUnit(std::string_view text, Unit bare_unit);

}  // namespace

Result<Interval> ParseInterval(std::string_view text) {
  return ParseWithBareUnit(text, Unit::kSecond);
}

bool ParseIntervalText(std::string_view text, Interval* out) {
  Result<Interval> v = ParseInterval(text);
  if (!v.ok()) return false;
  *out = *v;
  return true;
}

Result<Interval> ParseIntervalWithTypmod(std::string_view text, int64_t range, int64_t precision) {
  Unit bare = Unit::kSecond;
  int64_t truncate_micros = 0;  // time truncated to a multiple of this; 0 keeps it
  bool drop_days = false, drop_months_below_year = false;
  constexpr int64_t kY = kIntervalYear, kM = kIntervalMonth, kD = kIntervalDay, kH = kIntervalHour,
                    kMi = kIntervalMinute, kS = kIntervalSecond;
  constexpr int64_t kHour = 3600 * kMicrosPerSecond, kMinute = 60 * kMicrosPerSecond;
  if (range == kIntervalFullRange) {
  } else if (range == kY) {
    bare = Unit::kYear;
    drop_months_below_year = drop_days = true;
    truncate_micros = -1;
  } else if (range == kM || range == (kY | kM)) {
    bare = Unit::kMonth;
    drop_days = true;
    truncate_micros = -1;
  } else if (range == kD) {
    bare = Unit::kDay;
    truncate_micros = -1;
  } else if (range == kH || range == (kD | kH)) {
    bare = Unit::kHour;
    truncate_micros = kHour;
  } else if (range == kMi || range == (kH | kMi) || range == (kD | kH | kMi)) {
    bare = Unit::kMinute;
    truncate_micros = kMinute;
  } else if (range == kS || range == (kMi | kS) || range == (kH | kMi | kS) ||
             range == (kD | kH | kMi | kS)) {
  } else {
    return Status(ErrorCode::kInvalidArgument, "invalid INTERVAL type modifier");
  }
  if (precision != kIntervalFullPrecision && (precision < 0 || precision > 6)) {
    return Status(ErrorCode::kInvalidArgument,
                  "INTERVAL(" + std::to_string(precision) + ") precision must be between 0 and 6");
  }
  TDB_ASSIGN_OR_RETURN(Interval v, ParseWithBareUnit(text, bare));
  if (drop_months_below_year) v.months = v.months / 12 * 12;
  if (drop_days) v.days = 0;
  if (truncate_micros < 0) v.micros = 0;
  if (truncate_micros > 0) v.micros = v.micros / truncate_micros * truncate_micros;
  if (precision != kIntervalFullPrecision && precision < 6) {
    int64_t scale = 1;
    for (int64_t i = precision; i < 6; ++i)
      scale *= 10;
    const int64_t offset = scale / 2;
    v.micros = v.micros >= 0 ? (v.micros + offset) / scale * scale
                             : -((-v.micros + offset) / scale * scale);
  }
  return v;
}

namespace {

Result<Interval> ParseWithBareUnit(std::string_view text, Unit bare_unit) {
  std::string s;
  for (char c : text)
    s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  Accumulator acc;
  size_t first = s.find_first_not_of(" \t\n");
  if (first == std::string::npos) return BadSyntax(text);
  if (s[first] == 'p') {
    const size_t last = s.find_last_not_of(" \t\n");
    if (!ParseIso(std::string_view(s).substr(first, last - first + 1), &acc)) {
      return BadSyntax(text);
    }
  } else {
    const std::vector<std::string> tokens = Tokens(s);
    bool ago = false;
    bool any = false;
    for (size_t i = 0; i < tokens.size(); ++i) {
      const std::string& token = tokens[i];
      if (ago) return BadSyntax(text);  // "ago" must be last
      if (token == "ago") {
        if (!any) return BadSyntax(text);
        ago = true;
        continue;
      }
      if (std::isalpha(static_cast<unsigned char>(token[0]))) return BadSyntax(text);
      if (token.find(':') != std::string::npos) {
        std::optional<long double> micros = ParseTime(token);
        if (!micros) return BadSyntax(text);
        acc.micros += *micros;
        any = true;
        continue;
      }
      std::string_view number_text = token;
      std::optional<double> number = TakeNumber(&number_text);
      if (!number || !number_text.empty()) return BadSyntax(text);
      Unit unit = Unit::kNone;
      if (i + 1 < tokens.size() && std::isalpha(static_cast<unsigned char>(tokens[i + 1][0])) &&
          tokens[i + 1] != "ago") {
        unit = ParseUnit(tokens[i + 1]);
        if (unit == Unit::kNone) return BadSyntax(text);
        ++i;
      } else if (i + 1 < tokens.size() && tokens[i + 1].find(':') != std::string::npos) {
        unit = Unit::kDay;  // "1 12:00:00": a day count before a time
      } else {
        unit = bare_unit;  // a bare number: seconds, or the typmod's last field
      }
      AddQuantity(*number, unit, &acc);
      any = true;
    }
    if (!any) return BadSyntax(text);
    if (ago) {
      acc.months = -acc.months;
      acc.days = -acc.days;
      acc.micros = -acc.micros;
    }
  }
  const long double micros = std::rint(acc.micros);
  if (std::fabs(acc.months) > 2147483647.0L || std::fabs(acc.days) > 2147483647.0L ||
      std::fabs(micros) >= 9223372036854775808.0L) {
    return Status(ErrorCode::kDatetimeOverflow,
                  "interval field value out of range: \"" + std::string(text) + "\"");
  }
  return Interval{static_cast<int64_t>(micros), static_cast<int32_t>(acc.days),
                  static_cast<int32_t>(acc.months)};
}

}  // namespace

}  // namespace tenantdb
