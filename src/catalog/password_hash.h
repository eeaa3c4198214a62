// Password hashing for users' credentials: argon2id (RFC 9106, libargon2) stored as a
// PHC string, "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>" (salt and hash in
// unpadded standard base64), the format libargon2, PHP, Python's argon2-cffi and others
// read. Each hash has its own 16-byte random salt; the parameters travel inside the
// string, so raising them later leaves old hashes verifiable (NeedsRehash says when to
// re-hash at the next successful login).
//
// Verify recomputes the hash with the stored salt and parameters and compares in constant
// time. A stored string that does not parse (or asks for absurd resources: a corrupted or
// planted row must not make one login allocate gigabytes) is an error, never a match.
// The minimum length applies when a password is set (CREATE/ALTER USER), not when one is
// checked, so tightening the policy never locks existing users out.
//
// Lives in catalog/ because the catalog stores the hashes: the engine hashes on CREATE /
// ALTER USER and Database::SetPassword, and verifies in Database::Authenticate. Only
// libargon2 and the kernel's getrandom(2) are needed, so libtenantdb links no TLS library.
//
// Thread safety: a PasswordHasher is immutable; call it from any thread. Cost: Hash and
// Verify each take the configured memory (19 MiB by default) and ~tens of ms of one core;
// run them on a worker thread, never on an I/O thread, and never under a lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tenantdb {

struct PasswordHashParams {
  // Memory per hash in KiB ("m"). OWASP's Password Storage Cheat Sheet (2023-2025):
  // at least 19 MiB with 2 iterations and parallelism 1 for argon2id.
  uint32_t memory_kib = 19 * 1024;
  // Passes over the memory ("t").
  uint32_t iterations = 2;
  // Lanes ("p"). 1: a server hashing for many clients at once gains nothing from more
  // threads per hash.
  uint32_t parallelism = 1;

  bool operator==(const PasswordHashParams&) const = default;

  // OWASP's recommendation above: the production default.
  static constexpr PasswordHashParams Owasp() { return {}; }
  // The cheapest setting libargon2 accepts for one lane (8 KiB would do; 64 KiB keeps a
  // little of the memory-hard shape): for tests only, never for stored credentials.
  static constexpr PasswordHashParams FastForTests() { return {64, 1, 1}; }
};

class PasswordHasher {
 public:
  // PostgreSQL's passwordcheck module uses 8 (and NIST SP 800-63B asks for at least 8).
  static constexpr size_t kDefaultMinLength = 8;
  // Longer passwords are refused so that one request cannot make hashing arbitrarily slow.
  static constexpr size_t kMaxLengthBytes = 1024;
  static constexpr size_t kSaltBytes = 16;
  static constexpr size_t kHashBytes = 32;

  explicit PasswordHasher(PasswordHashParams params = PasswordHashParams::Owasp(),
                          size_t min_length = kDefaultMinLength);

  const PasswordHashParams& params() const { return params_; }
  size_t min_length() const { return min_length_; }

  // OK when `password` may be set: at least min_length characters (UTF-8 code points)
  // and at most kMaxLengthBytes bytes. Error: invalid_password (SQLSTATE 28P01) saying
  // the limit; the message never contains the password.
  Status CheckPolicy(std::string_view password) const;

  // The PHC string for `password` with a fresh random salt. Runs CheckPolicy first.
  Result<std::string> Hash(std::string_view password) const;

  // Whether `password` matches `stored` (a PHC string from Hash). false for a wrong
  // password. Error: data_corrupted when `stored` is not an argon2id PHC string this
  // hasher accepts (the message says why, without echoing the string).
  Result<bool> Verify(std::string_view password, std::string_view stored) const;

  // True when `stored` was hashed with parameters other than this hasher's (or does not
  // parse): re-hash the password after the next successful Verify.
  bool NeedsRehash(std::string_view stored) const;

 private:
  PasswordHashParams params_;
  size_t min_length_;
};

}  // namespace tenantdb
