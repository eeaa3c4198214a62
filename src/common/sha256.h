// SHA-256 and HMAC-SHA-256 (OpenSSL) over byte strings: the primitives SCRAM-SHA-256
// (RFC 5802/7677) and HS256 tokens (RFC 7519) are built from.
//
// Thread safety: pure functions. Cost: one OpenSSL call each; no allocation beyond the
// 32-byte result.
#pragma once

#include <string>
#include <string_view>

namespace tenantdb {

// The 32-byte SHA-256 digest of `data`.
std::string Sha256(std::string_view data);

// The 32-byte HMAC-SHA-256 of `data` under `key`; empty only if OpenSSL failed (allocation),
// which matches no MAC a caller compares with.
std::string HmacSha256(std::string_view key, std::string_view data);

}  // namespace tenantdb
