// StreamTableProvider: a STREAM table — per-user rows like a USER table, append-mostly,
// that expire TTL_SECONDS after they were written: reads hide them at once
// (TableStore::ReadRows) and the TTL job removes them. Never flushed to Parquet.
// Thread safety: immutable; see table_provider.h.
#pragma once

#include "tables/table_provider.h"

namespace tenantdb {

class StreamTableProvider final : public TableProvider {
 public:
  using TableProvider::TableProvider;
  Status CheckRead(const RequestContext& ctx) const override;
  Status CheckWrite(const RequestContext& ctx) const override;
  // The stored counts and ANALYZE's figures (tables/stored_statistics.h).
  TableStatistics EstimateStatistics(const RequestContext& ctx) const override;
};

}  // namespace tenantdb
