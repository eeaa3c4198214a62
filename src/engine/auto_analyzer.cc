#include "engine/auto_analyzer.h"

#include <cstdlib>
#include <utility>
#include <vector>

#include "storage/table_analyzer.h"

namespace tenantdb {

AutoAnalyzer::AutoAnalyzer(SchemaCache* cache, TableStore* store, const PersistentCatalog* catalog,
                           const Clock* clock, std::function<void()> statistics_changed)
    : cache_(cache),
      store_(store),
      catalog_(catalog),
      clock_(clock),
      statistics_changed_(std::move(statistics_changed)) {}

void AutoAnalyzer::Flushed(const TableEntry& table) {
  std::lock_guard<std::mutex> lock(mu_);
  flushed_.insert_or_assign(table.table_number(), table.id());
}

bool AutoAnalyzer::Due(int64_t rows, int64_t analyzed_rows) {
  if (rows < 0) return false;  // unknown: nothing to compare
  const int64_t base = analyzed_rows < 0 ? 0 : analyzed_rows;
  const double moved = static_cast<double>(std::llabs(rows - base));
  return moved > static_cast<double>(kThresholdRows) + kScaleFactor * static_cast<double>(base);
}

Result<std::string> AutoAnalyzer::AnalyzeDue() {
  absl::flat_hash_map<uint32_t, TableId> candidates;
  {
    std::lock_guard<std::mutex> lock(mu_);
    candidates.swap(flushed_);
  }
  Status first_error;
  std::vector<std::string> analyzed;
  for (const auto& [number, id] : candidates) {
    auto entry = cache_->Get(id);
    if (!entry.ok() || (*entry)->table_number() != number) {
      if (!entry.ok() && entry.status().code() != ErrorCode::kNotFound && first_error.ok()) {
        first_error = entry.status();
      }
      continue;  // dropped (or re-created under a new number) meanwhile
    }
    const TableEntry& table = **entry;
    if (table.type() == TableType::kSystem) continue;
    auto estimate = store_->statistics().Get(table, nullptr);
    if (!estimate.ok()) {
      if (first_error.ok()) first_error = estimate.status();
      continue;
    }
    if (!estimate->counts.known) continue;
    const int64_t analyzed_rows =
        estimate->analyzed != nullptr ? estimate->analyzed->analyzed_rows : -1;
    if (!Due(estimate->counts.rows, analyzed_rows)) continue;
    auto analysis = AnalyzeTable(*store_, *catalog_, table, clock_->NowUnixMicros());
    if (!analysis.ok()) {
      if (first_error.ok()) first_error = analysis.status();
      continue;
    }
    const int64_t rows = analysis->record.rows;
    Status installed = store_->statistics().Install(table, std::move(analysis->record),
                                                    std::move(analysis->slices));
    if (!installed.ok()) {
      if (first_error.ok()) first_error = installed;
      continue;
    }
    analyzed.push_back(table.id().ToString() + " (" + std::to_string(rows) + " rows)");
  }
  if (!analyzed.empty() && statistics_changed_) statistics_changed_();
  if (!first_error.ok()) return first_error;
  if (analyzed.empty()) return std::string();  // not recorded: see JobRunner
  std::string summary = "analyzed";
  for (size_t i = 0; i < analyzed.size(); ++i)
    summary += (i == 0 ? " " : ", ") + analyzed[i];
  return summary;
}

}  // namespace tenantdb
