#include "tables/stream_table_provider.h"

#include "tables/user_table_provider.h"

namespace tenantdb {

Status StreamTableProvider::CheckRead(const RequestContext& ctx) const {
  return RequireUser(ctx, *this);
}

Status StreamTableProvider::CheckWrite(const RequestContext& ctx) const {
  return RequireUser(ctx, *this);
}

}  // namespace tenantdb
