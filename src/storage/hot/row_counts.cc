#include "storage/hot/row_counts.h"

#include <algorithm>
#include <cassert>

namespace tenantdb {

int64_t RowCounts::CountPositive(const Entry& e) {
  int64_t n = 0;
  for (const auto& [user, rows] : e.slices)
    n += rows > 0 ? 1 : 0;
  return n;
}

void RowCounts::Add(uint32_t table, std::string_view user, int64_t delta) {
  if (delta == 0) return;
  Shard& shard = ShardOf(table);
  std::lock_guard<std::mutex> lock(shard.mu);
  std::unique_ptr<Entry>& slot = shard.tables[table];
  if (slot == nullptr) slot = std::make_unique<Entry>();
  Entry& e = *slot;
  e.rows += delta;
  e.dirty = true;
  if (user.empty()) return;
  auto it = e.slices.find(absl::string_view(user.data(), user.size()));
  if (it == e.slices.end()) {
    if (e.slices.size() >= kMaxSlices) {
      // Too many users to track: from here on slices are estimated from the average.
      // The user count stays what it was (a flush or ANALYZE counts again).
      e.slices_exact = false;
      e.slices.clear();
      e.slices.rehash(0);
      return;
    }
    it = e.slices.emplace(std::string(user), 0).first;
  }
  const int64_t before = it->second;
  it->second += delta;
  if (e.slices_exact) {
    if (before <= 0 && it->second > 0) ++e.users;
    if (before > 0 && it->second <= 0) --e.users;
    assert(e.users >= 0);
  }
}

bool RowCounts::HasBase(uint32_t table) const {
  const Shard& shard = ShardOf(table);
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.tables.find(table);
  return it != shard.tables.end() && it->second->based;
}

void RowCounts::Base(uint32_t table, int64_t rows, int64_t users) {
  Shard& shard = ShardOf(table);
  std::lock_guard<std::mutex> lock(shard.mu);
  std::unique_ptr<Entry>& slot = shard.tables[table];
  if (slot == nullptr) slot = std::make_unique<Entry>();
  Entry& e = *slot;
  if (e.based) return;
  e.based = true;
  e.known = rows >= 0;
  if (!e.known) return;
  e.rows += rows;
  if (rows == 0 && users == 0) {
    // Empty when stored: every row since is counted here, slice by slice.
    e.slices_exact = true;
    e.users = CountPositive(e);
  } else {
    e.users = users;
  }
}

void RowCounts::Reset(uint32_t table, int64_t rows,
                      std::vector<std::pair<std::string, int64_t>> slices, bool per_user) {
  Shard& shard = ShardOf(table);
  std::lock_guard<std::mutex> lock(shard.mu);
  std::unique_ptr<Entry>& slot = shard.tables[table];
  slot = std::make_unique<Entry>();
  Entry& e = *slot;
  e.based = true;
  e.known = true;
  e.dirty = true;
  e.rows = rows;
  if (!per_user) return;
  e.users = 0;
  for (const auto& [user, n] : slices)
    e.users += n > 0 ? 1 : 0;
  if (slices.size() <= kMaxSlices) {
    e.slices_exact = true;
    e.slices.reserve(slices.size());
    for (auto& [user, n] : slices)
      e.slices.emplace(std::move(user), n);
  }
}

void RowCounts::SetUsers(uint32_t table, int64_t users) {
  Shard& shard = ShardOf(table);
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.tables.find(table);
  if (it == shard.tables.end()) return;
  Entry& e = *it->second;
  if (!e.based || !e.known || e.slices_exact || e.users == users) return;
  e.users = users;
  e.dirty = true;
}

std::optional<RowCounts::Figures> RowCounts::Get(uint32_t table, std::string_view user) const {
  const Shard& shard = ShardOf(table);
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.tables.find(table);
  if (it == shard.tables.end() || !it->second->based) return std::nullopt;
  const Entry& e = *it->second;
  Figures f;
  f.known = e.known;
  if (!e.known) return f;
  // Concurrent deletes may briefly take a figure below zero (a count is an estimate).
  f.rows = std::max<int64_t>(e.rows, 0);
  f.users = e.users;
  if (!user.empty()) {
    auto s = e.slices.find(absl::string_view(user.data(), user.size()));
    const int64_t n = s == e.slices.end() ? 0 : s->second;
    if (e.slices_exact) {
      f.slice = std::max<int64_t>(n, 0);
    } else {
      f.slice_delta = n;
    }
  }
  return f;
}

std::vector<std::pair<uint32_t, RowCounts::Figures>> RowCounts::TakeDirty(
    std::vector<uint32_t>* unbased) {
  std::vector<std::pair<uint32_t, Figures>> out;
  for (Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    for (auto& [table, entry] : shard.tables) {
      Entry& e = *entry;
      if (!e.dirty) continue;
      if (!e.based) {
        if (unbased != nullptr) unbased->push_back(table);
        continue;
      }
      e.dirty = false;
      if (!e.known) continue;  // nothing worth storing until ANALYZE counts the table
      Figures f;
      f.known = true;
      f.rows = std::max<int64_t>(e.rows, 0);
      f.users = e.users;
      out.emplace_back(table, f);
    }
  }
  return out;
}

void RowCounts::MarkDirty(uint32_t table) {
  Shard& shard = ShardOf(table);
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.tables.find(table);
  if (it != shard.tables.end()) it->second->dirty = true;
}

void RowCounts::Forget(uint32_t table) {
  Shard& shard = ShardOf(table);
  std::lock_guard<std::mutex> lock(shard.mu);
  shard.tables.erase(table);
}

}  // namespace tenantdb
