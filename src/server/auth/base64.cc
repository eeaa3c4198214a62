#include "server/auth/base64.h"

#include <array>
#include <cstdint>

namespace tenantdb::server {

namespace {

constexpr std::string_view kStandardChars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrlChars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string_view Chars(Base64Alphabet alphabet) {
  return alphabet == Base64Alphabet::kUrl ? kUrlChars : kStandardChars;
}

// Character -> 6-bit value, 0xFF for characters outside the alphabet.
constexpr std::array<uint8_t, 256> MakeReverse(std::string_view chars) {
  std::array<uint8_t, 256> table{};
  for (auto& v : table)
    v = 0xFF;
  for (size_t i = 0; i < chars.size(); ++i)
    table[static_cast<uint8_t>(chars[i])] = static_cast<uint8_t>(i);
  return table;
}
constexpr std::array<uint8_t, 256> kStandardReverse = MakeReverse(kStandardChars);
constexpr std::array<uint8_t, 256> kUrlReverse = MakeReverse(kUrlChars);

}  // namespace

std::string Base64Encode(std::string_view bytes, Base64Alphabet alphabet) {
  const std::string_view chars = Chars(alphabet);
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) |
                       (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                       static_cast<uint8_t>(bytes[i + 2]);
    out += chars[(v >> 18) & 63];
    out += chars[(v >> 12) & 63];
    out += chars[(v >> 6) & 63];
    out += chars[v & 63];
  }
  const size_t rest = bytes.size() - i;
  if (rest == 1) {
    const uint32_t v = static_cast<uint8_t>(bytes[i]) << 16;
    out += chars[(v >> 18) & 63];
    out += chars[(v >> 12) & 63];
  } else if (rest == 2) {
    const uint32_t v =
        (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8);
    out += chars[(v >> 18) & 63];
    out += chars[(v >> 12) & 63];
    out += chars[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text, Base64Alphabet alphabet) {
  const std::array<uint8_t, 256>& reverse =
      alphabet == Base64Alphabet::kUrl ? kUrlReverse : kStandardReverse;
  // A single leftover character carries only 6 bits: no byte can end there.
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (const char c : text) {
    const uint8_t v = reverse[static_cast<uint8_t>(c)];
    if (v == 0xFF) return std::nullopt;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  // The 2 or 4 bits left over are padding and must be zero for the spelling to be unique.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace tenantdb::server
