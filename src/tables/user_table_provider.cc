#include "tables/user_table_provider.h"

#include "tables/stored_statistics.h"

namespace tenantdb {

Status RequireUser(const RequestContext& ctx, const TableEntry& table) {
  if (ctx.user == nullptr || ctx.user->empty()) {
    return Status(ErrorCode::kInsufficientPrivilege,
                  "table " + table.id().ToString() + " holds per-user rows; connect as a user");
  }
  return Status::Ok();
}

Status UserTableProvider::CheckRead(const RequestContext& ctx) const {
  return RequireUser(ctx, *this);
}

Status UserTableProvider::CheckWrite(const RequestContext& ctx) const {
  return RequireUser(ctx, *this);
}

TableStatistics UserTableProvider::EstimateStatistics(const RequestContext& ctx) const {
  return StoredStatistics(*this, ctx, RowOwner(ctx));
}

}  // namespace tenantdb
