#include "types/array_value.h"

#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "tenantdb/array.h"
#include "types/array_text.h"
#include "types/interval.h"
#include "types/numeric.h"

namespace tenantdb {

namespace {

template <typename T>
void AppendRaw(T v, std::string* out) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));
  out->append(bytes, sizeof(T));
}

template <typename T>
T ReadRaw(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

// Bytes of one non-NULL element's payload for fixed-width element types; 0 for the
// length-prefixed ones.
size_t PayloadBytes(DataType element) {
  switch (element) {
    case DataType::kBoolean:
      return 1;
    case DataType::kSmallInt:
      return 2;
    case DataType::kInt:
    case DataType::kDate:
    case DataType::kReal:
      return 4;
    case DataType::kBigInt:
    case DataType::kTimestamp:
    case DataType::kTimestampTz:
    case DataType::kDouble:
      return 8;
    case DataType::kUuid:
      return 16;
    case DataType::kInterval:
      return kIntervalBytes;
    case DataType::kNumeric:
      return kNumericBytes;
    default:
      return 0;
  }
}

void AppendElement(const Value& v, std::string* out) {
  switch (v.type()) {
    case DataType::kBoolean:
      out->push_back(v.as_bool() ? 1 : 0);
      return;
    case DataType::kSmallInt:
      return AppendRaw(static_cast<int16_t>(v.as_int64()), out);
    case DataType::kInt:
    case DataType::kDate:
      return AppendRaw(static_cast<int32_t>(v.as_int64()), out);
    case DataType::kBigInt:
    case DataType::kTimestamp:
    case DataType::kTimestampTz:
      return AppendRaw(v.as_int64(), out);
    case DataType::kReal:
      return AppendRaw(static_cast<float>(v.as_double()), out);
    case DataType::kDouble:
      return AppendRaw(v.as_double(), out);
    case DataType::kUuid:
      out->append(v.as_bytes());
      return;
    case DataType::kInterval:
      return AppendIntervalBytes(v.as_interval(), out);
    case DataType::kNumeric:
      return AppendNumericBytes(v.as_numeric(), out);
    default:  // TEXT, BYTEA, JSON
      AppendRaw(static_cast<uint32_t>(v.as_bytes().size()), out);
      out->append(v.as_bytes());
      return;
  }
}

Value ReadElement(DataType element, const char* p, size_t n) {
  switch (element) {
    case DataType::kBoolean:
      return Value::Boolean(p[0] != 0);
    case DataType::kSmallInt:
      return Value::SmallInt(ReadRaw<int16_t>(p));
    case DataType::kInt:
      return Value::Int(ReadRaw<int32_t>(p));
    case DataType::kDate:
      return Value::Date(ReadRaw<int32_t>(p));
    case DataType::kBigInt:
      return Value::BigInt(ReadRaw<int64_t>(p));
    case DataType::kTimestamp:
      return Value::Timestamp(ReadRaw<int64_t>(p));
    case DataType::kTimestampTz:
      return Value::TimestampTz(ReadRaw<int64_t>(p));
    case DataType::kReal:
      return Value::Real(ReadRaw<float>(p));
    case DataType::kDouble:
      return Value::Double(ReadRaw<double>(p));
    case DataType::kUuid: {
      Uuid u;
      std::memcpy(u.data(), p, 16);
      return Value::FromUuid(u);
    }
    case DataType::kInterval:
      return Value::FromInterval(IntervalFromBytes(p));
    case DataType::kNumeric:
      return Value::FromNumeric(NumericFromBytes(p));
    case DataType::kBytea:
      return Value::Bytea(std::string(p, n));
    case DataType::kJson:
      return Value::Json(std::string(p, n));
    default:
      return Value::Text(std::string(p, n));
  }
}

Status Corrupt() {
  return Status(ErrorCode::kCorruption, "array value does not decode");
}

template <typename T>
int Cmp(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

}  // namespace

std::string EncodeArray(DataType element, std::span<const Value> elements) {
  assert(!IsArray(element));
  std::string out;
  AppendRaw(static_cast<uint32_t>(elements.size()), &out);
  for (const Value& v : elements) {
    assert(v.type() == element);
    (void)element;
    if (v.is_null()) {
      out.push_back(0);
      continue;
    }
    out.push_back(1);
    AppendElement(v, &out);
  }
  return out;
}

void AppendArrayElement(const Value& element, std::string* body) {
  if (element.is_null()) {
    body->push_back(0);
    return;
  }
  body->push_back(1);
  AppendElement(element, body);
}

std::string EncodeArrayBody(uint32_t count, std::string_view body) {
  std::string out;
  out.reserve(4 + body.size());
  AppendRaw(count, &out);
  out.append(body);
  return out;
}

Result<std::vector<Value>> DecodeArray(DataType element, std::string_view encoded) {
  if (encoded.size() < 4) return Corrupt();
  const uint32_t count = ReadRaw<uint32_t>(encoded.data());
  // Each element takes at least its tag byte.
  if (count > encoded.size() - 4) return Corrupt();
  std::vector<Value> out;
  out.reserve(count);
  const size_t fixed = PayloadBytes(element);
  size_t pos = 4;
  for (uint32_t i = 0; i < count; ++i) {
    if (pos >= encoded.size()) return Corrupt();
    const char tag = encoded[pos++];
    if (tag == 0) {
      out.push_back(Value::Null(element));
      continue;
    }
    if (tag != 1) return Corrupt();
    size_t n = fixed;
    if (fixed == 0) {
      if (encoded.size() - pos < 4) return Corrupt();
      n = ReadRaw<uint32_t>(encoded.data() + pos);
      pos += 4;
    }
    if (encoded.size() - pos < n) return Corrupt();
    out.push_back(ReadElement(element, encoded.data() + pos, n));
    pos += n;
  }
  if (pos != encoded.size()) return Corrupt();
  return out;
}

uint32_t ArrayCardinality(std::string_view encoded) {
  return encoded.size() < 4 ? 0 : ReadRaw<uint32_t>(encoded.data());
}

int CompareScalars(const Value& a, const Value& b) {
  switch (a.type()) {
    case DataType::kReal:
    case DataType::kDouble: {
      const double x = a.as_double(), y = b.as_double();
      const bool xn = std::isnan(x), yn = std::isnan(y);
      if (xn || yn) return xn == yn ? 0 : (xn ? 1 : -1);
      return Cmp(x, y);
    }
    case DataType::kText:
    case DataType::kBytea:
    case DataType::kJson:
    case DataType::kUuid: {
      const int c = a.as_bytes().compare(b.as_bytes());
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case DataType::kInterval:
      return CompareIntervals(a.as_interval(), b.as_interval());
    case DataType::kNumeric:
      return CompareNumerics(a.as_numeric(), b.as_numeric());
    default:
      if (IsArray(a.type()))
        return CompareArrays(ElementType(a.type()), a.as_bytes(), b.as_bytes());
      return Cmp(a.as_int64(), b.as_int64());
  }
}

int CompareArrays(DataType element, std::string_view a, std::string_view b) {
  if (a == b) return 0;
  auto x = DecodeArray(element, a);
  auto y = DecodeArray(element, b);
  if (!x.ok() || !y.ok()) return a.compare(b) < 0 ? -1 : 1;  // unreachable for valid data
  const size_t n = std::min(x->size(), y->size());
  for (size_t i = 0; i < n; ++i) {
    const Value &u = (*x)[i], &v = (*y)[i];
    if (u.is_null() || v.is_null()) {
      if (u.is_null() != v.is_null()) return u.is_null() ? 1 : -1;
      continue;
    }
    const int c = CompareScalars(u, v);
    if (c != 0) return c;
  }
  return Cmp(x->size(), y->size());
}

std::string ArrayKeyBytes(DataType element, std::string_view encoded) {
  if (element != DataType::kNumeric && element != DataType::kReal && element != DataType::kDouble) {
    return std::string(encoded);
  }
  auto elements = DecodeArray(element, encoded);
  if (!elements.ok()) return std::string(encoded);
  for (Value& v : *elements) {
    if (v.is_null()) continue;
    if (element == DataType::kNumeric) {
      v = Value::FromNumeric(NormalizeNumeric(v.as_numeric()));
    } else {
      double d = v.as_double();
      if (d == 0) d = 0;
      if (std::isnan(d)) d = std::nan("");
      v = element == DataType::kReal ? Value::Real(static_cast<float>(d)) : Value::Double(d);
    }
  }
  return EncodeArray(element, *elements);
}

namespace {

bool ParseInt(std::string_view s, int64_t* v) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

// "YYYY-MM-DD[ BC]" as FormatDate writes it.
bool ParseFormattedDate(std::string_view s, int32_t* days) {
  const bool bc = s.ends_with(" BC");
  if (bc) s.remove_suffix(3);
  const size_t dash2 = s.rfind('-');
  const size_t dash1 = dash2 == std::string_view::npos ? dash2 : s.rfind('-', dash2 - 1);
  int64_t y = 0, m = 0, d = 0;
  if (dash1 == std::string_view::npos || dash1 == 0 || !ParseInt(s.substr(0, dash1), &y) ||
      !ParseInt(s.substr(dash1 + 1, dash2 - dash1 - 1), &m) || !ParseInt(s.substr(dash2 + 1), &d)) {
    return false;
  }
  if (bc) y = 1 - y;
  *days =
      DaysFromCivil(static_cast<int32_t>(y), static_cast<uint32_t>(m), static_cast<uint32_t>(d));
  return true;
}

// "YYYY-MM-DD HH:MM:SS[.ffffff][+00][ BC]" as Value::ToString writes TIMESTAMP[TZ].
bool ParseFormattedTimestamp(std::string_view s, bool tz, int64_t* micros) {
  const bool bc = s.ends_with(" BC");
  if (bc) s.remove_suffix(3);
  if (tz) {
    if (!s.ends_with("+00")) return false;
    s.remove_suffix(3);
  }
  const size_t space = s.find(' ');
  if (space == std::string_view::npos || s.size() < space + 9) return false;
  std::string date(s.substr(0, space));
  if (bc) date += " BC";
  int32_t days = 0;
  int64_t h = 0, mi = 0, sec = 0, frac = 0;
  std::string_view time = s.substr(space + 1);
  if (!ParseFormattedDate(date, &days) || !ParseInt(time.substr(0, 2), &h) ||
      !ParseInt(time.substr(3, 2), &mi) || !ParseInt(time.substr(6, 2), &sec)) {
    return false;
  }
  if (time.size() > 8) {
    if (time[8] != '.' || time.size() > 15) return false;
    std::string digits(time.substr(9));
    digits.resize(6, '0');
    if (!ParseInt(digits, &frac)) return false;
  }
  *micros = ((int64_t{days} * 24 + h) * 60 + mi) * 60'000'000 + sec * 1'000'000 + frac;
  return true;
}

std::optional<Value> ParseFormattedElement(DataType element, const std::string& s) {
  int64_t i = 0;
  switch (element) {
    case DataType::kBoolean:
      if (s != "t" && s != "f") return std::nullopt;
      return Value::Boolean(s == "t");
    case DataType::kSmallInt:
      if (!ParseInt(s, &i)) return std::nullopt;
      return Value::SmallInt(static_cast<int16_t>(i));
    case DataType::kInt:
      if (!ParseInt(s, &i)) return std::nullopt;
      return Value::Int(static_cast<int32_t>(i));
    case DataType::kBigInt:
      if (!ParseInt(s, &i)) return std::nullopt;
      return Value::BigInt(i);
    case DataType::kReal:
    case DataType::kDouble: {
      double d = 0;
      if (s == "NaN") {
        d = std::nan("");
      } else if (s == "Infinity" || s == "-Infinity") {
        d = s[0] == '-' ? -HUGE_VAL : HUGE_VAL;
      } else {
        char* end = nullptr;
        d = std::strtod(s.c_str(), &end);
        if (s.empty() || end != s.c_str() + s.size()) return std::nullopt;
      }
      return element == DataType::kReal ? Value::Real(static_cast<float>(d)) : Value::Double(d);
    }
    case DataType::kText:
      return Value::Text(s);
    case DataType::kJson:
      return Value::Json(s);
    case DataType::kBytea: {
      if (!s.starts_with("\\x") || s.size() % 2 != 0) return std::nullopt;
      std::string out;
      for (size_t k = 2; k < s.size(); k += 2) {
        unsigned byte = 0;
        if (std::sscanf(s.c_str() + k, "%2x", &byte) != 1) return std::nullopt;
        out.push_back(static_cast<char>(byte));
      }
      return Value::Bytea(std::move(out));
    }
    case DataType::kUuid: {
      std::string hex;
      for (char c : s)
        if (c != '-') hex += c;
      if (hex.size() != 32) return std::nullopt;
      Uuid u{};
      for (size_t k = 0; k < 16; ++k) {
        unsigned byte = 0;
        if (std::sscanf(hex.c_str() + 2 * k, "%2x", &byte) != 1) return std::nullopt;
        u[k] = static_cast<uint8_t>(byte);
      }
      return Value::FromUuid(u);
    }
    case DataType::kDate: {
      int32_t days = 0;
      if (!ParseFormattedDate(s, &days)) return std::nullopt;
      return Value::Date(days);
    }
    case DataType::kTimestamp:
    case DataType::kTimestampTz: {
      int64_t micros = 0;
      if (!ParseFormattedTimestamp(s, element == DataType::kTimestampTz, &micros))
        return std::nullopt;
      return element == DataType::kTimestamp ? Value::Timestamp(micros)
                                             : Value::TimestampTz(micros);
    }
    case DataType::kInterval: {
      Interval v;
      if (!ParseIntervalText(s, &v)) return std::nullopt;
      return Value::FromInterval(v);
    }
    case DataType::kNumeric: {
      Result<Numeric> n = ParseNumeric(s);
      if (!n.ok()) return std::nullopt;
      return Value::FromNumeric(*n);
    }
    default:
      return std::nullopt;
  }
}

}  // namespace

Result<std::string> ParseFormattedArray(DataType element, std::string_view text) {
  Result<TextArray> texts = ParseTextArray(text);
  if (!texts.ok()) return Status(ErrorCode::kCorruption, "array text that does not parse");
  std::vector<Value> elements;
  elements.reserve(texts->size());
  for (const std::optional<std::string>& t : *texts) {
    if (!t.has_value()) {
      elements.push_back(Value::Null(element));
      continue;
    }
    std::optional<Value> v = ParseFormattedElement(element, *t);
    if (!v.has_value()) {
      return Status(ErrorCode::kCorruption,
                    "array element \"" + *t + "\" is not " + std::string(DataTypeName(element)));
    }
    elements.push_back(std::move(*v));
  }
  return EncodeArray(element, elements);
}

std::string FormatArray(DataType element, std::string_view encoded) {
  auto elements = DecodeArray(element, encoded);
  if (!elements.ok()) return "?";
  TextArray texts;
  texts.reserve(elements->size());
  for (const Value& v : *elements) {
    if (v.is_null()) {
      texts.push_back(std::nullopt);
    } else {
      texts.push_back(v.ToString());
    }
  }
  return FormatTextArray(texts);
}

}  // namespace tenantdb

namespace tenantdb {

Result<std::vector<Value>> ArrayElements(const Value& array) {
  if (!IsArray(array.type()) || array.is_null()) {
    return Status(ErrorCode::kInvalidArgument, "ArrayElements needs a non-NULL array value");
  }
  return DecodeArray(ElementType(array.type()), array.as_bytes());
}

Value MakeArrayValue(DataType element, std::span<const Value> elements) {
  return Value::Array(element, EncodeArray(element, elements));
}

Result<std::vector<std::optional<std::string>>> SplitArrayText(std::string_view text) {
  return ParseTextArray(text);
}

}  // namespace tenantdb
