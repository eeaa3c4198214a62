// AnalyzeTable: ANALYZE's pass over one table — every live row of every user (hot and
// flushed, merged as any read is), counting rows per user slice and feeding each column
// into a ColumnSketch (storage/column_sketch.h): NULL fraction, min / max, distinct
// values. The caller stores the result (TableStatisticsStore::Install).
//
// Users of a per-user table are those with hot versions (HotStore::ListUsers) or a flush
// manifest (PersistentCatalog::ListManifestUsers). Rows are read, not sampled: the
// counts are then exact and min / max true bounds; the cost is one read of the table
// (O(rows) time; memory: one batch plus 16 KiB per column). `check` (when set) runs
// between batches, so a cancelled statement stops the pass.
//
// Thread safety: reads only; may run beside writes (rows written meanwhile may or may
// not be counted — estimates).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "catalog/persistent_catalog.h"
#include "catalog/table_entry.h"
#include "catalog/table_stats_record.h"
#include "storage/table_store.h"

namespace tenantdb {

struct TableAnalysis {
  TableStatsRecord record;  // rows, users, analyzed_us / analyzed_rows, columns by id
  // Live rows per user (USER / STREAM tables; users without live rows left out).
  std::vector<std::pair<std::string, int64_t>> slices;
};

// Errors: those of the reads; whatever `check` returns.
Result<TableAnalysis> AnalyzeTable(TableStore& store, const PersistentCatalog& catalog,
                                   const TableEntry& table, int64_t now_micros,
                                   const std::function<Status()>& check = {});

}  // namespace tenantdb
