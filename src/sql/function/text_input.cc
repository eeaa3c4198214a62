#include "sql/function/text_input.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "sql/function/cast.h"
#include "types/interval.h"
#include "types/numeric.h"

namespace tenantdb::sql {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && IsSpace(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back()))
    s.remove_suffix(1);
  return s;
}

char Lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Status InvalidSyntax(DataType type, std::string_view text) {
  // PostgreSQL names TIMESTAMP "timestamp" in input errors, and quotes no JSON text.
  if (type == DataType::kJson) {
    return Status(ErrorCode::kInvalidTextRepresentation, "invalid input syntax for type json");
  }
  const std::string_view name = type == DataType::kTimestamp ? "timestamp" : PgTypeName(type);
  return Status(
      ErrorCode::kInvalidTextRepresentation,
      "invalid input syntax for type " + std::string(name) + ": \"" + std::string(text) + "\"");
}

Result<Value> ParseInteger(std::string_view text, DataType type) {
  std::string_view s = TrimSpaces(text);
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return InvalidSyntax(type, text);
  // Accumulate negatively so that the most negative value parses without overflow.
  int64_t value = 0;
  bool overflow = false;
  for (char c : s) {
    if (c < '0' || c > '9') return InvalidSyntax(type, text);
    overflow |= __builtin_mul_overflow(value, int64_t{10}, &value);
    overflow |= __builtin_sub_overflow(value, int64_t{c - '0'}, &value);
  }
  if (!negative) overflow |= __builtin_mul_overflow(value, int64_t{-1}, &value);
  const int64_t min = type == DataType::kSmallInt ? std::numeric_limits<int16_t>::min()
                      : type == DataType::kInt    ? std::numeric_limits<int32_t>::min()
                                                  : std::numeric_limits<int64_t>::min();
  const int64_t max = type == DataType::kSmallInt ? std::numeric_limits<int16_t>::max()
                      : type == DataType::kInt    ? std::numeric_limits<int32_t>::max()
                                                  : std::numeric_limits<int64_t>::max();
  if (overflow || value < min || value > max) {
    return Status(ErrorCode::kNumericOutOfRange, "value \"" + std::string(text) +
                                                     "\" is out of range for type " +
                                                     std::string(PgTypeName(type)));
  }
  if (type == DataType::kSmallInt) return Value::SmallInt(static_cast<int16_t>(value));
  if (type == DataType::kInt) return Value::Int(static_cast<int32_t>(value));
  return Value::BigInt(value);
}

Result<Value> ParseFloat(std::string_view text, DataType type) {
  const bool single = type == DataType::kReal;
  std::string_view s = TrimSpaces(text);
  auto make = [&](double v) {
    return single ? Value::Real(static_cast<float>(v)) : Value::Double(v);
  };
  const double inf = std::numeric_limits<double>::infinity();
  if (EqualsIgnoreCase(s, "nan")) return make(std::numeric_limits<double>::quiet_NaN());
  for (std::string_view name : {"infinity", "+infinity", "inf", "+inf"}) {
    if (EqualsIgnoreCase(s, name)) return make(inf);
  }
  for (std::string_view name : {"-infinity", "-inf"}) {
    if (EqualsIgnoreCase(s, name)) return make(-inf);
  }
  if (s.empty()) return InvalidSyntax(type, text);
  // strtod would accept these spellings too; only the exact names above are valid.
  for (char c : s) {
    if (c == 'n' || c == 'N' || c == 'i' || c == 'I') return InvalidSyntax(type, text);
  }
  const std::string copy(s);
  char* end = nullptr;
  errno = 0;
  double v = single ? double{std::strtof(copy.c_str(), &end)} : std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || end == copy.c_str()) return InvalidSyntax(type, text);
  // ERANGE with a denormal result is accepted, as PostgreSQL does.
  if (errno == ERANGE && (v == 0 || std::isinf(v))) {
    return Status(
        ErrorCode::kNumericOutOfRange,
        "\"" + std::string(text) + "\" is out of range for type " + std::string(PgTypeName(type)));
  }
  return make(v);
}

// PostgreSQL's parse_bool: a unique prefix of true/false/yes/no, on/off (at least two
// letters), or exactly 1/0.
Result<Value> ParseBoolean(std::string_view text) {
  std::string_view s = TrimSpaces(text);
  auto prefix_of = [&](std::string_view word, size_t min_len) {
    return s.size() >= min_len && s.size() <= word.size() &&
           EqualsIgnoreCase(s, word.substr(0, s.size()));
  };
  if (prefix_of("true", 1) || prefix_of("yes", 1) || prefix_of("on", 2) || s == "1") {
    return Value::Boolean(true);
  }
  if (prefix_of("false", 1) || prefix_of("no", 1) || prefix_of("off", 2) || s == "0") {
    return Value::Boolean(false);
  }
  return InvalidSyntax(DataType::kBoolean, text);
}

// A cursor over date/time text.
struct Cursor {
  std::string_view s;
  size_t pos = 0;

  bool AtEnd() const { return pos >= s.size(); }
  char Peek() const { return AtEnd() ? '\0' : s[pos]; }
  void SkipSpaces() {
    while (!AtEnd() && IsSpace(s[pos]))
      ++pos;
  }
  bool Consume(char c) {
    if (Peek() != c) return false;
    ++pos;
    return true;
  }
  // Reads 1..max_digits decimal digits; false if there are none.
  bool Digits(size_t max_digits, int64_t* out, size_t* count = nullptr) {
    size_t n = 0;
    int64_t v = 0;
    while (!AtEnd() && n < max_digits && s[pos] >= '0' && s[pos] <= '9') {
      v = v * 10 + (s[pos] - '0');
      ++pos;
      ++n;
    }
    if (count != nullptr) *count = n;
    *out = v;
    return n > 0;
  }
};

struct DateTimeParts {
  int32_t days = 0;         // since 1970-01-01
  int64_t time_micros = 0;  // since midnight
  bool has_zone = false;
  int64_t zone_seconds = 0;  // east of UTC
};

enum class ParseOutcome { kOk, kSyntax, kFieldRange };

bool ValidCivil(int64_t year, int64_t month, int64_t day) {
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

ParseOutcome ParseZone(Cursor& c, DateTimeParts* out) {
  if (c.Consume('Z') || c.Consume('z')) {
    out->has_zone = true;
    return ParseOutcome::kOk;
  }
  std::string_view rest = c.s.substr(c.pos);
  for (std::string_view name : {"UTC", "GMT"}) {
    if (rest.size() >= 3 && EqualsIgnoreCase(rest.substr(0, 3), name)) {
      c.pos += 3;
      out->has_zone = true;
      return ParseOutcome::kOk;
    }
  }
  const char sign = c.Peek();
  if (sign != '+' && sign != '-') return ParseOutcome::kSyntax;
  ++c.pos;
  int64_t hours = 0, minutes = 0, seconds = 0;
  size_t n = 0;
  if (!c.Digits(4, &hours, &n)) return ParseOutcome::kSyntax;
  if (n > 2) {  // +HHMM
    minutes = hours % 100;
    hours /= 100;
    if (n != 4) return ParseOutcome::kSyntax;
  } else if (c.Consume(':')) {
    if (!c.Digits(2, &minutes)) return ParseOutcome::kSyntax;
    if (c.Consume(':') && !c.Digits(2, &seconds)) return ParseOutcome::kSyntax;
  }
  if (hours > 15 || minutes > 59 || seconds > 59) return ParseOutcome::kFieldRange;
  out->has_zone = true;
  out->zone_seconds = (sign == '-' ? -1 : 1) * (hours * 3600 + minutes * 60 + seconds);
  return ParseOutcome::kOk;
}

ParseOutcome ParseDateTime(std::string_view text, DateTimeParts* out) {
  Cursor c{text};
  c.SkipSpaces();
  int64_t year = 0, month = 0, day = 0;
  if (!c.Digits(9, &year) || !c.Consume('-') || !c.Digits(2, &month) || !c.Consume('-') ||
      !c.Digits(2, &day)) {
    return ParseOutcome::kSyntax;
  }
  // Time part: after a T or after spaces when a digit follows.
  const size_t before_time = c.pos;
  bool has_time = false;
  if (c.Consume('T') || c.Consume('t')) {
    has_time = true;
  } else {
    c.SkipSpaces();
    if (c.pos > before_time && c.Peek() >= '0' && c.Peek() <= '9') {
      has_time = true;
    } else {
      c.pos = before_time;
    }
  }
  int64_t hour = 0, minute = 0, second = 0, micros = 0;
  if (has_time) {
    if (!c.Digits(2, &hour) || !c.Consume(':') || !c.Digits(2, &minute)) {
      return ParseOutcome::kSyntax;
    }
    if (c.Consume(':')) {
      if (!c.Digits(2, &second)) return ParseOutcome::kSyntax;
      if (c.Consume('.')) {
        // Up to 6 digits are kept; the 7th rounds; further digits are ignored.
        size_t digits = 0;
        while (!c.AtEnd() && c.Peek() >= '0' && c.Peek() <= '9') {
          const int d = c.Peek() - '0';
          if (digits < 6) {
            micros = micros * 10 + d;
          } else if (digits == 6 && d >= 5) {
            micros += 1;
          }
          ++digits;
          ++c.pos;
        }
        for (size_t i = digits; i < 6; ++i)
          micros *= 10;
      }
    }
  }
  c.SkipSpaces();
  if (!c.AtEnd() && c.Peek() != 'B' && c.Peek() != 'b') {
    const ParseOutcome zone = ParseZone(c, out);
    if (zone != ParseOutcome::kOk) return zone;
    c.SkipSpaces();
  }
  bool bc = false;
  if (c.s.size() - c.pos >= 2 && EqualsIgnoreCase(c.s.substr(c.pos, 2), "BC")) {
    bc = true;
    c.pos += 2;
    c.SkipSpaces();
  }
  if (!c.AtEnd()) return ParseOutcome::kSyntax;
  if (year == 0) return ParseOutcome::kFieldRange;
  if (bc) year = 1 - year;  // 1 BC is year 0
  if (!ValidCivil(year, month, day)) return ParseOutcome::kFieldRange;
  const bool end_of_day = hour == 24 && minute == 0 && second == 0 && micros == 0;
  // A leap second (:60) rolls over into the next minute, as in PostgreSQL.
  if ((hour > 23 && !end_of_day) || minute > 59 || second > 60 || (second == 60 && micros > 0)) {
    return ParseOutcome::kFieldRange;
  }
  if (year < -4713 || year > 5874898) return ParseOutcome::kFieldRange;
  out->days = DaysFromCivil(static_cast<int32_t>(year), static_cast<uint32_t>(month),
                            static_cast<uint32_t>(day));
  out->time_micros = ((hour * 60 + minute) * 60 + second) * 1'000'000 + micros;
  return ParseOutcome::kOk;
}

Status DateTimeError(ParseOutcome outcome, DataType type, std::string_view text) {
  if (outcome == ParseOutcome::kFieldRange) {
    return Status(ErrorCode::kDatetimeOverflow,
                  "date/time field value out of range: \"" + std::string(text) + "\"");
  }
  return InvalidSyntax(type, text);
}

Result<Value> ParseTemporal(std::string_view text, DataType type) {
  DateTimeParts parts;
  const ParseOutcome outcome = ParseDateTime(text, &parts);
  if (outcome != ParseOutcome::kOk) return DateTimeError(outcome, type, text);
  if (type == DataType::kDate) {
    if (parts.days < kMinDateDays || parts.days >= kEndDateDays) {
      return Status(ErrorCode::kDatetimeOverflow,
                    "date out of range: \"" + std::string(text) + "\"");
    }
    return Value::Date(parts.days);
  }
  int64_t micros = 0;
  bool overflow = __builtin_mul_overflow(int64_t{parts.days}, kMicrosPerDay, &micros);
  overflow |= __builtin_add_overflow(micros, parts.time_micros, &micros);
  if (type == DataType::kTimestampTz) {
    overflow |= __builtin_sub_overflow(micros, parts.zone_seconds * 1'000'000, &micros);
  }
  if (overflow || micros < kMinTimestampMicros) {
    return Status(ErrorCode::kDatetimeOverflow,
                  "timestamp out of range: \"" + std::string(text) + "\"");
  }
  return type == DataType::kTimestamp ? Value::Timestamp(micros) : Value::TimestampTz(micros);
}

Result<Value> ParseUuid(std::string_view text) {
  std::string_view s = text;
  const bool braces = !s.empty() && s.front() == '{';
  if (braces) {
    if (s.size() < 2 || s.back() != '}') return InvalidSyntax(DataType::kUuid, text);
    s = s.substr(1, s.size() - 2);
  }
  Uuid out{};
  size_t pos = 0;
  for (size_t i = 0; i < 16; ++i) {
    if (pos + 2 > s.size()) return InvalidSyntax(DataType::kUuid, text);
    const int hi = HexDigit(s[pos]), lo = HexDigit(s[pos + 1]);
    if (hi < 0 || lo < 0) return InvalidSyntax(DataType::kUuid, text);
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
    pos += 2;
    if (i % 2 == 1 && i < 15 && pos < s.size() && s[pos] == '-') ++pos;
  }
  if (pos != s.size()) return InvalidSyntax(DataType::kUuid, text);
  return Value::FromUuid(out);
}

Result<Value> ParseBytea(std::string_view text) {
  std::string out;
  if (text.size() >= 2 && text[0] == '\\' && (text[1] == 'x' || text[1] == 'X')) {
    for (size_t i = 2; i < text.size();) {
      if (IsSpace(text[i])) {
        ++i;
        continue;
      }
      const int hi = HexDigit(text[i]);
      if (hi < 0) {
        return Status(ErrorCode::kInvalidTextRepresentation,
                      "invalid hexadecimal digit: \"" + std::string(1, text[i]) + "\"");
      }
      if (i + 1 >= text.size()) {
        return Status(ErrorCode::kInvalidTextRepresentation,
                      "invalid hexadecimal data: odd number of digits");
      }
      const int lo = HexDigit(text[i + 1]);
      if (lo < 0) {
        return Status(ErrorCode::kInvalidTextRepresentation,
                      "invalid hexadecimal digit: \"" + std::string(1, text[i + 1]) + "\"");
      }
      out += static_cast<char>(hi << 4 | lo);
      i += 2;
    }
    return Value::Bytea(std::move(out));
  }
  // Escape format: \\ is a backslash, \ooo an octal byte, anything else itself.
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '\\') {
      out += '\\';
      ++i;
    } else if (i + 3 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '3' &&
               text[i + 2] >= '0' && text[i + 2] <= '7' && text[i + 3] >= '0' &&
               text[i + 3] <= '7') {
      out += static_cast<char>((text[i + 1] - '0') << 6 | (text[i + 2] - '0') << 3 |
                               (text[i + 3] - '0'));
      i += 3;
    } else {
      return InvalidSyntax(DataType::kBytea, text);
    }
  }
  return Value::Bytea(std::move(out));
}

// A recursive-descent JSON checker; nesting deeper than kMaxDepth is rejected rather than
// risking the stack.
class JsonChecker {
 public:
  explicit JsonChecker(std::string_view s) : s_(s) {}
  bool Check() {
    SkipSpaces();
    if (!ParseValue(0)) return false;
    SkipSpaces();
    return pos_ == s_.size();
  }

 private:
  static constexpr int kMaxDepth = 1000;

  void SkipSpaces() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  bool String() {
    ++pos_;  // opening quote
    while (pos_ < s_.size()) {
      const unsigned char c = static_cast<unsigned char>(s_[pos_++]);
      if (c == '"') return true;
      if (c < 0x20) return false;
      if (c != '\\') continue;
      if (pos_ >= s_.size()) return false;
      const char e = s_[pos_++];
      if (e == 'u') {
        for (int i = 0; i < 4; ++i) {
          if (pos_ >= s_.size() || HexDigit(s_[pos_++]) < 0) return false;
        }
      } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
        return false;
      }
    }
    return false;
  }
  bool Digits() {
    const size_t start = pos_;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9')
      ++pos_;
    return pos_ > start;
  }
  bool Number() {
    if (s_[pos_] == '-') ++pos_;
    if (pos_ < s_.size() && s_[pos_] == '0') {
      ++pos_;
    } else if (!Digits()) {
      return false;
    }
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      if (!Digits()) return false;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (!Digits()) return false;
    }
    return true;
  }
  bool ParseValue(int depth) {
    if (pos_ >= s_.size() || depth > kMaxDepth) return false;
    const char c = s_[pos_];
    if (c == '"') return String();
    if (c == '{' || c == '[') {
      const char close = c == '{' ? '}' : ']';
      ++pos_;
      SkipSpaces();
      if (pos_ < s_.size() && s_[pos_] == close) {
        ++pos_;
        return true;
      }
      while (true) {
        SkipSpaces();
        if (c == '{') {
          if (pos_ >= s_.size() || s_[pos_] != '"' || !String()) return false;
          SkipSpaces();
          if (pos_ >= s_.size() || s_[pos_++] != ':') return false;
          SkipSpaces();
        }
        if (!ParseValue(depth + 1)) return false;
        SkipSpaces();
        if (pos_ >= s_.size()) return false;
        const char next = s_[pos_++];
        if (next == close) return true;
        if (next != ',') return false;
      }
    }
    if (c == 't') return Literal("true");
    if (c == 'f') return Literal("false");
    if (c == 'n') return Literal("null");
    return Number();
  }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

Status ValidateJson(std::string_view text) {
  if (!JsonChecker(text).Check()) return InvalidSyntax(DataType::kJson, text);
  return Status::Ok();
}

Result<Value> ParseTextAs(std::string_view text, DataType type) {
  // An array's text ('{1,2,NULL}'): each element through its type's input (cast.h).
  if (IsArray(type)) return CastValue(Value::Text(std::string(text)), type);
  switch (type) {
    case DataType::kBoolean:
      return ParseBoolean(text);
    case DataType::kSmallInt:
    case DataType::kInt:
    case DataType::kBigInt:
      return ParseInteger(text, type);
    case DataType::kReal:
    case DataType::kDouble:
      return ParseFloat(text, type);
    case DataType::kText:
      return Value::Text(std::string(text));
    case DataType::kBytea:
      return ParseBytea(text);
    case DataType::kDate:
    case DataType::kTimestamp:
    case DataType::kTimestampTz:
      return ParseTemporal(text, type);
    case DataType::kJson:
      TDB_RETURN_IF_ERROR(ValidateJson(text));
      return Value::Json(std::string(text));
    case DataType::kUuid:
      return ParseUuid(text);
    case DataType::kInterval: {
      TDB_ASSIGN_OR_RETURN(Interval v, ParseInterval(text));
      return Value::FromInterval(v);
    }
    case DataType::kNumeric: {
      TDB_ASSIGN_OR_RETURN(Numeric v, ParseNumeric(text));
      return Value::FromNumeric(v);
    }
  }
  return InvalidSyntax(type, text);
}

}  // namespace tenantdb::sql
