// SCRAM-SHA-256 verifiers (RFC 5802, RFC 7677): what a server must keep of a password to
// check a SCRAM login (the PostgreSQL wire protocol's authentication) without keeping the
// password itself. Stored next to the argon2id hash whenever a password is set (accounts.h).
//
//   SaltedPassword = PBKDF2-HMAC-SHA-256(password, salt, iterations)
//   StoredKey      = SHA-256(HMAC(SaltedPassword, "Client Key"))
//   ServerKey      = HMAC(SaltedPassword, "Server Key")
//
// Text form, PostgreSQL's (pg_authid.rolpassword), so the values mean the same to anyone
// reading them: "SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>", each byte
// string in padded standard base64.
//
// The password is used as given (UTF-8). PostgreSQL applies SASLprep first; for ASCII
// passwords (and every password without characters SASLprep maps) the result is equal.
//
// Thread safety: pure functions. Cost: MakeScramVerifier runs `iterations` HMACs
// (4096: ~2 ms of one core); run it where password hashes run, never on an I/O thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tenantdb {

struct ScramSecret {
  std::string salt;  // raw bytes
  uint32_t iterations = 0;
  std::string stored_key;  // 32 raw bytes
  std::string server_key;  // 32 raw bytes
};

// PostgreSQL's default iteration count (scram_iterations).
inline constexpr uint32_t kScramIterations = 4096;

// The secret for `password` with `salt` and `iterations` (the RFC 7677 test vector is
// computed with this).
ScramSecret DeriveScramSecret(std::string_view password, std::string_view salt,
                              uint32_t iterations);

// The text form of a verifier for `password` with a fresh random 16-byte salt.
// Error: internal (the system's random generator failed).
Result<std::string> MakeScramVerifier(std::string_view password,
                                      uint32_t iterations = kScramIterations);

std::string FormatScramVerifier(const ScramSecret& secret);
// nullopt when `text` is not a verifier in the text form above (bounded: at most
// 1,000,000 iterations and 1 KiB of salt, so a planted value cannot make a login spin).
std::optional<ScramSecret> ParseScramVerifier(std::string_view text);

}  // namespace tenantdb
