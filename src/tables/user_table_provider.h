// UserTableProvider: a USER table — one definition, a private row set per user.
//
// Every call touches the rows of ctx.user only (the hot store's key range for that user
// and that user's cold directory); a user cannot name another user's rows. Privileged
// roles reach another user's rows only through EXECUTE AS USER, which makes that user
// the request's ctx.user. Any role may read and write its own rows.
// Thread safety: immutable; see table_provider.h.
#pragma once

#include "tables/table_provider.h"

namespace tenantdb {

class UserTableProvider final : public TableProvider {
 public:
  using TableProvider::TableProvider;
  Status CheckRead(const RequestContext& ctx) const override;
  Status CheckWrite(const RequestContext& ctx) const override;
  // The stored counts and ANALYZE's figures (tables/stored_statistics.h).
  TableStatistics EstimateStatistics(const RequestContext& ctx) const override;
};

// The check both per-user providers share: the request must name a user.
Status RequireUser(const RequestContext& ctx, const TableEntry& table);

}  // namespace tenantdb
