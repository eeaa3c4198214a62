// Internal to sql/function: the UTF-8 walking the string functions need, so that
// length(), substr(), strpos(), left() ... count characters, not bytes. Text values are
// valid UTF-8 (checked where they enter: common/utf8.h); should a malformed sequence
// still reach here, it counts as one character per byte rather than failing.
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

// Simple case mapping for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic; other code
// points map to themselves.
inline uint32_t LowerCodePoint(uint32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c < 0x80) return c;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  if (c == 0x178) return 0xFF;  // Ÿ -> ÿ
  if (c >= 0x100 && c <= 0x17E && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149) {
    // Latin Extended-A pairs: even upper / odd lower, except 0x139-0x148 and 0x179-0x17E,
    // where the pairs start on odd code points.
    const bool odd_pairs = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    return (c % 2 == (odd_pairs ? 1u : 0u)) ? c + 1 : c;
  }
  if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 32;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  return c;
}

inline uint32_t UpperCodePoint(uint32_t c) {
  if (c >= 'a' && c <= 'z') return c - 32;
  if (c < 0x80) return c;
  if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 32;
  if (c == 0xFF) return 0x178;  // ÿ -> Ÿ
  if (c >= 0x100 && c <= 0x17E && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149 &&
      c != 0x178) {
    const bool odd_pairs = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    return (c % 2 == (odd_pairs ? 0u : 1u)) ? c - 1 : c;
  }
  if (c == 0x3C2) return 0x3A3;  // final sigma
  if (c >= 0x3B1 && c <= 0x3CB) return c - 32;
  if (c >= 0x430 && c <= 0x44F) return c - 32;
  if (c >= 0x450 && c <= 0x45F) return c - 80;
  return c;
}

// `s` with `map` applied to every code point; unchanged characters keep their bytes.
template <typename Map>
std::string MapCodePoints(std::string_view s, Map map) {
  std::string out;
  out.reserve(s.size());
  for (size_t pos = 0; pos < s.size(); pos = Next(s, pos)) {
    const uint32_t c = Decode(s, pos);
    const uint32_t m = map(c);
    if (m == c) {
      out.append(s.substr(pos, Next(s, pos) - pos));
    } else {
      Encode(m, &out);
    }
  }
  return out;
}

inline bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace tenantdb::sql::utf8
