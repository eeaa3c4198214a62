// SchemaCache: the one cache of table metadata — TableId -> TableEntry (which is also the
// table's provider, see table_entry.h).
//
// Bounded: at most `capacity` entries; past that, CLOCK (second-chance) eviction, the
// usual constant-space approximation of LRU: every entry has a reference bit that a hit
// sets; the evicting writer sweeps a hand over the entries, clearing set bits and
// evicting the first entry whose bit is clear. An entry touched since the hand last
// passed it survives; among untouched ones, eviction follows the hand. A miss calls the
// loader (the persistent catalog) and caches what it returns.
//
// Concurrency: readers take no lock and write no shared cache line. Each of up to 256
// shards keeps a linear-probing array of tagged entry pointers published with RCU
// (common/rcu.h); lookups probe it inside a read section, and a hit only sets the
// reference bit if it is not yet set. Writers (misses, Insert, Invalidate, eviction)
// take the shard's mutex and store slots atomically. Removal shifts the rest of the
// probe run back instead of leaving tombstones, so arrays never need rebuilding to
// clean up; a reader racing with a shift can miss an entry that is present, which only
// costs it a loader call (the insert then finds and returns the cached entry). Removed
// entries are released by the shard's own writers once an RCU grace period has passed,
// so an entry a reader holds is never freed under it — invalidation while readers hold
// entries is safe — and no extra thread frees memory in the lookup path. Counters are
// striped per thread.
//
// Two ways to read:
//   Get(id) -> TableEntryRef: an owning reference, valid as long as it is held; costs an
//     atomic increment on the entry (contended when many threads hit one hot table).
//   Get(section, id) -> const TableEntry*: valid while `section` is open; no reference
//     counting, so it scales with cores. The executor uses this one per statement.
//
// Memory per cached table: the entry (80 bytes with malloc's header) plus 11-16 bytes
// of slot array (load factor between 0.5 and 0.7). Slot arrays grow with the content.
//
// Thread safety: every method may be called concurrently. Destroy the cache outside any
// RcuReadSection, after all readers are done with its entries.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/table_entry.h"
#include "common/rcu.h"
#include "common/status.h"
#include "common/striped_counter.h"
#include "ids/table_id.h"

namespace tenantdb {

class SchemaCache {
 public:
  // Builds the entry for a table the cache does not hold. Returns not_found for a table
  // that does not exist (not cached: nothing is remembered about absent tables).
  using Loader = std::function<Result<TableEntryRef>(const TableId&)>;

  struct Options {
    // Maximum number of cached tables (at least 1). A miss beyond it evicts one entry.
    // Each cached table costs about 91 bytes; 100,000 is ~9 MB.
    size_t capacity = 100'000;
    // Number of shards, a power of two from 1 to 256. 0 picks capacity / 1024 clamped to
    // [1, 256]: enough to keep writers apart, few enough that each shard's CLOCK sees
    // enough entries to approximate LRU well. The capacity bound is global: a shard may
    // hold more than its share.
    size_t shards = 0;
  };

  SchemaCache(Options options, Loader loader);
  ~SchemaCache();
  SchemaCache(const SchemaCache&) = delete;
  SchemaCache& operator=(const SchemaCache&) = delete;

  // The entry for `id`, loading it on a miss. Errors: the loader's.
  Result<TableEntryRef> Get(const TableId& id);
  // As above, but the result is only valid while `section` is open.
  Result<const TableEntry*> Get(const RcuReadSection& section, const TableId& id);
  // Resolves names (validating them as identifiers), then Get().
  // Errors: invalid_identifier / name_too_long, and the loader's.
  Result<TableEntryRef> GetByName(std::string_view ns, std::string_view table);
  // The cached entry or null; never loads and counts neither hit nor miss.
  TableEntryRef Peek(const TableId& id) const;

  // Caches `entry`, replacing any entry for the same table (DDL publishes new versions
  // this way). May evict another entry.
  void Insert(TableEntryRef entry);
  // Drops `id` from the cache; the next Get reloads it. True if it was cached.
  bool Invalidate(const TableId& id);
  // Drops everything.
  void Clear();

  // The cold-file directory of `table` for `user` (and `shard`), relative to its
  // storage's base directory: the template's static parts come from the cached entry,
  // only the user and shard are filled in per call. Errors: the loader's, and
  // invalid_argument when the template needs a user or shard not given.
  Result<std::string> StoragePath(const TableId& table, const UserId* user,
                                  std::optional<uint32_t> shard = std::nullopt);

  struct Stats {
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t evictions = 0;
    uint64_t entries = 0;
    uint64_t capacity = 0;
    double hit_rate() const {
      return hits + misses == 0 ? 0 : double(hits) / double(hits + misses);
    }
  };
  Stats stats() const;
  void ResetCounters();

 private:
  struct SlotArray;
  struct Shard;
  struct RetiredBatch;
  // Entries whose grace period is over, released when this goes out of scope: declared
  // before a shard's lock_guard so the releases run after the lock is dropped.
  struct ReleaseList;

  Shard& ShardFor(uint64_t hash) const;
  // The cached entry or null; `touch` sets its CLOCK reference bit.
  const TableEntry* Lookup(const Shard& shard, uint64_t hash, const TableId& id, bool touch) const;
  // Caches `entry` in `shard` (whose mutex the caller holds) and returns what is cached
  // for its id afterwards: `entry`, or with replace=false an entry already there.
  const TableEntry* InsertLocked(Shard& shard, uint64_t hash, const TableEntryRef& entry,
                                 bool replace);
  void EvictOneLocked(Shard& shard);
  // Empties slot `i` by shifting the rest of its probe run back (no tombstones).
  void RemoveSlotLocked(Shard& shard, size_t i);
  void GrowLocked(Shard& shard, size_t min_live);
  void RetireLocked(Shard& shard, const TableEntry* entry);
  void FlushRetiredLocked(Shard& shard);
  void TakeReleasableLocked(Shard& shard, ReleaseList& out);
  Result<const TableEntry*> LoadAndInsert(const TableId& id, uint64_t hash);

  const Loader loader_;
  size_t capacity_;
  int shard_bits_;
  std::atomic<size_t> total_live_{0};  // entries in all shards; bounded by capacity_
  std::vector<std::unique_ptr<Shard>> shards_;
  StripedCounter hits_;
  StripedCounter misses_;
};

}  // namespace tenantdb
