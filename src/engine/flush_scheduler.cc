#include "engine/flush_scheduler.h"

#include <algorithm>
#include <vector>

namespace tenantdb {

FlushScheduler::FlushScheduler(SchemaCache* cache, TableStore* store, const Clock* clock)
    : cache_(cache), store_(store), clock_(clock) {}

void FlushScheduler::RecordWrites(const TableEntry& table, uint64_t rows) {
  if (rows == 0 || table.flush_policy().empty()) return;
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = pending_.try_emplace(table.table_number());
  if (inserted) {
    it->second.id = table.id();
    it->second.since_micros = clock_->MonotonicMicros();
  }
  it->second.rows += rows;
}

void FlushScheduler::Flushed(const TableEntry& table) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_.erase(table.table_number());
  }
  if (on_flushed_) on_flushed_(table);
}

Status FlushScheduler::CountRowsFromBeforeOpen() {
  TDB_ASSIGN_OR_RETURN(auto counts, store_->CountHotRows());
  const int64_t now = clock_->MonotonicMicros();
  for (auto& [id, rows] : counts) {
    auto entry = cache_->Get(id);
    if (!entry.ok()) {
      if (entry.status().code() == ErrorCode::kNotFound) continue;  // dropped meanwhile
      return entry.status();
    }
    if ((*entry)->flush_policy().empty() || (*entry)->type() == TableType::kStream) continue;
    std::lock_guard<std::mutex> lock(mu_);
    auto [it, inserted] = pending_.try_emplace((*entry)->table_number());
    if (inserted) {
      it->second.id = id;
      it->second.since_micros = now;
    }
    // Writes recorded since the open are among the rows just counted (if still hot), so
    // the larger figure is the better one; adding would count them twice.
    it->second.rows = std::max(it->second.rows, rows);
  }
  return Status::Ok();
}

Result<std::string> FlushScheduler::CheckAndFlush() {
  if (!counted_stored_rows_.load(std::memory_order_acquire)) {
    std::lock_guard<std::mutex> once(count_mu_);
    if (!counted_stored_rows_.load(std::memory_order_relaxed)) {
      TDB_RETURN_IF_ERROR(CountRowsFromBeforeOpen());
      counted_stored_rows_.store(true, std::memory_order_release);
    }
  }
  const int64_t now = clock_->MonotonicMicros();
  std::vector<std::pair<uint32_t, Pending>> due;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [number, p] : pending_)
      due.emplace_back(number, p);
  }
  Status first_error;
  size_t flushed_tables = 0, flushed_rows = 0;
  for (const auto& [number, p] : due) {
    auto entry = cache_->Get(p.id);
    if (!entry.ok() || (*entry)->table_number() != number) {
      if (!entry.ok() && entry.status().code() != ErrorCode::kNotFound) {
        if (first_error.ok()) first_error = entry.status();
        continue;
      }
      // Dropped (or dropped and re-created under a new number): nothing left to flush.
      std::lock_guard<std::mutex> lock(mu_);
      pending_.erase(number);
      continue;
    }
    const FlushPolicy policy = (*entry)->flush_policy();
    const bool by_rows = policy.rows != 0 && p.rows >= policy.rows;
    const bool by_time = policy.interval_seconds != 0 &&
                         now - p.since_micros >= int64_t{policy.interval_seconds} * 1'000'000;
    if (!by_rows && !by_time) continue;
    {
      // Writes from here on count toward the next flush.
      std::lock_guard<std::mutex> lock(mu_);
      pending_.erase(number);
    }
    auto stats = store_->Flush(**entry);
    if (!stats.ok()) {
      if (first_error.ok()) first_error = stats.status();
      continue;
    }
    ++flushed_tables;
    flushed_rows += stats->rows;
    if (on_flushed_) on_flushed_(**entry);
  }
  // Row counts changed by writes (not only flushes) become durable here, at most every
  // TableStatisticsStore::kCheckpointPeriodMicros.
  if (Status s = store_->statistics().CheckpointIfDue(); !s.ok() && first_error.ok()) {
    first_error = s;
  }
  if (!first_error.ok()) return first_error;
  if (flushed_tables == 0) return std::string();  // not recorded: see JobRunner
  return "flushed " + std::to_string(flushed_tables) + " tables, " + std::to_string(flushed_rows) +
         " rows";
}

}  // namespace tenantdb
