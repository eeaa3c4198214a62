#include "server/pgwire/value_codec.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "server/pgwire/pg_types.h"
#include "tenantdb/array.h"
#include "tenantdb/pg_binary.h"

namespace tenantdb::server::pgwire {

namespace {

// PostgreSQL's binary dates and timestamps count from 2000-01-01.
constexpr int64_t kPgEpochDays = 10957;
constexpr int64_t kPgEpochMicros = kPgEpochDays * 86'400'000'000LL;

void PutBigEndian(uint64_t v, size_t bytes, std::string* out) {
  for (size_t i = bytes; i > 0; --i)
    out->push_back(static_cast<char>(v >> (8 * (i - 1))));
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

Status BadText(DataType type, std::string_view text) {
  std::string shown(text.substr(0, 100));
  return Status(
      ErrorCode::kInvalidTextRepresentation,
      "invalid input syntax for type " + std::string(DataTypeName(type)) + ": \"" + shown + "\"");
}

Result<Value> IntegerValue(int64_t v, DataType type) {
  int64_t lo = std::numeric_limits<int64_t>::min();
  int64_t hi = std::numeric_limits<int64_t>::max();
  if (type == DataType::kSmallInt) {
    lo = std::numeric_limits<int16_t>::min();
    hi = std::numeric_limits<int16_t>::max();
  } else if (type == DataType::kInt) {
    lo = std::numeric_limits<int32_t>::min();
    hi = std::numeric_limits<int32_t>::max();
  }
  if (v < lo || v > hi) {
    return Status(ErrorCode::kNumericOutOfRange, "value " + std::to_string(v) +
                                                     " is out of range for type " +
                                                     std::string(DataTypeName(type)));
  }
  switch (type) {
    case DataType::kSmallInt:
      return Value::SmallInt(static_cast<int16_t>(v));
    case DataType::kInt:
      return Value::Int(static_cast<int32_t>(v));
    default:
      return Value::BigInt(v);
  }
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<Value> ParseBytea(std::string_view text) {
  std::string out;
  if (text.starts_with("\\x")) {
    text.remove_prefix(2);
    size_t i = 0;
    while (i < text.size()) {
      if (std::isspace(static_cast<unsigned char>(text[i]))) {
        ++i;
        continue;
      }
      const int hi = HexDigit(text[i]);
      const int lo = i + 1 < text.size() ? HexDigit(text[i + 1]) : -1;
      if (hi < 0 || lo < 0) return BadText(DataType::kBytea, text);
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    }
    return Value::Bytea(std::move(out));
  }
  // The escape format: \\ and \ooo (octal); everything else as it is.
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out.push_back(text[i]);
    } else if (i + 1 < text.size() && text[i + 1] == '\\') {
      out.push_back('\\');
      ++i;
    } else if (i + 3 < text.size() + 0 && text[i + 1] >= '0' && text[i + 1] <= '3' &&
               text[i + 2] >= '0' && text[i + 2] <= '7' && text[i + 3] >= '0' &&
               text[i + 3] <= '7') {
      out.push_back(static_cast<char>((text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 +
                                      (text[i + 3] - '0')));
      i += 3;
    } else {
      return BadText(DataType::kBytea, text);
    }
  }
  return Value::Bytea(std::move(out));
}

Result<Value> ParseUuid(std::string_view text) {
  if (text.size() >= 2 && text.front() == '{' && text.back() == '}') {
    text = text.substr(1, text.size() - 2);
  }
  Uuid uuid{};
  size_t n = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '-' && n > 0 && n % 2 == 0 && i + 1 < text.size()) continue;
    const int hi = HexDigit(text[i]);
    const int lo = i + 1 < text.size() ? HexDigit(text[i + 1]) : -1;
    if (hi < 0 || lo < 0 || n >= 16) return BadText(DataType::kUuid, text);
    uuid[n++] = static_cast<uint8_t>(hi * 16 + lo);
    ++i;
  }
  if (n != 16) return BadText(DataType::kUuid, text);
  return Value::FromUuid(uuid);
}

// Reads exactly `digits` decimal digits at `*pos` (or 1..`digits` when !exact).
bool Digits(std::string_view s, size_t* pos, size_t min, size_t max, int64_t* out) {
  size_t n = 0;
  int64_t v = 0;
  while (*pos + n < s.size() && n < max && std::isdigit(static_cast<unsigned char>(s[*pos + n]))) {
    v = v * 10 + (s[*pos + n] - '0');
    ++n;
  }
  if (n < min) return false;
  *pos += n;
  *out = v;
  return true;
}

bool Expect(std::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

// YYYY-MM-DD at *pos; days since 1970-01-01.
bool ParseDatePart(std::string_view s, size_t* pos, int64_t* days) {
  int64_t year = 0, month = 0, day = 0;
  if (!Digits(s, pos, 4, 6, &year) || !Expect(s, pos, '-') || !Digits(s, pos, 1, 2, &month) ||
      !Expect(s, pos, '-') || !Digits(s, pos, 1, 2, &day)) {
    return false;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  const int32_t d = DaysFromCivil(static_cast<int32_t>(year), static_cast<uint32_t>(month),
                                  static_cast<uint32_t>(day));
  int32_t y2 = 0;
  uint32_t m2 = 0, d2 = 0;
  CivilFromDays(d, &y2, &m2, &d2);
  if (m2 != month || d2 != day) return false;  // e.g. February 30
  *days = d;
  return true;
}

// "YYYY-MM-DD[ |T]HH:MM[:SS[.ffffff]][Z|+HH[:MM]|-HH[:MM]]": microseconds since 1970,
// UTC when `with_zone` (an offset is subtracted), else the wall clock (an offset is
// ignored, as PostgreSQL ignores a zone in timestamp input).
Result<Value> ParseTimestamp(std::string_view text, DataType type) {
  const bool with_zone = type == DataType::kTimestampTz;
  size_t pos = 0;
  int64_t days = 0, hour = 0, minute = 0, second = 0, micros = 0;
  if (!ParseDatePart(text, &pos, &days)) return BadText(type, text);
  if (pos < text.size() && (text[pos] == ' ' || text[pos] == 'T')) {
    ++pos;
    if (!Digits(text, &pos, 1, 2, &hour) || !Expect(text, &pos, ':') ||
        !Digits(text, &pos, 2, 2, &minute)) {
      return BadText(type, text);
    }
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!Digits(text, &pos, 2, 2, &second)) return BadText(type, text);
      if (pos < text.size() && text[pos] == '.') {
        ++pos;
        size_t start = pos;
        int64_t frac = 0;
        if (!Digits(text, &pos, 1, 9, &frac)) return BadText(type, text);
        size_t n = pos - start;
        // Round to microseconds.
        while (n > 6) {
          frac = (frac + (n == 7 ? 5 : 0)) / 10;
          --n;
        }
        while (n < 6) {
          frac *= 10;
          ++n;
        }
        micros = frac;
      }
    }
    if (hour > 24 || minute > 59 || second > 60) return BadText(type, text);
  }
  int64_t offset_seconds = 0;
  while (pos < text.size() && text[pos] == ' ')
    ++pos;
  if (pos < text.size()) {
    if (text[pos] == 'Z' || text[pos] == 'z') {
      ++pos;
    } else if (EqualsIgnoreCase(text.substr(pos), "UTC")) {
      pos = text.size();
    } else if (text[pos] == '+' || text[pos] == '-') {
      const int64_t sign = text[pos] == '-' ? -1 : 1;
      ++pos;
      int64_t oh = 0, om = 0, os = 0;
      if (!Digits(text, &pos, 1, 2, &oh)) return BadText(type, text);
      if (pos < text.size() && text[pos] == ':') {
        ++pos;
        if (!Digits(text, &pos, 2, 2, &om)) return BadText(type, text);
        if (pos < text.size() && text[pos] == ':') {
          ++pos;
          if (!Digits(text, &pos, 2, 2, &os)) return BadText(type, text);
        }
      } else if (pos + 1 < text.size() + 0 && pos < text.size()) {
        if (!Digits(text, &pos, 2, 2, &om)) return BadText(type, text);
      }
      offset_seconds = sign * (oh * 3600 + om * 60 + os);
    }
  }
  if (pos != text.size()) return BadText(type, text);
  int64_t total = ((days * 24 + hour) * 60 + minute) * 60 + second;
  if (with_zone) total -= offset_seconds;
  const int64_t value = total * 1'000'000 + micros;
  return with_zone ? Value::TimestampTz(value) : Value::Timestamp(value);
}

Result<Value> ParseFloat(std::string_view text, DataType type) {
  std::string copy(text);
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size()) return BadText(type, text);
  if (errno == ERANGE && std::isinf(v)) {
    return Status(ErrorCode::kNumericOutOfRange, "\"" + copy.substr(0, 100) +
                                                     "\" is out of range for type " +
                                                     std::string(DataTypeName(type)));
  }
  if (type == DataType::kReal) return Value::Real(static_cast<float>(v));
  return Value::Double(v);
}

// Converts a value decoded as the client's declared type to the statement's type when
// both are integers or both floating point; otherwise leaves it (the engine casts or
// reports the mismatch).
Result<Value> Convert(Value v, DataType type) {
  if (v.type() == type || v.is_null()) return v;
  if (IsInteger(v.type()) && IsInteger(type)) return IntegerValue(v.as_int64(), type);
  if (IsFloatingPoint(v.type()) && IsFloatingPoint(type)) {
    return type == DataType::kReal ? Value::Real(static_cast<float>(v.as_double()))
                                   : Value::Double(v.as_double());
  }
  return v;
}

Result<Value> DecodeBinary(std::string_view bytes, uint32_t wire_oid, DataType type) {
  // A fixed-width value of another length is a malformed message, not bad data.
  const size_t width = type == DataType::kNumeric ? 0 : FixedWidth(type);  // NUMERIC varies
  if (width != 0 && bytes.size() != width) {
    return Status(ErrorCode::kInvalidRequest, "insufficient data left in message: binary " +
                                                  std::string(DataTypeName(type)) +
                                                  " parameter has " + std::to_string(bytes.size()) +
                                                  " bytes, expected " + std::to_string(width));
  }
  if (type == DataType::kJson && wire_oid == kJsonbOid && (bytes.empty() || bytes[0] != 1)) {
    return Status(ErrorCode::kInvalidRequest, "unsupported jsonb version number");
  }
  return ValueFromPgBinary(bytes, type);
}

}  // namespace

Status AppendValue(const RowBatch& batch, size_t row, size_t column, DataType type, bool binary,
                   std::string* out) {
  if (IsArray(type)) {
    TDB_ASSIGN_OR_RETURN(Value v, batch.GetValue(row, column));
    out->append(binary ? ArrayToPgBinary(v) : v.ToString());
    return Status::Ok();
  }
  switch (type) {
    case DataType::kSmallInt:
    case DataType::kInt:
    case DataType::kBigInt: {
      TDB_ASSIGN_OR_RETURN(int64_t v, batch.GetInt64(row, column));
      if (binary) {
        PutBigEndian(static_cast<uint64_t>(v), static_cast<size_t>(TypeLength(type)), out);
      } else {
        char buf[24];
        const auto r = std::to_chars(buf, buf + sizeof(buf), v);
        out->append(buf, r.ptr);
      }
      return Status::Ok();
    }
    case DataType::kBoolean: {
      TDB_ASSIGN_OR_RETURN(bool v, batch.GetBool(row, column));
      out->push_back(binary ? static_cast<char>(v ? 1 : 0) : (v ? 't' : 'f'));
      return Status::Ok();
    }
    case DataType::kText:
    case DataType::kJson:
    case DataType::kBytea:
      if (binary || type != DataType::kBytea) {
        TDB_ASSIGN_OR_RETURN(std::string_view v, batch.GetBytes(row, column));
        out->append(v);
        return Status::Ok();
      }
      break;
    case DataType::kReal:
    case DataType::kDouble:
      if (binary) {
        TDB_ASSIGN_OR_RETURN(double v, batch.GetDouble(row, column));
        if (type == DataType::kReal) {
          const float f = static_cast<float>(v);
          uint32_t bits = 0;
          std::memcpy(&bits, &f, 4);
          PutBigEndian(bits, 4, out);
        } else {
          uint64_t bits = 0;
          std::memcpy(&bits, &v, 8);
          PutBigEndian(bits, 8, out);
        }
        return Status::Ok();
      }
      break;
    case DataType::kDate:
    case DataType::kTimestamp:
    case DataType::kTimestampTz:
      if (binary) {
        TDB_ASSIGN_OR_RETURN(int64_t v, batch.GetInt64(row, column));
        if (type == DataType::kDate) {
          PutBigEndian(static_cast<uint32_t>(static_cast<int32_t>(v - kPgEpochDays)), 4, out);
        } else {
          PutBigEndian(static_cast<uint64_t>(v - kPgEpochMicros), 8, out);
        }
        return Status::Ok();
      }
      break;
    case DataType::kUuid:
      if (binary) {
        TDB_ASSIGN_OR_RETURN(std::string_view v, batch.GetBytes(row, column));
        out->append(v);
        return Status::Ok();
      }
      break;
    case DataType::kInterval: {
      TDB_ASSIGN_OR_RETURN(Interval v, batch.GetInterval(row, column));
      if (binary) {
        PutBigEndian(static_cast<uint64_t>(v.micros), 8, out);
        PutBigEndian(static_cast<uint32_t>(v.days), 4, out);
        PutBigEndian(static_cast<uint32_t>(v.months), 4, out);
      } else {
        out->append(FormatInterval(v));
      }
      return Status::Ok();
    }
    case DataType::kNumeric: {
      TDB_ASSIGN_OR_RETURN(Value v, batch.GetValue(row, column));
      out->append(binary ? NumericToPgBinary(v.as_numeric()) : FormatNumeric(v.as_numeric()));
      return Status::Ok();
    }
  }
  // Text output of the rest: PostgreSQL's, as Value prints it.
  TDB_ASSIGN_OR_RETURN(Value v, batch.GetValue(row, column));
  out->append(v.ToString());
  return Status::Ok();
}

Result<Value> ParseTextValue(std::string_view text, DataType type) {
  if (IsArray(type)) {
    TDB_ASSIGN_OR_RETURN(auto texts, SplitArrayText(text));
    std::vector<Value> elements;
    elements.reserve(texts.size());
    for (const std::optional<std::string>& t : texts) {
      if (!t.has_value()) {
        elements.push_back(Value::Null(ElementType(type)));
        continue;
      }
      TDB_ASSIGN_OR_RETURN(Value v, ParseTextValue(*t, ElementType(type)));
      elements.push_back(std::move(v));
    }
    return MakeArrayValue(ElementType(type), elements);
  }
  switch (type) {
    case DataType::kText:
      return Value::Text(std::string(text));
    case DataType::kJson:
      return Value::Json(std::string(text));
    case DataType::kBytea:
      return ParseBytea(text);
    default:
      break;
  }
  const std::string_view t = Trim(text);
  switch (type) {
    case DataType::kBoolean:
      for (std::string_view yes : {"t", "true", "yes", "y", "on", "1"}) {
        if (EqualsIgnoreCase(t, yes)) return Value::Boolean(true);
      }
      for (std::string_view no : {"f", "false", "no", "n", "off", "0"}) {
        if (EqualsIgnoreCase(t, no)) return Value::Boolean(false);
      }
      return BadText(type, text);
    case DataType::kSmallInt:
    case DataType::kInt:
    case DataType::kBigInt: {
      int64_t v = 0;
      std::string_view digits = t.starts_with('+') ? t.substr(1) : t;
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
      if (ec == std::errc::result_out_of_range) {
        return Status(ErrorCode::kNumericOutOfRange, "value \"" + std::string(t.substr(0, 100)) +
                                                         "\" is out of range for type " +
                                                         std::string(DataTypeName(type)));
      }
      if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
        return BadText(type, text);
      }
      return IntegerValue(v, type);
    }
    case DataType::kReal:
    case DataType::kDouble:
      return ParseFloat(t, type);
    case DataType::kDate: {
      size_t pos = 0;
      int64_t days = 0;
      if (!ParseDatePart(t, &pos, &days) || pos != t.size()) return BadText(type, text);
      return Value::Date(static_cast<int32_t>(days));
    }
    case DataType::kTimestamp:
    case DataType::kTimestampTz:
      return ParseTimestamp(t, type);
    case DataType::kUuid:
      return ParseUuid(t);
    case DataType::kInterval: {
      Interval v;
      if (!ParseIntervalText(t, &v)) return BadText(type, text);
      return Value::FromInterval(v);
    }
    case DataType::kNumeric: {
      TDB_ASSIGN_OR_RETURN(Numeric v, NumericFromText(t));
      return Value::FromNumeric(v);
    }
    default:
      break;
  }
  return BadText(type, text);
}

Result<Value> DecodeParameter(std::string_view bytes, bool binary, uint32_t wire_oid,
                              DataType type) {
  const std::optional<DataType> declared = DataTypeForOid(wire_oid);
  const DataType wire_type = declared.value_or(type);
  if (!binary) {
    TDB_ASSIGN_OR_RETURN(Value v, ParseTextValue(bytes, wire_type));
    return Convert(std::move(v), type);
  }
  if (wire_oid != kUnknownOid && !declared.has_value()) {
    return Status(ErrorCode::kFeatureNotSupported,
                  "binary parameters of type oid " + std::to_string(wire_oid) +
                      " are not supported; send them in text format");
  }
  TDB_ASSIGN_OR_RETURN(Value v, DecodeBinary(bytes, wire_oid, wire_type));
  return Convert(std::move(v), type);
}

}  // namespace tenantdb::server::pgwire
