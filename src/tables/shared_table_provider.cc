#include "tables/shared_table_provider.h"

#include <string>

#include "tables/stored_statistics.h"

namespace tenantdb {

namespace {

Role ReadRole(AccessLevel level) {
  switch (level) {
    case AccessLevel::kPublic:
      return Role::kUser;
    case AccessLevel::kRestricted:
      return Role::kService;
    case AccessLevel::kPrivate:
      return Role::kDba;
  }
  return Role::kSystem;
}

Status Denied(const TableEntry& table, const RequestContext& ctx, std::string_view what) {
  return Status(ErrorCode::kInsufficientPrivilege,
                "permission denied to " + std::string(what) + " " +
                    std::string(AccessLevelName(table.access_level())) + " shared table " +
                    table.id().ToString() + " as role " + std::string(RoleName(ctx.role)));
}

}  // namespace

Status SharedTableProvider::CheckRead(const RequestContext& ctx) const {
  if (ctx.role < ReadRole(access_level())) return Denied(*this, ctx, "read");
  return Status::Ok();
}

Status SharedTableProvider::CheckWrite(const RequestContext& ctx) const {
  const Role needed = std::max(Role::kService, ReadRole(access_level()));
  if (ctx.role < needed) return Denied(*this, ctx, "write");
  return Status::Ok();
}

TableStatistics SharedTableProvider::EstimateStatistics(const RequestContext& ctx) const {
  return StoredStatistics(*this, ctx, RowOwner(ctx));
}

}  // namespace tenantdb
