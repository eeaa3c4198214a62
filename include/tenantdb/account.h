// tenantdb/account.h: a user's account as authentication sees it (public API).
//
// Users are created with SQL (CREATE USER 'alice' WITH PASSWORD '...' ROLE user, ALTER
// USER, DROP USER) and stored in the catalog with an argon2id hash of the password, never
// the password itself. The built-in `root` (role system) always exists; it has no
// password until one is set (Database::SetPassword, `tenantdb user set-password root`).
//
// credentials_version changes whenever the user's password or role changes and when the
// user is dropped and created again: tokens carry the version they were issued under, so
// such a change revokes every token issued before it.
//
// Thread safety: a value.
#pragma once

#include <cstdint>
#include <string>

#include "tenantdb/role.h"

namespace tenantdb {

struct Account {
  std::string user;  // the user id
  Role role = Role::kUser;
  bool has_password = false;
  uint64_t credentials_version = 0;

  bool operator==(const Account&) const = default;
};

// What a SCRAM-SHA-256 login (RFC 5802 / 7677; the PostgreSQL protocol's) checks a
// password against: stored beside the argon2id hash each time a password is set, so a
// password set before tenantdb stored these has none until it is set again.
struct ScramCredentials {
  std::string salt;  // raw bytes
  uint32_t iterations = 0;
  std::string stored_key;  // SHA-256(HMAC(SaltedPassword, "Client Key")), 32 bytes
  std::string server_key;  // HMAC(SaltedPassword, "Server Key"), 32 bytes
};

}  // namespace tenantdb
