#include "common/utf8.h"

#include <string>

namespace tenantdb {

namespace {

bool IsContinuation(unsigned char b) {
  return (b & 0xC0) == 0x80;
}

// The length of the well-formed sequence at s[pos], or 0 when it is malformed. The
// second byte's range excludes overlong forms (E0 80..9F, F0 80..8F), surrogates
// (ED A0..BF) and code points past U+10FFFF (F4 90..BF): Unicode's table 3-7.
size_t SequenceAt(std::string_view s, size_t pos) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[pos + i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;  // a continuation byte, C0/C1 (always overlong) or F5..FF
  }
  if (pos + length > s.size()) return 0;
  if (byte(1) < low || byte(1) > high) return 0;
  for (size_t i = 2; i < length; ++i) {
    if (!IsContinuation(byte(i))) return 0;
  }
  return length;
}

std::string HexBytes(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    if (!out.empty()) out += ' ';
    out += "0x";
    out += kHex[b >> 4];
    out += kHex[b & 0xF];
  }
  return out;
}

}  // namespace

size_t FindInvalidUtf8(std::string_view s) {
  size_t pos = 0;
  while (pos < s.size()) {
    // Skip ASCII quickly: most text is mostly ASCII.
    if (static_cast<unsigned char>(s[pos]) < 0x80) {
      ++pos;
      continue;
    }
    const size_t length = SequenceAt(s, pos);
    if (length == 0) return pos;
    pos += length;
  }
  return std::string_view::npos;
}

Status CheckUtf8(std::string_view s, std::string_view what) {
  const size_t bad = FindInvalidUtf8(s);
  if (bad == std::string_view::npos) return Status::Ok();
  // Show the sequence as far as it goes (at most 4 bytes), like PostgreSQL does.
  size_t shown = 1;
  while (shown < 4 && bad + shown < s.size() &&
         IsContinuation(static_cast<unsigned char>(s[bad + shown]))) {
    ++shown;
  }
  return Status(ErrorCode::kCharacterNotInRepertoire,
                "invalid byte sequence for encoding \"UTF8\": " + HexBytes(s.substr(bad, shown)) +
                    " in " + std::string(what) + " at byte " + std::to_string(bad + 1) +
                    "; text must be valid UTF-8");
}

}  // namespace tenantdb
