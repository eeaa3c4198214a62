#include "server/http/json_text.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <span>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <boost/json/parse.hpp>

#include "server/auth/base64.h"
#include "tenantdb/array.h"

namespace tenantdb::server::http {

namespace {

constexpr char kHex[] = "0123456789abcdef";

// Length of the valid UTF-8 sequence starting at text[i], or 0 when it is not one
// (overlong forms, surrogates and code points past U+10FFFF are invalid).
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  size_t n;
  uint32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
      (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
    return 0;
  }
  return n;
}

// The number writers below write at `p`, which has room for the text (an integer: at
// most 22 bytes, quotes included; a float: kNumberBytes), and return the end; the
// Append* forms append the same text to a string.
constexpr size_t kNumberBytes = 64;

template <typename Int>
char* PutInt(Int v, char* p) {
  return std::to_chars(p, p + kNumberBytes, v).ptr;
}

// A BIGINT: a number within JavaScript's safe integers, a string of its digits beyond.
char* PutBigInt(int64_t v, char* p) {
  if (v >= -kMaxSafeJsonInteger && v <= kMaxSafeJsonInteger) return PutInt(v, p);
  *p++ = '"';
  p = PutInt(v, p);
  *p++ = '"';
  return p;
}

template <typename Float>
char* PutFloat(Float v, char* p) {
  const auto put = [&p](std::string_view text) {
    std::memcpy(p, text.data(), text.size());
    return p + text.size();
  };
  if (std::isnan(v)) return put("\"NaN\"");
  if (std::isinf(v)) return put(v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  return std::to_chars(p, p + kNumberBytes, v).ptr;
}

void AppendInt(int64_t v, std::string* out) {
  char buf[kNumberBytes];
  out->append(buf, PutInt(v, buf));
}

void AppendBigInt(int64_t v, std::string* out) {
  char buf[kNumberBytes];
  out->append(buf, PutBigInt(v, buf));
}

template <typename Float>
void AppendFloat(Float v, std::string* out) {
  char buf[kNumberBytes];
  out->append(buf, PutFloat(v, buf));
}

void AppendUuid(std::string_view bytes, std::string* out) {
  out->push_back('"');
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out->push_back('-');
    const auto b = static_cast<unsigned char>(bytes[i]);
    out->push_back(kHex[b >> 4]);
    out->push_back(kHex[b & 0xF]);
  }
  out->push_back('"');
}

void AppendJsonColumnText(std::string_view text, std::string* out) {
  boost::system::error_code ec;
  // Validation only: a stored JSON value is written as it is, when it parses.
  boost::json::parse(text, ec);
  if (ec) {
    AppendJsonString(text, out);
  } else {
    out->append(text);
  }
}

// `value` as exactly `width` decimal digits (it fits: callers pass in-range fields).
void AppendDigits(uint64_t value, int width, std::string* out) {
  char buf[20];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out->append(buf, static_cast<size_t>(width));
}

// ISO 8601's year: four digits within 0..9999, else a sign and six digits.
void AppendIsoYear(int32_t year, std::string* out) {
  if (year >= 0 && year <= 9999) {
    AppendDigits(static_cast<uint64_t>(year), 4, out);
    return;
  }
  out->push_back(year < 0 ? '-' : '+');
  AppendDigits(static_cast<uint64_t>(year < 0 ? -static_cast<int64_t>(year) : year), 6, out);
}

// Bytes a JSON string holds as they are: printable ASCII but '"' and '\\'. This table and
// PlainJsonWord are PutPlainJsonRun's portable path (without SSE2).
[[maybe_unused]] constexpr auto kPlainJsonByte = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c)
    plain[static_cast<size_t>(c)] = c != '"' && c != '\\';
  return plain;
}();

// Whether none of the 8 bytes of `word` needs escaping or UTF-8 checking: each is at
// least 0x20 and below 0x80, and none is '"' or '\\' (the zero-byte tests of "Bit
// Twiddling Hacks", exact for "is there such a byte").
[[maybe_unused]] bool PlainJsonWord(uint64_t word) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  const auto has_zero = [](uint64_t w) { return (w - kOnes) & ~w & kHighs; };
  const uint64_t below_space = (word - kOnes * 0x20) & ~word & kHighs;
  return ((word & kHighs) | below_space | has_zero(word ^ (kOnes * '"')) |
          has_zero(word ^ (kOnes * '\\'))) == 0;
}

// "00" to "99", two characters each.
constexpr auto kTwoDigits = [] {
  std::array<char, 200> digits{};
  for (size_t i = 0; i < 100; ++i) {
    digits[2 * i] = static_cast<char>('0' + i / 10);
    digits[2 * i + 1] = static_cast<char>('0' + i % 10);
  }
  return digits;
}();

char* PutTwoDigits(char* p, uint64_t value) {
  std::memcpy(p, &kTwoDigits[2 * value], 2);
  return p + 2;
}

void AppendIsoDateSlow(int64_t days, std::string* out) {
  int32_t y;
  uint32_t m, d;
  CivilFromDays(static_cast<int32_t>(days), &y, &m, &d);
  AppendIsoYear(y, out);
  out->push_back('-');
  AppendDigits(m, 2, out);
  out->push_back('-');
  AppendDigits(d, 2, out);
}

// Writes the ISO 8601 date of `days` at `p` (at most 13 characters: a sign, six digits
// of year, "-MM-DD") and returns the end. The last day a thread wrote is kept: the
// timestamps of one result mostly fall on one day, and the calendar arithmetic is most
// of a timestamp's formatting.
char* PutIsoDate(int64_t days, char* p) {
  struct Memo {
    int64_t days = std::numeric_limits<int64_t>::min();
    std::array<char, 16> text{};
    size_t size = 0;
  };
  thread_local Memo memo;
  if (memo.days != days) {
    std::string text;
    AppendIsoDateSlow(days, &text);
    assert(text.size() <= memo.text.size());
    std::memcpy(memo.text.data(), text.data(), text.size());
    memo.size = text.size();
    memo.days = days;
  }
  std::memcpy(p, memo.text.data(), memo.size);
  return p + memo.size;
}

void AppendIsoDate(int64_t days, std::string* out) {
  char text[16];
  out->append(text, PutIsoDate(days, text));
}

// Most bytes one input byte becomes in a JSON string: a control character's \u00XX.
constexpr size_t kJsonStringExpansion = 6;

bool IsUtf8Continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// The length of the run of plain bytes (kPlainJsonByte) that `text` starts with, copied
// to `p`, which has room for kJsonStringExpansion bytes per byte of `text`.
size_t PutPlainJsonRun(std::string_view text, char* p) {
  const char* s = text.data();
  const size_t n = text.size();
  size_t run = 0;
#if defined(__SSE2__)
  // 16 bytes compared at once. A signed compare counts the bytes from 0x80 up as
  // negative, so "below 0x20" also finds the start of every UTF-8 sequence.
  const auto special = [](__m128i v) {
    const __m128i m = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
        _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
    return static_cast<unsigned>(_mm_movemask_epi8(m));
  };
  for (; run + 16 <= n; run += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + run));
    // Stored whole before looking: the room for these 16 input bytes holds them.
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p + run), v);
    const unsigned mask = special(v);
    if (mask != 0) return run + static_cast<size_t>(std::countr_zero(mask));
  }
  if (run == n) return run;
  if (n >= 16) {
    // The last 16 bytes, overlapping the run so far: stored again unchanged.
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + n - 16));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p + n - 16), v);
    const unsigned mask = special(v) >> (16 - (n - run));
    return mask != 0 ? run + static_cast<size_t>(std::countr_zero(mask)) : n;
  }
  // A short text, padded with zeros (special, so the run ends by n at the latest).
  alignas(16) char tail[16] = {};
  std::memcpy(tail, s + run, n - run);
  const unsigned mask = special(_mm_load_si128(reinterpret_cast<const __m128i*>(tail)));
  const size_t length = static_cast<size_t>(std::countr_zero(mask));
  std::memcpy(p + run, tail, length);
  return run + length;
#else
  for (uint64_t word; run + 8 <= n; run += 8) {
    std::memcpy(&word, s + run, 8);
    if (!PlainJsonWord(word)) break;
  }
  while (run < n && kPlainJsonByte[static_cast<unsigned char>(s[run])])
    ++run;
  std::memcpy(p, s, run);
  return run;
#endif
}

// Writes `text` escaped for a JSON string (without the quotes) at `p`, which has room
// for kJsonStringExpansion bytes per byte of `text`; returns the end. Bytes that are not
// valid UTF-8 become U+FFFD.
char* PutJsonStringBody(std::string_view text, char* p) {
  size_t i = 0;
  while (i < text.size()) {
    // Most text is printable ASCII with nothing to escape: copied a run at a time.
    const size_t run = PutPlainJsonRun(text.substr(i), p);
    p += run;
    i += run;
    if (i == text.size()) break;
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      const auto put2 = [&p](char a, char b) {
        *p++ = a;
        *p++ = b;
      };
      switch (c) {
        case '"':
          put2('\\', '"');
          break;
        case '\\':
          put2('\\', '\\');
          break;
        case '\n':
          put2('\\', 'n');
          break;
        case '\r':
          put2('\\', 'r');
          break;
        case '\t':
          put2('\\', 't');
          break;
        default:
          if (c < 0x20) {
            std::memcpy(p, "\\u00", 4);
            p += 4;
            *p++ = kHex[c >> 4];
            *p++ = kHex[c & 0xF];
          } else {
            *p++ = static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    const size_t n = Utf8SequenceLength(text, i);
    if (n == 0) {
      std::memcpy(p, "\xEF\xBF\xBD", 3);  // U+FFFD for a byte that starts no valid sequence
      p += 3;
      ++i;
    } else {
      std::memcpy(p, text.data() + i, n);
      p += n;
      i += n;
    }
  }
  return p;
}

// The ISO 8601 text of `micros` since 1970-01-01 ("...Z" when `utc`) at `p`, at most
// kIsoTimestampBytes; returns the end.
constexpr size_t kIsoTimestampBytes = 32;  // "+YYYYYY-MM-DDTHH:MM:SS.ffffffZ"
char* PutIsoTimestamp(int64_t micros, bool utc, char* p) {
  constexpr int64_t kMicrosPerDay = 86'400'000'000;
  int64_t days = micros / kMicrosPerDay;
  int64_t rest = micros % kMicrosPerDay;
  if (rest < 0) {
    rest += kMicrosPerDay;
    days -= 1;
  }
  const uint64_t seconds = static_cast<uint64_t>(rest / 1'000'000);
  const uint64_t fraction = static_cast<uint64_t>(rest % 1'000'000);
  p = PutIsoDate(days, p);
  *p++ = 'T';
  p = PutTwoDigits(p, seconds / 3600);
  *p++ = ':';
  p = PutTwoDigits(p, seconds / 60 % 60);
  *p++ = ':';
  p = PutTwoDigits(p, seconds % 60);
  if (fraction != 0) {
    *p++ = '.';
    p = PutTwoDigits(p, fraction / 10'000);
    if (fraction % 1000 == 0) {  // milliseconds: three digits
      *p++ = static_cast<char>('0' + fraction / 1000 % 10);
    } else {
      p = PutTwoDigits(p, fraction / 100 % 100);
      p = PutTwoDigits(p, fraction % 100);
    }
  }
  if (utc) *p++ = 'Z';
  return p;
}

// Most bytes PutJsonViewCell writes for a cell of fixed-width type `type` (BOOLEAN, an
// integer, a float, a date or time), NULL or not; 0 for the other types.
size_t FixedJsonViewCellBound(DataType type) {
  switch (type) {
    case DataType::kBoolean:
      return 5;
    case DataType::kSmallInt:
    case DataType::kInt:
      return 12;
    case DataType::kBigInt:
      return 24;  // 19 digits and a sign, quoted beyond the safe integers
    case DataType::kReal:
    case DataType::kDouble:
      return 64;
    case DataType::kDate:
    case DataType::kTimestamp:
    case DataType::kTimestampTz:
      return 2 + kIsoTimestampBytes;
    default:
      return 0;
  }
}

// Most bytes PutJsonViewCell writes for cell `row`; 0 for the cells it does not write
// (types a view does not carry, JSON and BYTEA columns).
size_t JsonViewCellBound(const RowBatch::ColumnView& view, size_t row) {
  if (view.values == nullptr && view.offsets == nullptr) return 0;
  if (view.IsNull(row)) return 4;
  if (view.type == DataType::kText) return 2 + kJsonStringExpansion * view.BytesAt(row).size();
  return FixedJsonViewCellBound(view.type);
}

// Writes cell `row` at `p`, which has room for JsonViewCellBound(view, row) (> 0)
// bytes; returns the end.
char* PutJsonViewCell(const RowBatch::ColumnView& view, size_t row, char* p) {
  if (view.IsNull(row)) {
    std::memcpy(p, "null", 4);
    return p + 4;
  }
  switch (view.type) {
    case DataType::kBoolean:
      if (view.At<uint8_t>(row) != 0) {
        std::memcpy(p, "true", 4);
        return p + 4;
      }
      std::memcpy(p, "false", 5);
      return p + 5;
    case DataType::kSmallInt:
      return PutInt(view.At<int16_t>(row), p);
    case DataType::kInt:
      return PutInt(view.At<int32_t>(row), p);
    case DataType::kBigInt:
      return PutBigInt(view.At<int64_t>(row), p);
    case DataType::kReal:
      return PutFloat(view.At<float>(row), p);
    case DataType::kDouble:
      return PutFloat(view.At<double>(row), p);
    case DataType::kText:
      *p++ = '"';
      p = PutJsonStringBody(view.BytesAt(row), p);
      *p++ = '"';
      return p;
    case DataType::kDate:
      *p++ = '"';
      p = PutIsoDate(view.At<int32_t>(row), p);
      *p++ = '"';
      return p;
    case DataType::kTimestamp:
    case DataType::kTimestampTz:
      *p++ = '"';
      p = PutIsoTimestamp(view.At<int64_t>(row), view.type == DataType::kTimestampTz, p);
      *p++ = '"';
      return p;
    default:
      assert(false && "PutJsonViewCell: a cell JsonViewCellBound gave no room for");
      return p;
  }
}

}  // namespace

void AppendJsonString(std::string_view text, std::string* out) {
  constexpr size_t kShortBytes = 256;
  if (text.size() <= kShortBytes) {  // most names and messages: escaped on the stack
    char escaped[2 + kJsonStringExpansion * kShortBytes];
    char* p = escaped;
    *p++ = '"';
    p = PutJsonStringBody(text, p);
    *p++ = '"';
    out->append(escaped, p);
    return;
  }
  out->push_back('"');
  // Written in place, a piece at a time: room for the worst case (6 bytes per input byte)
  // of a piece, not of a whole large text. A piece ends where a character starts, so no
  // UTF-8 sequence is split (a run of stray continuation bytes is cut anywhere: each one
  // becomes U+FFFD on its own either way).
  constexpr size_t kPieceBytes = 4096;
  while (!text.empty()) {
    size_t n = std::min(text.size(), kPieceBytes);
    for (size_t back = 0; n < text.size() && back < 3 && IsUtf8Continuation(text[n]); ++back)
      --n;
    const size_t old = out->size();
    out->resize(old + kJsonStringExpansion * n);
    char* end = PutJsonStringBody(text.substr(0, n), out->data() + old);
    out->resize(static_cast<size_t>(end - out->data()));
    text.remove_prefix(n);
  }
  out->push_back('"');
}

bool AppendJsonViewCell(const RowBatch::ColumnView& view, size_t row, std::string* out) {
  if (view.values == nullptr && view.offsets == nullptr) return false;
  if (!view.IsNull(row) && view.type == DataType::kJson) {
    AppendJsonColumnText(view.BytesAt(row), out);
    return true;
  }
  if (!view.IsNull(row) && view.type == DataType::kBytea) {
    AppendJsonString(Base64Padded(view.BytesAt(row)), out);
    return true;
  }
  const size_t bound = JsonViewCellBound(view, row);
  if (bound == 0) return false;
  const size_t old = out->size();
  out->resize(old + bound);
  char* end = PutJsonViewCell(view, row, out->data() + old);
  out->resize(static_cast<size_t>(end - out->data()));
  return true;
}

size_t AppendJsonViewRows(std::span<const RowBatch::ColumnView> views, size_t first, size_t end,
                          bool comma_first, size_t stop_bytes, std::string* out) {
  // Each row's room (a comma, brackets, commas, each cell's most) is made ahead of it,
  // in steps of several rows, and every cell is written in place: two resizes for the
  // rows, not two per row or per cell.
  constexpr size_t kMostBytesInPlace = 64 << 10;
  constexpr size_t kRoomStep = 1 << 10;  // below glibc's "rep stosb" threshold for memset
  size_t size = out->size();             // the end of the rows written so far
  size_t written = 0;
  // Once for the run: the room of the fixed-width cells (a NULL's "null" fits in each),
  // and the TEXT columns, whose room each row adds by length. Other columns (JSON and
  // BYTEA are written here only when NULL) leave each row to the per-cell bounds.
  constexpr size_t kMostTextColumns = 16;
  std::array<const RowBatch::ColumnView*, kMostTextColumns> texts;
  size_t text_count = 0;
  size_t fixed_bound = 3 + views.size();
  bool by_cell = false;
  for (const RowBatch::ColumnView& view : views) {
    if (view.type == DataType::kText && view.offsets != nullptr && text_count < texts.size()) {
      texts[text_count++] = &view;
    } else if (view.values != nullptr && FixedJsonViewCellBound(view.type) != 0) {
      fixed_bound += FixedJsonViewCellBound(view.type);
    } else {
      by_cell = true;
    }
  }
  for (size_t row = first; row < end; ++row) {
    size_t bound;
    if (by_cell) {
      bound = 3 + views.size();
      bool in_place = true;
      for (const RowBatch::ColumnView& view : views) {
        const size_t cell = JsonViewCellBound(view, row);
        in_place = in_place && cell != 0;
        bound += cell;
      }
      if (!in_place) break;
    } else {
      bound = fixed_bound;
      for (size_t t = 0; t < text_count; ++t)
        bound += JsonViewCellBound(*texts[t], row);
    }
#ifndef NDEBUG
    size_t cells = 3 + views.size();
    for (const RowBatch::ColumnView& view : views)
      cells += JsonViewCellBound(view, row);
    assert(by_cell || bound >= cells);
#endif
    if (bound > kMostBytesInPlace) break;
    if (size + bound > out->size()) out->resize(size + std::max(bound, kRoomStep));
    char* p = out->data() + size;
    if (row > first || comma_first) *p++ = ',';
    *p++ = '[';
    for (size_t c = 0; c < views.size(); ++c) {
      if (c > 0) *p++ = ',';
      p = PutJsonViewCell(views[c], row, p);
    }
    *p++ = ']';
    assert(p <= out->data() + size + bound);
    size = static_cast<size_t>(p - out->data());
    ++written;
    if (size >= stop_bytes) break;
  }
  out->resize(size);
  return written;
}

bool AppendJsonViewRow(std::span<const RowBatch::ColumnView> views, size_t row, std::string* out) {
  return AppendJsonViewRows(views, row, row + 1, /*comma_first=*/false,
                            std::numeric_limits<size_t>::max(), out) == 1;
}

void AppendJsonCell(const RowBatch& batch, size_t row, size_t column, DataType type,
                    std::string* out) {
  if (AppendJsonViewCell(batch.ViewColumn(column), row, out)) return;
  // The types a column view does not carry.
  if (batch.IsNull(row, column)) {
    out->append("null");
    return;
  }
  if (IsArray(type)) return AppendJsonValue(batch.GetValue(row, column).value(), out);
  switch (type) {
    case DataType::kUuid:
      AppendUuid(batch.GetBytes(row, column).value(), out);
      return;
    case DataType::kInterval:
      AppendJsonString(FormatInterval(batch.GetInterval(row, column).value()), out);
      return;
    case DataType::kNumeric:
      // A string, always: a JavaScript number (a double) would round most decimals.
      AppendJsonString(FormatNumeric(batch.GetValue(row, column).value().as_numeric()), out);
      return;
    default:
      break;
  }
  out->append("null");
}

void AppendResultSchemaJson(const std::vector<Column>& columns, std::string* out) {
  struct Memo {
    std::vector<Column> columns;
    std::string json;
    bool valid = false;
  };
  thread_local Memo memo;
  const auto same = [&] {
    if (!memo.valid || memo.columns.size() != columns.size()) return false;
    for (size_t i = 0; i < columns.size(); ++i) {
      if (memo.columns[i].type != columns[i].type || memo.columns[i].name != columns[i].name) {
        return false;
      }
    }
    return true;
  };
  if (!same()) {
    memo.valid = false;
    memo.json = "[";
    for (size_t i = 0; i < columns.size(); ++i) {
      if (i > 0) memo.json += ',';
      memo.json += "{\"name\":";
      AppendJsonString(columns[i].name, &memo.json);
      memo.json += ",\"data_type\":";
      AppendJsonString(DataTypeName(columns[i].type), &memo.json);
      memo.json += ",\"index\":";
      AppendInt(static_cast<int64_t>(i), &memo.json);
      memo.json += '}';
    }
    memo.json += ']';
    memo.columns = columns;
    memo.valid = true;
  }
  out->append(memo.json);
}

void AppendJsonValue(const Value& value, std::string* out) {
  if (value.is_null()) {
    out->append("null");
    return;
  }
  if (IsArray(value.type())) {
    // A JSON array of the elements, each as this layer renders its type.
    Result<std::vector<Value>> elements = ArrayElements(value);
    if (!elements.ok()) {
      out->append("null");
      return;
    }
    out->push_back('[');
    for (size_t i = 0; i < elements->size(); ++i) {
      if (i > 0) out->push_back(',');
      AppendJsonValue((*elements)[i], out);
    }
    out->push_back(']');
    return;
  }
  switch (value.type()) {
    case DataType::kBoolean:
      out->append(value.as_bool() ? "true" : "false");
      return;
    case DataType::kSmallInt:
    case DataType::kInt:
      AppendInt(value.as_int64(), out);
      return;
    case DataType::kBigInt:
      AppendBigInt(value.as_int64(), out);
      return;
    case DataType::kReal:
      AppendFloat(static_cast<float>(value.as_double()), out);
      return;
    case DataType::kDouble:
      AppendFloat(value.as_double(), out);
      return;
    case DataType::kText:
      AppendJsonString(value.as_bytes(), out);
      return;
    case DataType::kJson:
      AppendJsonColumnText(value.as_bytes(), out);
      return;
    case DataType::kBytea:
      AppendJsonString(Base64Padded(value.as_bytes()), out);
      return;
    case DataType::kUuid:
      AppendUuid(value.as_bytes(), out);
      return;
    case DataType::kInterval:
      AppendJsonString(FormatInterval(value.as_interval()), out);
      return;
    case DataType::kNumeric:
      AppendJsonString(FormatNumeric(value.as_numeric()), out);
      return;
    case DataType::kDate:
      AppendJsonString(IsoDate(value.as_int64()), out);
      return;
    case DataType::kTimestamp:
    case DataType::kTimestampTz:
      AppendJsonString(IsoTimestamp(value.as_int64(), value.type() == DataType::kTimestampTz), out);
      return;
  }
  out->append("null");
}

std::string IsoTimestamp(int64_t micros, bool utc) {
  std::string out;
  out.reserve(32);
  AppendIsoTimestamp(micros, utc, &out);
  return out;
}

void AppendIsoTimestamp(int64_t micros, bool utc, std::string* out) {
  char text[kIsoTimestampBytes];
  out->append(text, PutIsoTimestamp(micros, utc, text));
}

std::string IsoDate(int64_t days) {
  std::string out;
  AppendIsoDate(days, &out);
  return out;
}

std::string Base64Padded(std::string_view bytes) {
  std::string text = Base64Encode(bytes, Base64Alphabet::kStandard);
  while (text.size() % 4 != 0)
    text.push_back('=');
  return text;
}

}  // namespace tenantdb::server::http
