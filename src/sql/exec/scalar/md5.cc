// MD5 (RFC 1321) for the md5() SQL function. Not for security: PostgreSQL users call md5()
// for checksums and cache keys, and the output must match PostgreSQL's byte for byte.
#include <array>
#include <cmath>
#include <cstdint>
#include <string>

#include "sql/exec/scalar/function_registry.h"

namespace tenantdb::sql {
namespace {

constexpr int kShift[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                            5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                            4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                            6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};

// K[i] = floor(|sin(i + 1)| * 2^32), as RFC 1321 defines the table.
std::array<uint32_t, 64> MakeSineTable() {
  std::array<uint32_t, 64> k{};
  for (int i = 0; i < 64; ++i) {
    k[i] = static_cast<uint32_t>(std::floor(std::fabs(std::sin(i + 1.0)) * 4294967296.0));
  }
  return k;
}

inline uint32_t RotateLeft(uint32_t x, int n) {
  return x << n | x >> (32 - n);
}

void ProcessBlock(const unsigned char* block, const std::array<uint32_t, 64>& k, uint32_t* h) {
  uint32_t m[16];
  for (int i = 0; i < 16; ++i) {
    m[i] = uint32_t{block[i * 4]} | uint32_t{block[i * 4 + 1]} << 8 |
           uint32_t{block[i * 4 + 2]} << 16 | uint32_t{block[i * 4 + 3]} << 24;
  }
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
  for (int i = 0; i < 64; ++i) {
    uint32_t f;
    int g;
    if (i < 16) {
      f = (b & c) | (~b & d);
      g = i;
    } else if (i < 32) {
      f = (d & b) | (~d & c);
      g = (5 * i + 1) % 16;
    } else if (i < 48) {
      f = b ^ c ^ d;
      g = (3 * i + 5) % 16;
    } else {
      f = c ^ (b | ~d);
      g = (7 * i) % 16;
    }
    f += a + k[i] + m[g];
    a = d;
    d = c;
    c = b;
    b += RotateLeft(f, kShift[i]);
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
}

}  // namespace

std::string Md5Hex(std::string_view data) {
  static const std::array<uint32_t, 64> k = MakeSineTable();
  uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  size_t full = data.size() / 64;
  for (size_t i = 0; i < full; ++i) {
    ProcessBlock(reinterpret_cast<const unsigned char*>(data.data()) + i * 64, k, h);
  }
  // The tail, a 0x80 byte, zeros to 56 mod 64, and the bit length little-endian.
  std::string tail(data.substr(full * 64));
  tail += static_cast<char>(0x80);
  while (tail.size() % 64 != 56)
    tail += '\0';
  const uint64_t bits = static_cast<uint64_t>(data.size()) * 8;
  for (int i = 0; i < 8; ++i)
    tail += static_cast<char>(bits >> (8 * i) & 0xFF);
  for (size_t i = 0; i < tail.size(); i += 64) {
    ProcessBlock(reinterpret_cast<const unsigned char*>(tail.data()) + i, k, h);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(32);
  for (uint32_t word : h) {
    for (int i = 0; i < 4; ++i) {
      const unsigned byte = word >> (8 * i) & 0xFF;
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

}  // namespace tenantdb::sql
