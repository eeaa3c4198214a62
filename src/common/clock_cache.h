// ClockCache<V>: a bounded map from strings to values, shared by threads, for caches of
// things that are costly to rebuild and cheap to copy out (V is usually a shared_ptr to
// an immutable object: a parsed statement, a bound plan).
//
// Split into shards with a mutex each (a lookup holds one shard's mutex for a hash probe
// and a copy of V). Bounded by entry count: a full shard drops the entries not used since
// its last sweep (CLOCK's second chance), or every other entry when all were used.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <array>
#include <cassert>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace tenantdb {

struct ClockCacheStats {
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t evictions = 0;
  size_t entries = 0;
};

template <typename V>
class ClockCache {
 public:
  // `capacity`: most entries kept (0: the cache keeps nothing).
  explicit ClockCache(size_t capacity)
      : shard_capacity_(capacity == 0 ? 0 : (capacity + kShards - 1) / kShards) {}
  ClockCache(const ClockCache&) = delete;
  ClockCache& operator=(const ClockCache&) = delete;

  bool enabled() const { return shard_capacity_ > 0; }

  // The value under `key`, if any and `valid(value)`; an invalid one is dropped.
  template <typename Valid>
  std::optional<V> Find(std::string_view key, const Valid& valid) {
    if (!enabled()) return std::nullopt;
    Shard& shard = ShardOf(key);
    std::lock_guard<std::mutex> lock(shard.mu);
    // Debian's abseil has its own string_view type: heterogeneous lookups take that one.
    auto it = shard.entries.find(absl::string_view(key.data(), key.size()));
    if (it != shard.entries.end() && valid(it->second.value)) {
      it->second.referenced = true;
      ++shard.hits;
      return it->second.value;
    }
    if (it != shard.entries.end()) shard.entries.erase(it);
    ++shard.misses;
    return std::nullopt;
  }
  std::optional<V> Find(std::string_view key) {
    return Find(key, [](const V&) { return true; });
  }

  // Keeps `value` under `key`, replacing what was there.
  void Insert(std::string key, V value) {
    if (!enabled()) return;
    Shard& shard = ShardOf(key);
    std::lock_guard<std::mutex> lock(shard.mu);
    auto it = shard.entries.find(absl::string_view(key.data(), key.size()));
    if (it != shard.entries.end()) {
      it->second.value = std::move(value);
      return;
    }
    if (shard.entries.size() >= shard_capacity_) Evict(shard);
    shard.entries.try_emplace(std::move(key), Entry{std::move(value), false});
  }

  // Keeps `value` under `key` unless a value is there already; returns the value kept.
  // Threads that built a value for one key at the same time all end up holding the
  // first one inserted.
  V InsertIfAbsent(std::string key, V value) {
    if (!enabled()) return value;
    Shard& shard = ShardOf(key);
    std::lock_guard<std::mutex> lock(shard.mu);
    auto it = shard.entries.find(absl::string_view(key.data(), key.size()));
    if (it != shard.entries.end()) return it->second.value;
    if (shard.entries.size() >= shard_capacity_) Evict(shard);
    shard.entries.try_emplace(std::move(key), Entry{value, false});
    return value;
  }

  ClockCacheStats stats() const {
    ClockCacheStats out;
    for (const Shard& shard : shards_) {
      std::lock_guard<std::mutex> lock(shard.mu);
      out.hits += shard.hits;
      out.misses += shard.misses;
      out.evictions += shard.evictions;
      out.entries += shard.entries.size();
    }
    return out;
  }

 private:
  static constexpr size_t kShards = 8;
  struct Entry {
    V value;
    bool referenced = false;
  };
  struct Shard {
    mutable std::mutex mu;
    absl::flat_hash_map<std::string, Entry> entries;
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t evictions = 0;
  };

  Shard& ShardOf(std::string_view key) {
    return shards_[std::hash<std::string_view>()(key) % kShards];
  }

  // Makes room for one more entry in a full shard (its mutex held).
  static void Evict(Shard& shard) {
    assert(!shard.entries.empty());
    const size_t before = shard.entries.size();
    absl::erase_if(shard.entries, [](const auto& kv) { return !kv.second.referenced; });
    if (shard.entries.size() == before) {
      // Everything was used since the last sweep: drop every other entry.
      bool drop = false;
      absl::erase_if(shard.entries, [&drop](const auto&) { return drop = !drop; });
    }
    for (auto& kv : shard.entries)
      kv.second.referenced = false;
    shard.evictions += before - shard.entries.size();
  }

  const size_t shard_capacity_;
  std::array<Shard, kShards> shards_;
};

}  // namespace tenantdb
