#include "storage/table_statistics_store.h"

namespace tenantdb {

TableStatisticsStore::TableStatisticsStore(PersistentCatalog* catalog, RowCounts* counts,
                                           const Clock* clock)
    : catalog_(catalog), counts_(counts), clock_(clock) {}

Status TableStatisticsStore::LoadBase(uint32_t table_number) {
  TDB_ASSIGN_OR_RETURN(std::optional<TableStatsRecord> record,
                       catalog_->ReadTableStats(table_number));
  if (!record.has_value()) {
    // A table made before statistics existed (or just dropped): unknown until ANALYZE.
    counts_->Base(table_number, -1, -1);
    return Status::Ok();
  }
  if (record->analyzed_us != 0) {
    std::lock_guard<std::mutex> lock(analyzed_mu_);
    // An Install that ran meanwhile holds newer figures: keep them.
    analyzed_.try_emplace(table_number,
                          std::make_shared<const TableStatsRecord>(std::move(*record)));
    const TableStatsRecord& r = *analyzed_.at(table_number);
    counts_->Base(table_number, r.rows, r.users);
    return Status::Ok();
  }
  counts_->Base(table_number, record->rows, record->users);
  return Status::Ok();
}

Result<TableStatisticsStore::Estimate> TableStatisticsStore::Get(const TableEntry& table,
                                                                 const UserId* user) {
  const uint32_t n = table.table_number();
  const std::string_view user_part =
      user != nullptr && IsPerUser(table.type()) ? user->str() : std::string_view();
  std::optional<RowCounts::Figures> figures = counts_->Get(n, user_part);
  if (!figures.has_value()) {
    TDB_RETURN_IF_ERROR(LoadBase(n));
    figures = counts_->Get(n, user_part);
  }
  Estimate out;
  if (figures.has_value()) out.counts = *figures;
  std::lock_guard<std::mutex> lock(analyzed_mu_);
  if (auto it = analyzed_.find(n); it != analyzed_.end()) out.analyzed = it->second;
  return out;
}

Status TableStatisticsStore::Checkpoint() {
  std::lock_guard<std::mutex> write(write_mu_);
  last_checkpoint_micros_.store(clock_->MonotonicMicros(), std::memory_order_relaxed);
  std::vector<uint32_t> unbased;
  std::vector<std::pair<uint32_t, RowCounts::Figures>> dirty = counts_->TakeDirty(&unbased);
  if (!unbased.empty()) {
    // Written but never asked about: their stored base comes first, then their counts.
    for (uint32_t n : unbased) {
      Status s = LoadBase(n);
      if (!s.ok()) {
        for (const auto& [table, f] : dirty)
          counts_->MarkDirty(table);
        return s;
      }
    }
    std::vector<std::pair<uint32_t, RowCounts::Figures>> more = counts_->TakeDirty(nullptr);
    dirty.insert(dirty.end(), more.begin(), more.end());
  }
  if (dirty.empty()) return Status::Ok();
  const int64_t now = clock_->NowUnixMicros();
  std::vector<std::pair<uint32_t, TableStatsRecord>> records;
  records.reserve(dirty.size());
  {
    std::lock_guard<std::mutex> lock(analyzed_mu_);
    for (const auto& [n, f] : dirty) {
      TableStatsRecord r;
      // The columns of the last ANALYZE stay in the record.
      if (auto it = analyzed_.find(n); it != analyzed_.end()) r = *it->second;
      r.rows = f.rows;
      r.users = f.users;
      r.counted_us = now;
      records.emplace_back(n, std::move(r));
    }
  }
  Status s = catalog_->WriteTableStats(records);
  if (!s.ok()) {
    for (const auto& [n, f] : dirty)
      counts_->MarkDirty(n);
  }
  return s;
}

Status TableStatisticsStore::CheckpointIfDue() {
  const int64_t now = clock_->MonotonicMicros();
  if (now - last_checkpoint_micros_.load(std::memory_order_relaxed) < kCheckpointPeriodMicros) {
    return Status::Ok();
  }
  return Checkpoint();
}

Status TableStatisticsStore::AfterFlush(const TableEntry& table) {
  const uint32_t n = table.table_number();
  if (!counts_->HasBase(n)) TDB_RETURN_IF_ERROR(LoadBase(n));
  if (IsPerUser(table.type())) {
    // Every user with hot rows now has a manifest: the manifests name the users holding
    // rows (a user whose rows were all deleted still counts until ANALYZE). RowCounts
    // ignores the figure while its own slices are exact.
    std::optional<RowCounts::Figures> f = counts_->Get(n, "");
    if (f.has_value() && f->known) {
      TDB_ASSIGN_OR_RETURN(std::vector<UserId> users, catalog_->ListManifestUsers(n));
      counts_->SetUsers(n, static_cast<int64_t>(users.size()));
    }
  }
  return Checkpoint();
}

Status TableStatisticsStore::Install(const TableEntry& table, TableStatsRecord record,
                                     std::vector<std::pair<std::string, int64_t>> slices) {
  std::lock_guard<std::mutex> write(write_mu_);
  const uint32_t n = table.table_number();
  counts_->Reset(n, record.rows, std::move(slices), IsPerUser(table.type()));
  if (std::optional<RowCounts::Figures> f = counts_->Get(n, ""); f.has_value()) {
    record.users = IsPerUser(table.type()) ? f->users : -1;
  }
  record.counted_us = clock_->NowUnixMicros();
  auto shared = std::make_shared<const TableStatsRecord>(std::move(record));
  {
    std::lock_guard<std::mutex> lock(analyzed_mu_);
    analyzed_[n] = shared;
  }
  return catalog_->WriteTableStats({{n, *shared}});
}

void TableStatisticsStore::Forget(uint32_t table_number) {
  std::lock_guard<std::mutex> lock(analyzed_mu_);
  analyzed_.erase(table_number);
}

}  // namespace tenantdb
