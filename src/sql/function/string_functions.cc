// String functions of the scalar registry, with PostgreSQL's semantics. Lengths and
// positions count characters (UTF-8 code points); lower/upper/initcap fold ASCII, Latin-1,
// Latin Extended-A, Greek and Cyrillic letters.
#include <algorithm>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "common/md5.h"
#include "sql/function/cast.h"
#include "sql/function/function_registry.h"
#include "sql/function/utf8.h"

namespace tenantdb::sql {
namespace {

constexpr DataType kText = DataType::kText;
constexpr DataType kInt = DataType::kInt;
constexpr DataType kBigInt = DataType::kBigInt;
constexpr DataType kBytea = DataType::kBytea;
constexpr DataType kBool = DataType::kBoolean;

// Longest string a function may build (PostgreSQL's 1 GB limit on a value).
constexpr size_t kMaxResultBytes = size_t{1} << 30;

Status TooLong() {
  return Status(ErrorCode::kInvalidArgument, "requested length too large");
}

bool IsAlnumCodePoint(uint32_t c) {
  if (c < 0x80) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
  return utf8::LowerCodePoint(c) != c || utf8::UpperCodePoint(c) != c || c >= 0xC0;
}

std::vector<std::string_view> Characters(std::string_view s) {
  std::vector<std::string_view> chars;
  for (size_t pos = 0; pos < s.size();) {
    const size_t next = utf8::Next(s, pos);
    chars.push_back(s.substr(pos, next - pos));
    pos = next;
  }
  return chars;
}

Result<Value> Length(std::span<const Value> a, const FunctionContext&) {
  if (a[0].type() == kBytea) return Value::Int(static_cast<int32_t>(a[0].as_bytes().size()));
  return Value::Int(static_cast<int32_t>(utf8::Length(a[0].as_bytes())));
}

Result<Value> OctetLength(std::span<const Value> a, const FunctionContext&) {
  return Value::Int(static_cast<int32_t>(a[0].as_bytes().size()));
}

Result<Value> Lower(std::span<const Value> a, const FunctionContext&) {
  return Value::Text(utf8::MapCodePoints(a[0].as_bytes(), utf8::LowerCodePoint));
}

Result<Value> Upper(std::span<const Value> a, const FunctionContext&) {
  return Value::Text(utf8::MapCodePoints(a[0].as_bytes(), utf8::UpperCodePoint));
}

// After a letter or digit, lower-case; otherwise upper-case (PostgreSQL's initcap).
Result<Value> Initcap(std::span<const Value> a, const FunctionContext&) {
  bool in_word = false;
  return Value::Text(utf8::MapCodePoints(a[0].as_bytes(), [&in_word](uint32_t c) {
    const uint32_t m = in_word ? utf8::LowerCodePoint(c) : utf8::UpperCodePoint(c);
    in_word = IsAlnumCodePoint(c);
    return m;
  }));
}

enum class TrimSide { kBoth, kLeft, kRight };

template <TrimSide side>
Result<Value> Trim(std::span<const Value> a, const FunctionContext&) {
  std::string_view s = a[0].as_bytes();
  const std::vector<std::string_view> set =
      Characters(a.size() > 1 ? a[1].as_bytes() : std::string_view(" "));
  auto in_set = [&set](std::string_view c) {
    return std::find(set.begin(), set.end(), c) != set.end();
  };
  std::vector<std::string_view> chars = Characters(s);
  size_t begin = 0, end = chars.size();
  if (side != TrimSide::kRight) {
    while (begin < end && in_set(chars[begin]))
      ++begin;
  }
  if (side != TrimSide::kLeft) {
    while (end > begin && in_set(chars[end - 1]))
      --end;
  }
  if (begin == end) return Value::Text("");
  const size_t from = static_cast<size_t>(chars[begin].data() - s.data());
  const size_t to = static_cast<size_t>(chars[end - 1].data() + chars[end - 1].size() - s.data());
  return Value::Text(std::string(s.substr(from, to - from)));
}

// substr(s, start [, count]): characters [start, start + count) of s, 1-based, clipped to s.
Result<Value> Substr(std::span<const Value> a, const FunctionContext&) {
  const std::string_view s = a[0].as_bytes();
  const bool bytes = a[0].type() == kBytea;
  const int64_t start = a[1].as_int64();
  int64_t end = std::numeric_limits<int64_t>::max();
  if (a.size() > 2) {
    if (a[2].as_int64() < 0) {
      return Status(ErrorCode::kInvalidArgument, "negative substring length not allowed");
    }
    end = start + a[2].as_int64();
  }
  const int64_t first = std::max<int64_t>(start, 1);
  if (end <= first) return bytes ? Value::Bytea("") : Value::Text("");
  const size_t from = static_cast<size_t>(first - 1);
  const size_t count = end == std::numeric_limits<int64_t>::max()
                           ? std::numeric_limits<size_t>::max()
                           : static_cast<size_t>(end - first);
  if (bytes) return Value::Bytea(std::string(s.substr(std::min(from, s.size()), count)));
  const size_t begin = utf8::Offset(s, from);
  const std::string_view rest = s.substr(begin);
  return Value::Text(std::string(rest.substr(0, utf8::Offset(rest, count))));
}

// strpos(s, sub): the 1-based character position of the first sub in s, 0 if none.
Result<Value> Strpos(std::span<const Value> a, const FunctionContext&) {
  const std::string_view s = a[0].as_bytes();
  const size_t at = s.find(a[1].as_bytes());
  if (at == std::string_view::npos) return Value::Int(0);
  return Value::Int(static_cast<int32_t>(utf8::Length(s.substr(0, at)) + 1));
}

Result<Value> Replace(std::span<const Value> a, const FunctionContext&) {
  const std::string_view s = a[0].as_bytes(), from = a[1].as_bytes(), to = a[2].as_bytes();
  if (from.empty()) return Value::Text(std::string(s));
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t at = s.find(from, pos);
    if (at == std::string_view::npos) break;
    out.append(s.substr(pos, at - pos));
    out.append(to);
    if (out.size() > kMaxResultBytes) return TooLong();
    pos = at + from.size();
  }
  out.append(s.substr(pos));
  return Value::Text(std::move(out));
}

// concat and concat_ws render their arguments with the types' output format ('t' for true).
Result<DataType> BindConcat(const ScalarFunction& f, std::span<const std::optional<DataType>> args,
                            std::vector<DataType>* cast_to) {
  const bool ws = f.name == "concat_ws";
  if (args.empty() || (ws && args[0] && *args[0] != kText)) {
    return UndefinedFunctionError(f.name, args);
  }
  cast_to->clear();
  for (const auto& t : args)
    cast_to->push_back(t.value_or(kText));
  return kText;
}

Result<Value> Concat(std::span<const Value> a, const FunctionContext&) {
  std::string out;
  for (const Value& v : a) {
    if (!v.is_null()) out += v.ToString();
  }
  return Value::Text(std::move(out));
}

Result<Value> ConcatWs(std::span<const Value> a, const FunctionContext&) {
  if (a[0].is_null()) return Value::Null(kText);
  std::string out;
  bool first = true;
  for (const Value& v : a.subspan(1)) {
    if (v.is_null()) continue;
    if (!first) out.append(a[0].as_bytes());
    out += v.ToString();
    first = false;
  }
  return Value::Text(std::move(out));
}

// left(s, n): the first n characters; for negative n all but the last |n|.
Result<Value> Left(std::span<const Value> a, const FunctionContext&) {
  const std::string_view s = a[0].as_bytes();
  int64_t n = a[1].as_int64();
  if (n < 0) n = std::max<int64_t>(0, static_cast<int64_t>(utf8::Length(s)) + n);
  return Value::Text(std::string(s.substr(0, utf8::Offset(s, static_cast<size_t>(n)))));
}

// right(s, n): the last n characters; for negative n all but the first |n|.
Result<Value> Right(std::span<const Value> a, const FunctionContext&) {
  const std::string_view s = a[0].as_bytes();
  const int64_t len = static_cast<int64_t>(utf8::Length(s));
  int64_t n = a[1].as_int64();
  const int64_t skip = n < 0 ? std::min(len, -n) : std::max<int64_t>(0, len - n);
  return Value::Text(std::string(s.substr(utf8::Offset(s, static_cast<size_t>(skip)))));
}

template <bool left>
Result<Value> Pad(std::span<const Value> a, const FunctionContext&) {
  const std::string_view s = a[0].as_bytes();
  const int64_t target = a[1].as_int64();
  const std::string_view fill = a.size() > 2 ? a[2].as_bytes() : std::string_view(" ");
  if (target <= 0) return Value::Text("");
  const size_t want = static_cast<size_t>(target);
  const size_t have = utf8::Length(s);
  if (have >= want) return Value::Text(std::string(s.substr(0, utf8::Offset(s, want))));
  if (fill.empty()) return Value::Text(std::string(s));
  // PostgreSQL sizes the result for 4-byte characters before it pads.
  if (want > (kMaxResultBytes - 5) / 4) return TooLong();
  std::string padding;
  const std::vector<std::string_view> fill_chars = Characters(fill);
  for (size_t i = 0; i < want - have; ++i)
    padding.append(fill_chars[i % fill_chars.size()]);
  return Value::Text(left ? padding + std::string(s) : std::string(s) + padding);
}

Result<Value> Repeat(std::span<const Value> a, const FunctionContext&) {
  const std::string_view s = a[0].as_bytes();
  const int64_t n = a[1].as_int64();
  if (n <= 0 || s.empty()) return Value::Text("");
  if (static_cast<uint64_t>(n) > kMaxResultBytes / s.size()) return TooLong();
  std::string out;
  out.reserve(s.size() * static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i)
    out.append(s);
  return Value::Text(std::move(out));
}

Result<Value> Reverse(std::span<const Value> a, const FunctionContext&) {
  std::vector<std::string_view> chars = Characters(a[0].as_bytes());
  std::string out;
  out.reserve(a[0].as_bytes().size());
  for (auto it = chars.rbegin(); it != chars.rend(); ++it)
    out.append(*it);
  return Value::Text(std::move(out));
}

// split_part(s, delimiter, n): field n (1-based; negative counts from the end), '' if none.
Result<Value> SplitPart(std::span<const Value> a, const FunctionContext&) {
  const std::string_view s = a[0].as_bytes(), delim = a[1].as_bytes();
  const int64_t n = a[2].as_int64();
  if (n == 0) return Status(ErrorCode::kInvalidArgument, "field position must not be zero");
  std::vector<std::string_view> fields;
  if (delim.empty()) {
    fields.push_back(s);
  } else {
    size_t pos = 0;
    while (true) {
      const size_t at = s.find(delim, pos);
      fields.push_back(s.substr(pos, at == std::string_view::npos ? s.npos : at - pos));
      if (at == std::string_view::npos) break;
      pos = at + delim.size();
    }
  }
  if (s.empty()) fields.clear();  // PostgreSQL: an empty string has no fields
  const int64_t count = static_cast<int64_t>(fields.size());
  const int64_t index = n > 0 ? n - 1 : count + n;
  if (index < 0 || index >= count) return Value::Text("");
  return Value::Text(std::string(fields[static_cast<size_t>(index)]));
}

Result<Value> StartsWith(std::span<const Value> a, const FunctionContext&) {
  return Value::Boolean(a[0].as_bytes().starts_with(a[1].as_bytes()));
}

// like_escape(pattern, escape): what `x LIKE pattern ESCAPE escape` becomes in
// PostgreSQL's grammar. Rewrites the pattern to use backslash, LikeMatch's escape.
Result<Value> LikeEscape(std::span<const Value> a, const FunctionContext&) {
  const std::string_view pattern = a[0].as_bytes();
  const std::string_view escape = a[1].as_bytes();
  if (escape.size() > 1) {
    return Status(ErrorCode::kInvalidArgument, "invalid escape string: ESCAPE takes one character");
  }
  std::string out;
  out.reserve(pattern.size() + 8);
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (!escape.empty() && c == escape[0]) {
      if (i + 1 == pattern.size()) {
        return Status(ErrorCode::kInvalidArgument,
                      "LIKE pattern must not end with escape character");
      }
      out += '\\';
      out += pattern[++i];
    } else if (c == '\\') {
      out += "\\\\";
    } else {
      out += c;
    }
  }
  return Value::Text(std::move(out));
}

Result<Value> Md5(std::span<const Value> a, const FunctionContext&) {
  return Value::Text(tenantdb::Md5Hex(a[0].as_bytes()));
}

Result<Value> Chr(std::span<const Value> a, const FunctionContext&) {
  const int64_t c = a[0].as_int64();
  // SQLSTATEs as PostgreSQL's: 54000 for what UTF-8 text cannot hold, 22023 for a negative.
  if (c == 0) return Status(ErrorCode::kProgramLimitExceeded, "null character not permitted");
  if (c < 0) return Status(ErrorCode::kInvalidArgument, "character number must be positive");
  if (c > 0x10FFFF) {
    return Status(ErrorCode::kProgramLimitExceeded,
                  "requested character too large for encoding: " + std::to_string(c));
  }
  if (c >= 0xD800 && c <= 0xDFFF) {
    return Status(ErrorCode::kProgramLimitExceeded,
                  "requested character not valid for encoding: " + std::to_string(c));
  }
  std::string out;
  utf8::Encode(static_cast<uint32_t>(c), &out);
  return Value::Text(std::move(out));
}

Result<Value> Ascii(std::span<const Value> a, const FunctionContext&) {
  const std::string_view s = a[0].as_bytes();
  if (s.empty()) return Value::Int(0);
  return Value::Int(static_cast<int32_t>(utf8::Decode(s, 0)));
}

// to_hex of the two's complement bits: to_hex(-1) is ffffffff for INT.
Result<Value> ToHex(std::span<const Value> a, const FunctionContext&) {
  const uint64_t bits = a[0].type() == kInt ? uint64_t{static_cast<uint32_t>(a[0].as_int64())}
                                            : static_cast<uint64_t>(a[0].as_int64());
  char buf[24];
  std::snprintf(buf, sizeof(buf), "%llx", static_cast<unsigned long long>(bits));
  return Value::Text(buf);
}

}  // namespace

void AddStringFunctions(std::vector<ScalarFunction>* out) {
  for (std::string_view name : {"length", "char_length", "character_length"}) {
    Add(out, name, {{{kText}, kInt}, {{kBytea}, kInt}}, Length);
  }
  Add(out, "octet_length", {{{kText}, kInt}, {{kBytea}, kInt}}, OctetLength);
  Add(out, "lower", {{{kText}, kText}}, Lower);
  Add(out, "upper", {{{kText}, kText}}, Upper);
  Add(out, "initcap", {{{kText}, kText}}, Initcap);
  for (std::string_view name : {"btrim", "trim"}) {
    Add(out, name, {{{kText}, kText}, {{kText, kText}, kText}}, Trim<TrimSide::kBoth>);
  }
  Add(out, "ltrim", {{{kText}, kText}, {{kText, kText}, kText}}, Trim<TrimSide::kLeft>);
  Add(out, "rtrim", {{{kText}, kText}, {{kText, kText}, kText}}, Trim<TrimSide::kRight>);
  for (std::string_view name : {"substr", "substring"}) {
    Add(out, name,
        {{{kText, kInt}, kText},
         {{kText, kInt, kInt}, kText},
         {{kBytea, kInt}, kBytea},
         {{kBytea, kInt, kInt}, kBytea}},
        Substr);
  }
  for (std::string_view name : {"strpos", "position"}) {
    Add(out, name, {{{kText, kText}, kInt}}, Strpos);
  }
  Add(out, "replace", {{{kText, kText, kText}, kText}}, Replace);
  for (std::string_view name : {"concat", "concat_ws"}) {
    ScalarFunction f;
    f.name = name;
    f.custom_bind = BindConcat;
    f.eval = name == "concat" ? Concat : ConcatWs;
    f.strict = false;
    out->push_back(std::move(f));
  }
  Add(out, "left", {{{kText, kInt}, kText}}, Left);
  Add(out, "right", {{{kText, kInt}, kText}}, Right);
  Add(out, "lpad", {{{kText, kInt}, kText}, {{kText, kInt, kText}, kText}}, Pad<true>);
  Add(out, "rpad", {{{kText, kInt}, kText}, {{kText, kInt, kText}, kText}}, Pad<false>);
  Add(out, "repeat", {{{kText, kInt}, kText}}, Repeat);
  Add(out, "reverse", {{{kText}, kText}}, Reverse);
  Add(out, "split_part", {{{kText, kText, kInt}, kText}}, SplitPart);
  Add(out, "starts_with", {{{kText, kText}, kBool}}, StartsWith);
  Add(out, "md5", {{{kText}, kText}, {{kBytea}, kText}}, Md5);
  Add(out, "like_escape", {{{kText, kText}, kText}}, LikeEscape);
  Add(out, "chr", {{{kInt}, kText}}, Chr);
  Add(out, "ascii", {{{kText}, kInt}}, Ascii);
  Add(out, "to_hex", {{{kInt}, kText}, {{kBigInt}, kText}}, ToHex);
}

}  // namespace tenantdb::sql
