#include "sql/exec/scalar/like.h"

#include <cstddef>

namespace tenantdb::sql {
namespace {

// Bytes in the UTF-8 sequence starting with `lead`; invalid lead bytes count as one.
inline size_t CodePointLength(unsigned char lead) {
  if (lead < 0xC0) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

inline size_t Advance(std::string_view s, size_t pos) {
  const size_t next = pos + CodePointLength(static_cast<unsigned char>(s[pos]));
  return next > s.size() ? s.size() : next;
}

inline char FoldAscii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

}  // namespace

bool LikeMatch(std::string_view text, std::string_view pattern, bool case_insensitive) {
  constexpr size_t kNoStar = static_cast<size_t>(-1);
  size_t t = 0, p = 0;
  // Where to resume after a mismatch: the pattern just past the last %, and the text
  // position that % is currently assumed to stop at.
  size_t star_p = kNoStar, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size()) {
      const char c = pattern[p];
      if (c == '%') {
        while (p < pattern.size() && pattern[p] == '%')
          ++p;
        if (p == pattern.size()) return true;  // a trailing % matches the rest
        star_p = p;
        star_t = t;
        continue;
      }
      if (c == '_') {
        t = Advance(text, t);
        ++p;
        continue;
      }
      size_t literal_at = p;
      if (c == '\\') literal_at = p + 1;
      if (literal_at < pattern.size()) {
        const char want = pattern[literal_at];
        const char have = text[t];
        if (want == have || (case_insensitive && FoldAscii(want) == FoldAscii(have))) {
          ++t;
          p = literal_at + 1;
          continue;
        }
      }
    }
    // Mismatch: let the last % swallow one more character, or fail.
    if (star_p == kNoStar) return false;
    star_t = Advance(text, star_t);
    t = star_t;
    p = star_p;
  }
  while (p < pattern.size() && pattern[p] == '%')
    ++p;
  return p == pattern.size();
}

Status CheckLikePattern(std::string_view pattern) {
  size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] == '\\') {
      if (i + 1 == pattern.size()) {
        return Status(ErrorCode::kInvalidArgument,
                      "LIKE pattern must not end with escape character");
      }
      i += 2;
    } else {
      ++i;
    }
  }
  return Status::Ok();
}

}  // namespace tenantdb::sql
