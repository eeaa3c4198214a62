// Internal to sql/exec/scalar: the UTF-8 walking the string functions need. Text values are
// UTF-8; a malformed sequence counts as one character per byte rather than failing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tenantdb::sql::utf8 {

// Bytes in the sequence that starts with `lead`.
inline size_t SequenceLength(unsigned char lead) {
  if (lead < 0xC0) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

// The byte offset of the character after the one at `pos`.
inline size_t Next(std::string_view s, size_t pos) {
  const size_t next = pos + SequenceLength(static_cast<unsigned char>(s[pos]));
  return next > s.size() ? s.size() : next;
}

// The number of characters (code points) in `s`.
inline size_t Length(std::string_view s) {
  size_t n = 0;
  for (size_t pos = 0; pos < s.size(); pos = Next(s, pos))
    ++n;
  return n;
}

// The byte offset where character number `chars` (0-based) starts, or s.size().
inline size_t Offset(std::string_view s, size_t chars) {
  size_t pos = 0;
  while (chars > 0 && pos < s.size()) {
    pos = Next(s, pos);
    --chars;
  }
  return pos;
}

// The code point of the character at `pos`.
inline uint32_t Decode(std::string_view s, size_t pos) {
  const auto b = [&](size_t i) { return static_cast<unsigned char>(s[pos + i]); };
  const size_t len = Next(s, pos) - pos;
  if (len == 1 || len != SequenceLength(b(0))) return b(0);
  if (len == 2) return (b(0) & 0x1Fu) << 6 | (b(1) & 0x3Fu);
  if (len == 3) return (b(0) & 0x0Fu) << 12 | (b(1) & 0x3Fu) << 6 | (b(2) & 0x3Fu);
  return (b(0) & 0x07u) << 18 | (b(1) & 0x3Fu) << 12 | (b(2) & 0x3Fu) << 6 | (b(3) & 0x3Fu);
}

inline void Encode(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | cp >> 6);
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += static_cast<char>(0xE0 | cp >> 12);
    *out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | cp >> 18);
    *out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
    *out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace tenantdb::sql::utf8
