#include "tables/pg_catalog/pg_roles.h"

#include "tables/pg_catalog/pg_oids.h"

namespace tenantdb {

std::vector<PgRole> VisiblePgRoles(const RequestContext& ctx) {
  std::vector<PgRole> out;
  out.push_back(PgRole{kRootRoleOid, std::string(kRootUserId), Role::kSystem, true});
  if (ctx.system == nullptr || !ctx.system->user_rows) return out;
  const bool all = ctx.role >= Role::kService;
  // Rows are (user_id, role, has_password, created_at), as system.users has them.
  for (const std::vector<Value>& row : ctx.system->user_rows()) {
    const std::string id(row[0].as_bytes());
    if (id == kRootUserId) continue;
    if (!all && (ctx.user == nullptr || id != ctx.user->str())) continue;
    auto role = ParseRole(row[1].as_bytes());
    out.push_back(PgRole{RoleOid(id), id, role.ok() ? *role : Role::kUser,
                         !row[2].is_null() && row[2].as_bool()});
  }
  return out;
}

std::optional<std::string> PgRoleName(const RequestContext& ctx, int64_t oid) {
  for (PgRole& r : VisiblePgRoles(ctx))
    if (r.oid == oid) return std::move(r.name);
  return std::nullopt;
}

}  // namespace tenantdb
