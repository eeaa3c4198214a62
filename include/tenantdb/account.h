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

}  // namespace tenantdb
