// tenantdb/role.h: what a user may do, from least to most privileged (public API).
//
//   user     reads and writes its own rows of USER and STREAM tables, reads PUBLIC SHARED
//            tables and the SYSTEM tables
//   service  also writes SHARED tables and reads RESTRICTED ones; acts for users
//   dba      also DDL (namespaces, tables, storages, users) and PRIVATE SHARED tables
//   system   everything, including acting as any user
//
// A Session runs every statement as one user with one Role (Database::Connect).
// Thread safety: a value. The numeric values are persisted: append only.
#pragma once

#include <cstdint>
#include <string_view>

#include "tenantdb/status.h"

namespace tenantdb {

enum class Role : uint8_t { kUser = 1, kService = 2, kDba = 3, kSystem = 4 };

// "user", "service", "dba", "system": the names SQL (ROLE r), tokens and APIs use.
std::string_view RoleName(Role role);
// The role named `text`, case-insensitively. Error invalid_argument naming the roles.
Result<Role> ParseRole(std::string_view text);

}  // namespace tenantdb
