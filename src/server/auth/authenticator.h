// Authenticator: who a request is. It owns the server's token codec (jwt.h, secret from
// token_secret.h) and the failed-login rate limiters (rate_limiter.h) and checks
// passwords and accounts through the public API (tenantdb::Database, account.h).
//
//   Authorization: Bearer <access token>   verified (signature, issuer, expiry, type),
//                                          then its user must still exist with the same
//                                          credentials_version (a password or role
//                                          change revokes it) and the role it names
//   Authorization: Basic base64(user:pw)   Database::Authenticate, unless [auth]
//                                          allow_basic is off
//
// Login issues an access and a refresh token carrying the account's
// credentials_version; Refresh trades a valid, unrevoked refresh token for a new pair
// (the old one is revoked: rotation); Logout revokes a refresh token
// (Database::RevokeToken) until its expiry. Failed logins count against "user:<name>" and
// "addr:<client address>" ([auth] login_attempts_per_minute); past either, logins fail
// with rate_limited before any password is checked.
//
// Errors a caller maps to HTTP: invalid_authorization (401: missing, malformed, tampered,
// expired, alg none, wrong issuer, revoked, stale), invalid_password (401: wrong user or
// password), rate_limited (429).
//
// Thread safety: every method may be called from any thread at once. Ownership: `db` and
// `clock` must outlive the Authenticator. Cost: a bearer check is one HMAC and one catalog
// read; a password check is one argon2id hash (tens of milliseconds, by design); a header
// a connection's AuthenticatedHeader holds, a string compare and two atomic loads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "server/clock.h"
#include "server/config/server_config.h"
#include "tenantdb/account.h"
#include "tenantdb/database.h"
#include "tenantdb/role.h"
#include "tenantdb/status.h"

namespace tenantdb::server {

// Who a request runs as.
struct Principal {
  std::string user;
  Role role = Role::kUser;
};

// What POST /v1/api/auth/login and /refresh answer.
struct LoginResult {
  std::string access_token;
  std::string refresh_token;
  int64_t expires_at = 0;  // the access token's expiry, Unix seconds
  Account account;
};

// What Authenticate concluded from one Authorization header, kept by a caller that will
// likely see the same header again (a keep-alive connection): it answers for that header
// while no account changed (Database::AccountsGeneration) and the clock is before
// `valid_until` (a bearer token's expiry). Not synchronized: one per connection.
struct AuthenticatedHeader {
  std::string authorization;
  Principal principal;
  int64_t valid_until_unix_s = 0;
  uint64_t accounts_generation = 0;
};

class Authenticator {
 public:
  // Reads or generates the signing secret ([auth] jwt_secret, else
  // <config.server.data_dir>/jwt_secret). Errors: config_file_error (a secret file that
  // cannot be used), invalid_argument (a configured secret shorter than 32 bytes).
  static Result<std::unique_ptr<Authenticator>> Create(Database* db, const ServerConfig& config,
                                                       const Clock* clock = &Clock::System());
  ~Authenticator();

  // The principal of a request whose Authorization header is `authorization` (empty when
  // absent: invalid_authorization "authentication required"). With a `memo`, answered
  // from it when it holds for `authorization`, and remembered in it otherwise (a failure
  // clears it): a connection that repeats its header skips the HMAC, the token cache and
  // the account read.
  Result<Principal> Authenticate(std::string_view authorization, std::string_view client_address,
                                 AuthenticatedHeader* memo = nullptr);

  Result<LoginResult> Login(std::string_view user, std::string_view password,
                            std::string_view client_address);
  // One password check, as Basic and Login make it (and the PostgreSQL protocol's
  // cleartext password): rate_limited past the failed-login limits, invalid_password
  // for a wrong user or password (counted against both limits).
  Result<Account> CheckPassword(std::string_view user, std::string_view password,
                                std::string_view client_address);
  // For logins whose password is checked elsewhere (SCRAM over the PostgreSQL protocol),
  // under the same limits: CheckLoginAllowed fails with rate_limited past either limit;
  // RecordLogin counts a failure against both, or forgives the user's after a success.
  Status CheckLoginAllowed(std::string_view user, std::string_view client_address);
  void RecordLogin(std::string_view user, std::string_view client_address, bool succeeded);

  Result<LoginResult> Refresh(std::string_view refresh_token, std::string_view client_address);
  // Revokes `refresh_token` (which must verify: invalid_authorization otherwise).
  Status Logout(std::string_view refresh_token);

  class Impl;

 private:
  explicit Authenticator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// First start: when `root` has no password, sets it to `env_password` (the value of
// TENANTDB_ROOT_PASSWORD) or, when that is empty, to a generated one which is returned so
// the caller prints it once. Returns nullopt when nothing was generated.
Result<std::optional<std::string>> EnsureRootPassword(Database* db, std::string_view env_password);

}  // namespace tenantdb::server
