// ManifestCache: the flush manifests (catalog/persistent_catalog.h) of recently read
// (table, user) directories, in memory, with what reads derive from them (the resolved
// directory, each file's path and cold-read-cache key), so a primary-key lookup of a
// flushed row costs no catalog scan — RocksDB's table cache plays the same part for the
// hot tier.
//
// Staleness: every writer of a manifest (flush, compaction, erasure: all in TableStore,
// under the table's flush mutex) calls Invalidate after its RocksDB write. A reader that
// misses loads the manifest outside the lock and inserts it only if no invalidation of
// its shard happened since it looked (a generation count per shard), so a load that
// raced a write is used once and never cached. A read holding an entry while a
// compaction deletes its files sees io_error on open and retries (TableStore).
//
// Bounded: at most `capacity` entries; a full shard is emptied (manifests are cheap to
// reload, and recency tracking would cost every hit a write). Thread safety: every
// method may be called concurrently; 16 shards, one mutex each.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "catalog/catalog_records.h"
#include "common/status.h"

namespace tenantdb {

class ManifestCache {
 public:
  struct Entry {
    Manifest manifest;
    std::string directory;               // the (table, user) cold directory
    std::vector<std::string> paths;      // per manifest file: directory + "/" + name
    std::vector<std::string> file_keys;  // per manifest file: its ColdReadCache key
  };
  using EntryRef = std::shared_ptr<const Entry>;
  using Loader = std::function<Result<Entry>()>;

  explicit ManifestCache(size_t capacity = 65'536);
  ManifestCache(const ManifestCache&) = delete;
  ManifestCache& operator=(const ManifestCache&) = delete;

  // The entry of (table_number, user) ("" for a SHARED table), loaded with `load` on a
  // miss. Errors: those of `load` (nothing is cached then).
  Result<EntryRef> Get(uint32_t table_number, std::string_view user, const Loader& load);

  // Forgets (table_number, user); the next Get loads it again.
  void Invalidate(uint32_t table_number, std::string_view user);

  size_t size() const;

 private:
  static constexpr size_t kShards = 16;
  struct Shard {
    mutable std::mutex mu;
    absl::flat_hash_map<std::string, EntryRef> entries;  // guarded by mu
    uint64_t generation = 0;                             // guarded by mu
  };
  static std::string Key(uint32_t table_number, std::string_view user);
  Shard& ShardOf(std::string_view key);

  size_t shard_capacity_;
  std::array<Shard, kShards> shards_;
};

}  // namespace tenantdb
