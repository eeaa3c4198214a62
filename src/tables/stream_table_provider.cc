#include "tables/stream_table_provider.h"

#include "tables/stored_statistics.h"
#include "tables/user_table_provider.h"

namespace tenantdb {

Status StreamTableProvider::CheckRead(const RequestContext& ctx) const {
  return RequireUser(ctx, *this);
}

Status StreamTableProvider::CheckWrite(const RequestContext& ctx) const {
  return RequireUser(ctx, *this);
}

TableStatistics StreamTableProvider::EstimateStatistics(const RequestContext& ctx) const {
  return StoredStatistics(*this, ctx, RowOwner(ctx));
}

}  // namespace tenantdb
