#include "storage/manifest_cache.h"

#include <algorithm>

#include "absl/hash/hash.h"

namespace tenantdb {

ManifestCache::ManifestCache(size_t capacity)
    : shard_capacity_(std::max<size_t>(capacity / kShards, 1)) {}

std::string ManifestCache::Key(uint32_t table_number, std::string_view user) {
  std::string key(4 + user.size(), '\0');
  for (int i = 0; i < 4; ++i)
    key[i] = static_cast<char>(table_number >> (8 * (3 - i)));
  std::copy(user.begin(), user.end(), key.begin() + 4);
  return key;
}

ManifestCache::Shard& ManifestCache::ShardOf(std::string_view key) {
  return shards_[absl::Hash<std::string_view>()(key) % kShards];
}

Result<ManifestCache::EntryRef> ManifestCache::Get(uint32_t table_number, std::string_view user,
                                                   const Loader& load) {
  std::string key = Key(table_number, user);
  Shard& shard = ShardOf(key);
  uint64_t generation;
  {
    std::lock_guard<std::mutex> lock(shard.mu);
    auto it = shard.entries.find(key);
    if (it != shard.entries.end()) return it->second;
    generation = shard.generation;
  }
  TDB_ASSIGN_OR_RETURN(Entry loaded, load());
  auto entry = std::make_shared<const Entry>(std::move(loaded));
  std::lock_guard<std::mutex> lock(shard.mu);
  // An invalidation since we looked may have been of this key, after our load read the
  // catalog: use what we loaded this once, but do not keep it.
  if (shard.generation != generation) return EntryRef(entry);
  if (shard.entries.size() >= shard_capacity_) shard.entries.clear();
  shard.entries.insert_or_assign(std::move(key), entry);
  return EntryRef(entry);
}

void ManifestCache::Invalidate(uint32_t table_number, std::string_view user) {
  const std::string key = Key(table_number, user);
  Shard& shard = ShardOf(key);
  std::lock_guard<std::mutex> lock(shard.mu);
  shard.entries.erase(key);
  ++shard.generation;
}

size_t ManifestCache::size() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    n += shard.entries.size();
  }
  return n;
}

}  // namespace tenantdb
