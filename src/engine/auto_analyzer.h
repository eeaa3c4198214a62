// AutoAnalyzer: keeps the planner's per-column statistics (distinct values, NULL
// fraction, min / max) current without a manual ANALYZE, as PostgreSQL's autovacuum
// does. A table whose live row count has moved by more than
// kThresholdRows + kScaleFactor × (the rows its last ANALYZE read) — PostgreSQL's
// autovacuum_analyze_threshold (50) and autovacuum_analyze_scale_factor (0.1) — is
// analyzed again (storage/table_analyzer.h) by the background "analyze" job; a table
// never analyzed, once it holds more than kThresholdRows rows.
//
// Candidates are the tables flushed since the last check (FlushScheduler reports every
// flush, automatic or STORAGE FLUSH TABLE): a flush is when a table's rows settle, and
// looking only at those leaves a database of 100,000 idle tables untouched. Row counts
// themselves are kept on every write (storage/hot/row_counts.h); only the column figures
// wait for this.
//
// Thread safety: Flushed may be called from any thread; AnalyzeDue from one job thread.
// Cost: one read of each due table (ANALYZE's pass), off the statement path.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "catalog/persistent_catalog.h"
#include "catalog/schema_cache.h"
#include "storage/table_store.h"
#include "tenantdb/clock.h"

namespace tenantdb {

class AutoAnalyzer {
 public:
  static constexpr int64_t kThresholdRows = 50;
  static constexpr double kScaleFactor = 0.1;

  // `statistics_changed` runs after a check that installed new figures (the engine bumps
  // its schema epoch so cached plans bind again). Every pointer must outlive this.
  AutoAnalyzer(SchemaCache* cache, TableStore* store, const PersistentCatalog* catalog,
               const Clock* clock, std::function<void()> statistics_changed);

  // `table` was flushed: check it at the next AnalyzeDue.
  void Flushed(const TableEntry& table);
  // Analyzes the flushed tables that are due; a summary for the job record, empty when
  // none was. Errors of one table do not stop the others; the first is returned.
  Result<std::string> AnalyzeDue();

  // Whether a table of `rows` live rows, last analyzed over `analyzed_rows` (< 0: never),
  // is due.
  static bool Due(int64_t rows, int64_t analyzed_rows);

 private:
  SchemaCache* cache_;
  TableStore* store_;
  const PersistentCatalog* catalog_;
  const Clock* clock_;
  std::function<void()> statistics_changed_;
  std::mutex mu_;
  absl::flat_hash_map<uint32_t, TableId> flushed_;  // by table number; guarded by mu_
};

}  // namespace tenantdb
