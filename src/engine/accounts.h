// Accounts: users' credentials and revoked tokens, over the persistent catalog. What
// CREATE / ALTER USER hash passwords with, and what the public Database's account methods
// (Authenticate, FindAccount, SetPassword, RevokeToken, IsTokenRevoked) run.
//
// Passwords are hashed (argon2id, catalog/password_hash.h) here, outside every catalog
// lock: the catalog only ever sees and stores hashes. Authenticate costs one hash
// whatever happens — an unknown user, a user without a password and a wrong password
// are verified against a dummy hash and fail alike — so neither the answer nor its
// timing tells a caller which user names exist; the hash comparison is constant-time.
//
// Thread safety: every method may be called from any thread. Ownership: the catalog must
// outlive the Accounts. Cost: Authenticate / SetPassword / HashPassword take one
// argon2id hash (tens of milliseconds with the default parameters); the rest are one or
// two catalog reads or writes.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "catalog/password_hash.h"
#include "catalog/persistent_catalog.h"
#include "tenantdb/account.h"
#include "tenantdb/clock.h"

namespace tenantdb {

class Accounts {
 public:
  struct Options {
    // Shortest password a user may set, in characters (Database::Options).
    size_t min_password_length = PasswordHasher::kDefaultMinLength;
    // argon2id cost; OWASP's recommendation unless a test asks for less.
    PasswordHashParams hash_params = PasswordHashParams::Owasp();
    // Revoked tokens' expiry reads its wall clock. Must outlive the Accounts.
    const Clock* clock = &Clock::System();
  };

  Accounts(PersistentCatalog* catalog, Options options);

  // The stored form of `password`: its argon2id PHC string, a space, and its SCRAM-SHA-256
  // verifier (catalog/scram_verifier.h), so the PostgreSQL protocol can check it too.
  // Error: invalid_password (shorter than the minimum, or longer than
  // PasswordHasher::kMaxLengthBytes).
  Result<std::string> HashPassword(std::string_view password) const;

  // See Database::Authenticate: invalid_password alike for every failure.
  Result<Account> Authenticate(std::string_view user, std::string_view password) const;
  // nullopt when no such user was created (`root` always exists).
  Result<std::optional<Account>> Find(std::string_view user) const;
  // See Database::AccountsGeneration.
  uint64_t Generation() const;
  // See Database::FindScramCredentials.
  Result<std::optional<ScramCredentials>> FindScram(std::string_view user) const;
  // Errors: not_found, invalid_password, reserved_name (`system`), read_only.
  Status SetPassword(std::string_view user, std::string_view password);

  Status RevokeToken(std::string_view token_id, int64_t expires_at_unix_s);
  Result<bool> IsTokenRevoked(std::string_view token_id) const;
  // Drops revoked-token entries past their expiry; a periodic job runs it. "" when
  // there were none (not recorded; see JobRunner).
  Result<std::string> PruneRevokedTokens();

  static Account ToAccount(const UserId& user, const UserRecord& record);

 private:
  // A hash of a password nobody has, with this hasher's parameters: what Authenticate
  // verifies against when there is no stored hash, so every failure costs the same.
  const std::string& DummyHash() const;

  PersistentCatalog* const catalog_;
  const PasswordHasher hasher_;
  const Clock* const clock_;
  mutable std::once_flag dummy_once_;
  mutable std::string dummy_hash_;
};

}  // namespace tenantdb
