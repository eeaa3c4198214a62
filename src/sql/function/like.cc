#include "sql/function/like.h"

#include <cstddef>
#include <string>

#include "sql/function/utf8.h"

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

// 1 for a match, 0 for none, -1 when matching reaches a lone trailing backslash with text
// left over (where PostgreSQL raises its error).
//
// Iterative matching with one backtracking point: on a mismatch only the most recent %
// is widened, by one character. Widening an earlier % instead can never help, because the
// later % could absorb the same text, so this is complete, and it visits each (text,
// pattern) position pair at most once per % : O(|text| * |pattern|).
int Match(std::string_view text, std::string_view pattern, bool case_insensitive) {
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
        if (p == pattern.size()) return 1;  // a trailing % matches the rest
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
      if (c == '\\') {
        literal_at = p + 1;
        if (literal_at == pattern.size()) return -1;
      }
      const char want = pattern[literal_at];
      const char have = text[t];
      if (want == have || (case_insensitive && FoldAscii(want) == FoldAscii(have))) {
        ++t;
        p = literal_at + 1;
        continue;
      }
    }
    // Mismatch: let the last % swallow one more character, or fail.
    if (star_p == kNoStar) return 0;
    star_t = Advance(text, star_t);
    t = star_t;
    p = star_p;
  }
  while (p < pattern.size() && pattern[p] == '%')
    ++p;
  return p == pattern.size() ? 1 : 0;
}

// ILIKE beyond ASCII: fold both sides with lower()'s mapping, then match exactly, as
// PostgreSQL does for multibyte encodings.
int MatchFolded(std::string_view text, std::string_view pattern, bool case_insensitive) {
  if (!case_insensitive || (utf8::IsAscii(text) && utf8::IsAscii(pattern))) {
    return Match(text, pattern, case_insensitive);
  }
  const std::string t = utf8::MapCodePoints(text, utf8::LowerCodePoint);
  const std::string p = utf8::MapCodePoints(pattern, utf8::LowerCodePoint);
  return Match(t, p, false);
}

}  // namespace

Result<bool> EvalLike(std::string_view text, std::string_view pattern, bool case_insensitive) {
  const int m = MatchFolded(text, pattern, case_insensitive);
  if (m < 0) {
    return Status(ErrorCode::kInvalidArgument, "LIKE pattern must not end with escape character");
  }
  return m == 1;
}

bool LikeMatch(std::string_view text, std::string_view pattern, bool case_insensitive) {
  return MatchFolded(text, pattern, case_insensitive) == 1;
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

namespace {

// The shapes of pattern a byte comparison decides without the matcher.
enum class Shape { kGeneral, kEquals, kPrefix, kSuffix, kContains };

// Classifies a case-sensitive pattern; `literal` receives its non-% bytes.
Shape Classify(std::string_view pattern, std::string_view* literal) {
  if (pattern.find_first_of("_\\") != std::string_view::npos) return Shape::kGeneral;
  const bool leading = pattern.starts_with('%');
  const bool trailing = pattern.size() > 1 && pattern.ends_with('%');
  std::string_view core = pattern.substr(leading ? 1 : 0);
  if (trailing) core.remove_suffix(1);
  if (core.find('%') != std::string_view::npos || (leading && pattern.size() == 1)) {
    return Shape::kGeneral;
  }
  *literal = core;
  if (leading && trailing) return Shape::kContains;
  if (leading) return Shape::kSuffix;
  if (trailing) return Shape::kPrefix;
  return Shape::kEquals;
}

}  // namespace

Status LikeVectorConstant(const ColumnVector& text, std::string_view pattern, bool case_insensitive,
                          bool negated, ColumnVector* out_boolean) {
  if (text.type() != DataType::kText || out_boolean->type() != DataType::kBoolean ||
      out_boolean->size() != 0) {
    return Status(ErrorCode::kInternal,
                  "LikeVectorConstant needs TEXT input and an empty BOOLEAN output");
  }
  std::string_view literal;
  const Shape shape = case_insensitive ? Shape::kGeneral : Classify(pattern, &literal);
  out_boolean->Reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.IsNull(i)) {
      out_boolean->AppendNull();
      continue;
    }
    const std::string_view s = text.bytes(i);
    bool match = false;
    switch (shape) {
      case Shape::kEquals:
        match = s == literal;
        break;
      case Shape::kPrefix:
        match = s.starts_with(literal);
        break;
      case Shape::kSuffix:
        match = s.ends_with(literal);
        break;
      case Shape::kContains:
        match = s.find(literal) != std::string_view::npos;
        break;
      case Shape::kGeneral: {
        TDB_ASSIGN_OR_RETURN(match, EvalLike(s, pattern, case_insensitive));
        break;
      }
    }
    out_boolean->AppendInt64(match != negated);
  }
  return Status::Ok();
}

}  // namespace tenantdb::sql
