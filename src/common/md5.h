// MD5 (RFC 1321): the digest the sqllogictest format uses for "N values hashing to
// <md5>" results, and the one behind SQL's md5(text) function.
//
// Not for security: MD5 is broken as a cryptographic hash; use it only where a format
// or PostgreSQL compatibility asks for it. Thread safety: pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace tenantdb {

// The 16-byte digest of `data`.
std::array<uint8_t, 16> Md5(std::string_view data);

// The digest of `data` as 32 lower-case hex digits, as PostgreSQL's md5() prints it.
std::string Md5Hex(std::string_view data);

}  // namespace tenantdb
