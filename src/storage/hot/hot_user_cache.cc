#include "storage/hot/hot_user_cache.h"

#include <algorithm>
#include <cassert>

#include "absl/hash/hash.h"

namespace tenantdb {

HotUserCache::HotUserCache(size_t capacity_bytes, size_t max_entry_rows, size_t max_earned_rows)
    : capacity_bytes_(capacity_bytes),
      max_entry_rows_(max_entry_rows),
      max_earned_rows_(std::max(max_entry_rows, max_earned_rows)) {}

std::string HotUserCache::Key(uint32_t table_number, std::string_view user) {
  std::string key(4 + user.size(), '\0');
  for (int i = 0; i < 4; ++i)
    key[i] = static_cast<char>(table_number >> (24 - 8 * i));
  key.replace(4, user.size(), user);
  return key;
}

size_t HotUserCache::HashOf(std::string_view key) {
  return absl::HashOf(key);
}

std::shared_ptr<const HotUserCache::Entry> HotUserCache::Find(uint32_t table_number,
                                                              std::string_view user,
                                                              uint32_t schema_version) {
  if (!enabled()) return nullptr;
  const std::string key = Key(table_number, user);
  Shard& shard = shards_[HashOf(key) % kShards];
  std::lock_guard lock(shard.mu);
  auto it = shard.map.find(key);
  if (it == shard.map.end() || it->second.entry->schema_version != schema_version) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  shard.lru.splice(shard.lru.begin(), shard.lru, it->second.lru);
  hits_.fetch_add(1, std::memory_order_relaxed);
  return it->second.entry;
}

bool HotUserCache::NotePointMiss(uint32_t table_number, std::string_view user) {
  if (!enabled()) return false;
  const size_t stripe = HashOf(Key(table_number, user)) % kStripes;
  return (point_misses_[stripe].fetch_add(1, std::memory_order_relaxed) + 1) % kPointReadsPerFill ==
         0;
}

bool HotUserCache::NoteUncachedPointRead(uint32_t table_number, std::string_view user,
                                         size_t user_rows) {
  if (!enabled() || user_rows > max_earned_rows_) return false;
  const size_t stripe = HashOf(Key(table_number, user)) % kStripes;
  const uint32_t every =
      static_cast<uint32_t>(std::max<size_t>(1, user_rows / kScanRowsPerPointRead));
  const bool earned =
      (uncached_reads_[stripe].fetch_add(1, std::memory_order_relaxed) + 1) % every == 0;
  if (earned) earned_fills_.fetch_add(1, std::memory_order_relaxed);
  return earned;
}

uint64_t HotUserCache::Generation(uint32_t table_number, std::string_view user) const {
  const size_t stripe = HashOf(Key(table_number, user)) % kStripes;
  // Both counters only grow, so their sum changes whenever either does.
  return generations_[stripe].load() + table_generation_.load();
}

void HotUserCache::ChargeLocked(Shard& shard, size_t add, size_t remove) {
  assert(shard.bytes.load(std::memory_order_relaxed) + add >= remove);
  shard.bytes.store(shard.bytes.load(std::memory_order_relaxed) + add - remove,
                    std::memory_order_relaxed);
  total_bytes_.fetch_add(add, std::memory_order_relaxed);
  total_bytes_.fetch_sub(remove, std::memory_order_relaxed);
}

void HotUserCache::EraseLocked(Shard& shard, absl::flat_hash_map<std::string, Node>::iterator it) {
  ChargeLocked(shard, 0, it->second.entry->bytes);
  shard.lru.erase(it->second.lru);
  shard.map.erase(it);
}

void HotUserCache::EvictOverBudget() {
  // Over the budget, some shard holds more than its share: that one gives up its least
  // recently used entry. Each round removes an entry, so the loop ends.
  while (total_bytes_.load(std::memory_order_relaxed) > capacity_bytes_) {
    Shard* fullest = &shards_[0];
    for (Shard& shard : shards_) {
      if (shard.bytes.load(std::memory_order_relaxed) >
          fullest->bytes.load(std::memory_order_relaxed)) {
        fullest = &shard;
      }
    }
    std::lock_guard lock(fullest->mu);
    if (fullest->lru.empty()) return;  // emptied meanwhile by another thread's eviction
    EraseLocked(*fullest, fullest->map.find(fullest->lru.back()));
    evictions_.fetch_add(1, std::memory_order_relaxed);
  }
}

void HotUserCache::Insert(uint32_t table_number, std::string_view user, uint64_t generation,
                          std::shared_ptr<Entry> entry) {
  if (!enabled()) return;
  entry->bytes = sizeof(Entry);
  if (entry->rows != nullptr) {
    for (size_t c = 0; c < entry->rows->num_columns(); ++c)
      entry->bytes += entry->rows->column(c).MemoryBytes();
  }
  entry->bytes += entry->keys.capacity() * sizeof(std::string);
  for (const std::string& k : entry->keys)
    entry->bytes += k.capacity() + 1;
  if (entry->bytes > capacity_bytes_ / kShards) {
    // Rows the cache cannot hold: remember that, so point reads stop paying for fills.
    if (entry->rows == nullptr || !entry->complete) return;
    auto marker = std::make_shared<Entry>();
    marker->schema_version = entry->schema_version;
    marker->too_big_to_earn = true;
    marker->bytes = sizeof(Entry);
    entry = std::move(marker);
  }

  std::string key = Key(table_number, user);
  Shard& shard = shards_[HashOf(key) % kShards];
  {
    std::lock_guard lock(shard.mu);
    // Checked under the shard lock: an Invalidate() that bumped the generation after the
    // fill read it either is seen here, or erases this entry once it takes the lock.
    if (Generation(table_number, user) != generation) {
      rejected_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    if (auto it = shard.map.find(key); it != shard.map.end()) EraseLocked(shard, it);
    shard.lru.push_front(key);
    ChargeLocked(shard, entry->bytes, 0);
    shard.map.emplace(std::move(key), Node{std::move(entry), shard.lru.begin()});
    fills_.fetch_add(1, std::memory_order_relaxed);
  }
  EvictOverBudget();
}

void HotUserCache::Invalidate(uint32_t table_number, std::string_view user) {
  if (!enabled()) return;
  const std::string key = Key(table_number, user);
  const size_t hash = HashOf(key);
  generations_[hash % kStripes].fetch_add(1);
  uncached_reads_[hash % kStripes].store(0, std::memory_order_relaxed);
  invalidations_.fetch_add(1, std::memory_order_relaxed);
  Shard& shard = shards_[hash % kShards];
  std::lock_guard lock(shard.mu);
  auto it = shard.map.find(key);
  if (it == shard.map.end()) return;
  const std::shared_ptr<const Entry>& old = it->second.entry;
  const bool earned = old->rows != nullptr && old->complete && old->keys.size() > max_entry_rows_;
  if (old->rows != nullptr && old->complete && !earned) {
    EraseLocked(shard, it);
    return;
  }
  // A user with too many rows to cache whole (or only as an entry point reads earned)
  // still has too many after one write: keep knowing that (a marker holds no rows, so
  // it cannot be stale).
  if (old->writes_since_made + 1 >= kMarkerRecheckWrites) {
    EraseLocked(shard, it);
    return;
  }
  auto marker = std::make_shared<Entry>();
  marker->schema_version = old->schema_version;
  marker->writes_since_made = old->writes_since_made + 1;
  marker->too_big_to_earn = old->too_big_to_earn;
  marker->known_rows = earned ? old->keys.size() : old->known_rows;
  marker->bytes = sizeof(Entry);
  ChargeLocked(shard, marker->bytes, old->bytes);
  it->second.entry = std::move(marker);
}

void HotUserCache::InvalidateTable(uint32_t table_number) {
  if (!enabled()) return;
  table_generation_.fetch_add(1);
  invalidations_.fetch_add(1, std::memory_order_relaxed);
  const std::string prefix = Key(table_number, "");
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    for (auto it = shard.map.begin(); it != shard.map.end();) {
      auto next = std::next(it);
      if (std::string_view(it->first).starts_with(prefix)) EraseLocked(shard, it);
      it = next;
    }
  }
}

HotUserCache::Stats HotUserCache::stats() const {
  Stats s;
  s.hits = hits_.load();
  s.misses = misses_.load();
  s.fills = fills_.load();
  s.rejected_fills = rejected_.load();
  s.evictions = evictions_.load();
  s.invalidations = invalidations_.load();
  s.earned_fills = earned_fills_.load();
  s.capacity_bytes = capacity_bytes_;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    s.entries += shard.map.size();
    s.bytes += shard.bytes.load(std::memory_order_relaxed);
  }
  return s;
}

}  // namespace tenantdb
