// StoredStatistics: TableProvider::EstimateStatistics of the tables that store rows
// (USER, SHARED, STREAM) — the storage layer's figures (storage/table_statistics_store.h)
// shaped as the planner's TableStatistics (tables/table_statistics.h).
//
//   rows        SHARED: the table's live rows. USER / STREAM: the request user's slice
//               when it is counted exactly, else the average slice (table_rows / users)
//               plus that user's changes since the process opened.
//   table_rows  every user's live rows; users: users holding rows (per-user tables).
//   columns     ANALYZE's figures, mapped by column id onto the current layout (a column
//               added since is unknown); distinct values capped at `rows`.
//
// Cost: TableStatisticsStore::Get (hash lookups; one catalog read the first time a table
// is seen) and a copy of the per-column figures. Failures read as "unknown".
// Thread safety: a pure function of its arguments and the thread-safe store.
#pragma once

#include "catalog/table_entry.h"
#include "tables/request_context.h"
#include "tables/table_statistics.h"

namespace tenantdb {

// `owner`: the user whose slice the request reads (null for SHARED tables).
TableStatistics StoredStatistics(const TableEntry& table, const RequestContext& ctx,
                                 const UserId* owner);

}  // namespace tenantdb
