// Role: what a user may do, from least to most privileged — user, service, dba, system.
//
//   user     reads and writes its own rows of USER and STREAM tables, reads PUBLIC SHARED
//            tables and the SYSTEM tables
//   service  also writes SHARED tables and reads RESTRICTED ones; acts for users
//   dba      also DDL (namespaces, tables, storages, users) and PRIVATE SHARED tables
//   system   everything, including acting as any user
//
// EXECUTE AS USER only goes down: system as anyone, dba as service or user, service as
// user, user as itself (CanActAs). The numeric values are persisted: append only.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/status.h"
#include "tenantdb/role.h"  // Role, RoleName, ParseRole

namespace tenantdb {

// Built-in principals exist without CREATE USER and always have their fixed role, whatever
// the catalog holds: `root` (the administrator the CLI and the tests open sessions as) and
// `system` (the id kept for the engine itself) are both role system. nullopt for any other
// user id. Their ids are reserved (CREATE USER refuses them), so they can never be
// mistaken for plain users, e.g. by EXECUTE AS USER.
inline constexpr std::string_view kRootUserId = "root";
std::optional<Role> BuiltinUserRole(std::string_view user_id);

// Whether a session of role `actor` may run a statement as a user of role `target`
// (`same_user`: the target is the actor itself).
constexpr bool CanActAs(Role actor, Role target, bool same_user) {
  if (same_user) return true;
  if (actor == Role::kSystem) return true;
  return static_cast<uint8_t>(target) < static_cast<uint8_t>(actor);
}
constexpr bool CanWriteShared(Role role) {
  return role >= Role::kService;
}
constexpr bool CanRunDdl(Role role) {
  return role >= Role::kDba;
}
// Whether `role` may see figures that aggregate every user's activity (job details such
// as rows flushed, cache counters): they tell one user about the others' data.
constexpr bool CanSeeAllUsersActivity(Role role) {
  return role >= Role::kDba;
}

}  // namespace tenantdb
