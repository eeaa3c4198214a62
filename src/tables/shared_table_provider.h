// SharedTableProvider: a SHARED table — one row set for everyone, guarded by its
// ACCESS_LEVEL:
//
//   PUBLIC      every role reads; service, dba and system write
//   RESTRICTED  service, dba and system read and write
//   PRIVATE     dba and system read and write
//
// Thread safety: immutable; see table_provider.h.
#pragma once

#include "tables/table_provider.h"

namespace tenantdb {

class SharedTableProvider final : public TableProvider {
 public:
  using TableProvider::TableProvider;
  Status CheckRead(const RequestContext& ctx) const override;
  Status CheckWrite(const RequestContext& ctx) const override;
  // The stored counts and ANALYZE's figures (tables/stored_statistics.h).
  TableStatistics EstimateStatistics(const RequestContext& ctx) const override;
};

}  // namespace tenantdb
