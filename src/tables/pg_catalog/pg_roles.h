// The users PostgreSQL tools see as roles (pg_roles, pg_user, pg_get_userbyid): the
// catalog's users plus the built-in root, with OIDs from pg_oids.h. Visibility follows
// system.users: role user sees itself and root (whom every object names as owner);
// service and above see every user.
// Thread safety: pure functions over thread-safe sources.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tables/request_context.h"

namespace tenantdb {

struct PgRole {
  int64_t oid = 0;
  std::string name;
  Role role = Role::kUser;
  bool can_login = false;  // has a password (root always may log in)
};

std::vector<PgRole> VisiblePgRoles(const RequestContext& ctx);
// The name of the visible role with `oid`, or nullopt.
std::optional<std::string> PgRoleName(const RequestContext& ctx, int64_t oid);

}  // namespace tenantdb
