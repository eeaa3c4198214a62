// HotUserCache: the decoded hot rows of recently read (table, user) pairs of per-user
// tables, so that repeated reads of one user's rows cost a binary search in memory
// instead of a RocksDB seek and a walk over the memtable.
//
// An entry is every live hot row of one user in one table under one schema version, in
// key order, as columns (a Batch) plus each row's encoded key after the user prefix (for
// key bounds). HotStore fills an entry on a read that misses (scanning the user's whole
// range once) and serves later reads from it; users with more than `max_entry_rows`
// rows get a marker instead, so their reads go to RocksDB without re-trying the fill.
// Point reads use an entry, and fill one only when a user without one keeps being read by
// key (every kPointReadsPerFill-th point read of a (table, user) stripe: one lookup does
// not pay for a scan of the user's rows, a run of them does). A write empties the
// user's entry, so the next scan refills it: a user who alternates writes and scans pays
// a scan of all their rows (at most max_entry_rows) per read, which is what bounds
// max_entry_rows.
//
// Point reads earn a whole entry for a user with more rows (up to `max_earned_rows`):
// every point read of a user without a whole entry that went to RocksDB counts, a write
// to the user resets the count, and when the count reaches the user's rows divided by
// kScanRowsPerPointRead (what those reads cost, in rows a fill scans) a fill reads them
// all. A read-mostly user is served from memory after a bounded number of slow reads; a
// user written between reads never pays a scan its reads did not cover (rent or buy).
// The user's rows are estimated by the caller (the hot store's row counts), never below
// what the marker knows (Entry::known_rows): a skewed table's average must not price a
// big user's fill as a small one's. A user above max_earned_rows, or whose entry would
// not fit the cache, keeps a marker that says so (too_big_to_earn) until its recheck.
//
// Users with more rows: the marker stays through writes (it holds no rows, so it cannot
// go stale; it only sends reads to RocksDB), so such a user's reads do not re-scan
// max_entry_rows rows after every write to find out again (only after
// kMarkerRecheckWrites writes, in case the user shrank). A chat's usual read — the newest N rows,
// ORDER BY the key DESC LIMIT N — turns the marker into a tail entry holding exactly the
// rows that read returned; a repeat of it (or a smaller N) is served from memory until
// the user's next write turns the tail back into a marker.
//
// Consistency: every write to a user's rows (HotStore::ApplyGroups, the flush's deletes,
// DeleteExpired, DropTable) calls Invalidate() after its RocksDB write. A fill reads the
// generation of its (table, user) *before* opening its RocksDB iterator and Insert()
// keeps the entry only if no invalidation happened since, so an entry never holds a state
// older than a write that has returned. Generations are striped (kStripes counters), so
// an unrelated write can reject a fill; that costs a later miss, never a stale read.
//
// Memory: entries are charged MemoryBytes() of their columns and keys, against one budget
// for the whole cache (`capacity_bytes`): past it, the least recently used entry of the
// fullest shard goes. A budget per shard would evict while the cache is mostly empty:
// a few big users hashed into one shard pushed each other out (the HTTP bench's 16
// users of ~1 MB each, in 16 shards of 4 MB, re-filled several times a second at a
// quarter of the budget). One entry may take at most capacity_bytes / kShards, so no
// user pushes many others out. Capacity 0 disables the cache.
//
// Thread safety: all methods are thread-safe (sharded mutexes; generations atomic).
// Entries are immutable and shared (shared_ptr), so a reader keeps one alive while it
// copies rows out.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "types/batch.h"

namespace tenantdb {

class HotUserCache {
 public:
  struct Entry {
    uint32_t schema_version = 0;
    // Null for a user with too many rows to cache whole (a marker: reads go to RocksDB).
    std::unique_ptr<Batch> rows;
    // False for a tail: the user's newest rows only — every live row whose key is at
    // least keys.front(), and there are rows below it.
    bool complete = true;
    // Writes to the user since the marker (or tail) was first made; past
    // kMarkerRecheckWrites the marker goes, so a user who shrank is looked at again.
    uint32_t writes_since_made = 0;
    // A marker of a user whose rows point reads cannot earn an entry for (above
    // max_earned_rows, or too many bytes for the cache).
    bool too_big_to_earn = false;
    // For a marker or a tail: the fewest rows the user was seen to have (the rows of the
    // earned entry a write turned into this marker, or one more than the fill that gave
    // up), a floor under the row estimate an earned fill is priced by.
    size_t known_rows = 0;
    std::vector<std::string> keys;  // encoded key columns of each row, ascending
    size_t bytes = 0;               // what the entry is charged
  };

  struct Stats {
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t fills = 0;
    uint64_t rejected_fills = 0;  // a write raced the fill
    uint64_t earned_fills = 0;    // whole entries point reads paid for (NoteUncachedPointRead)
    uint64_t evictions = 0;
    uint64_t invalidations = 0;
    size_t entries = 0;
    size_t bytes = 0;
    size_t capacity_bytes = 0;
  };

  static constexpr uint32_t kMarkerRecheckWrites = 256;
  static constexpr uint32_t kPointReadsPerFill = 4;
  // A point read through RocksDB (the memtable's skiplist, then bloom-filtered files)
  // costs about what a fill pays to scan and decode this many rows.
  static constexpr size_t kScanRowsPerPointRead = 16;

  // `max_earned_rows` below `max_entry_rows` (the default) earns nothing beyond it.
  HotUserCache(size_t capacity_bytes, size_t max_entry_rows, size_t max_earned_rows = 0);
  HotUserCache(const HotUserCache&) = delete;
  HotUserCache& operator=(const HotUserCache&) = delete;

  bool enabled() const { return capacity_bytes_ > 0; }
  size_t max_entry_rows() const { return max_entry_rows_; }
  size_t max_earned_rows() const { return max_earned_rows_; }

  // The entry of (table, user) for `schema_version`, or null (a miss).
  std::shared_ptr<const Entry> Find(uint32_t table_number, std::string_view user,
                                    uint32_t schema_version);
  // The generation a fill must read before it opens its iterator.
  uint64_t Generation(uint32_t table_number, std::string_view user) const;
  // Keeps `entry` unless (table, user) was invalidated after `generation` was read.
  void Insert(uint32_t table_number, std::string_view user, uint64_t generation,
              std::shared_ptr<Entry> entry);
  // After a write to (table, user) has reached RocksDB.
  void Invalidate(uint32_t table_number, std::string_view user);
  // After a write to every user of a table (DROP TABLE).
  void InvalidateTable(uint32_t table_number);
  // Counts a point read of (table, user) that found no entry; true when it is the one
  // that should fill the entry (every kPointReadsPerFill-th of its stripe).
  bool NotePointMiss(uint32_t table_number, std::string_view user);
  // Counts a point read of (table, user) that went to RocksDB although the user has an
  // entry (a marker or a tail); true when the reads since the user's last write have
  // paid for a fill of `user_rows` rows (every user_rows / kScanRowsPerPointRead-th).
  bool NoteUncachedPointRead(uint32_t table_number, std::string_view user, size_t user_rows);

  Stats stats() const;

 private:
  static constexpr size_t kShards = 16;
  static constexpr size_t kStripes = 4096;
  struct Node {
    std::shared_ptr<const Entry> entry;
    std::list<std::string>::iterator lru;
  };
  struct Shard {
    mutable std::mutex mu;
    absl::flat_hash_map<std::string, Node> map;
    std::list<std::string> lru;  // front: most recently used
    // Written under `mu`; read without it to pick the shard to evict from.
    std::atomic<size_t> bytes{0};
  };
  static std::string Key(uint32_t table_number, std::string_view user);
  static size_t HashOf(std::string_view key);
  void EraseLocked(Shard& shard, absl::flat_hash_map<std::string, Node>::iterator it);
  void ChargeLocked(Shard& shard, size_t add, size_t remove);
  // Evicts least recently used entries of the fullest shards while the cache is over
  // its budget. Takes one shard lock at a time; the caller holds none.
  void EvictOverBudget();

  const size_t capacity_bytes_;
  const size_t max_entry_rows_;
  const size_t max_earned_rows_;
  std::array<Shard, kShards> shards_;
  std::atomic<size_t> total_bytes_{0};  // the sum of the shards' bytes
  std::array<std::atomic<uint64_t>, kStripes> generations_{};
  std::array<std::atomic<uint32_t>, kStripes> point_misses_{};
  // Uncached point reads since the stripe's last write (reset by Invalidate).
  std::array<std::atomic<uint32_t>, kStripes> uncached_reads_{};
  std::atomic<uint64_t> table_generation_{0};  // bumped by InvalidateTable
  mutable std::atomic<uint64_t> hits_{0}, misses_{0}, fills_{0}, rejected_{0}, evictions_{0},
      invalidations_{0}, earned_fills_{0};
};

}  // namespace tenantdb
