// ChangeSequencer: hands out the change log's sequence numbers, one counter per SLICE
// ((table, user) of a USER or STREAM table, or a SHARED table), and says up to which
// number a slice's log may be read.
//
// Why numbers are reserved before the write and published after it. A commit takes its
// numbers while it holds its rows' key locks, puts them in its RocksDB WriteBatch with
// the rows, and writes; RocksDB's group commit may then make two commits of one slice
// durable in either order (different keys hold different locks, and the WAL leader
// writes whichever batches are queued). Serializing a slice's commits across the WAL
// write would keep the order but lose the group commit (one fsync per commit on a busy
// SHARED table). Instead each slice keeps:
//   next        the next number to hand out (Reserve, under the slice's mutex: cheap);
//   in flight   reserved ranges, oldest first, marked done by Finish after the write;
//   published   the highest number below which every range is done.
// A reader (ChangeLog::Read) returns only records <= published, and listeners are told
// of a range only when it becomes published, in order: so no consumer ever sees number
// n+1 before n exists, whatever order the writes reached the disk in. A range whose
// write failed is abandoned: published moves past it and its numbers stay unused (after
// a write error the store stops writing anyway, common/kv_store.h). A crash loses the
// in-flight ranges, which were never acknowledged nor published; at open the counter
// resumes after the newest durable record, so a number, once durable, is never reused
// (retention always keeps a slice's newest record, change_log.h).
//
// Delivery is combined: the thread whose Finish publishes a range delivers it and every
// range published while it was delivering; other finishing threads only queue theirs.
// So per slice listeners are called in order, one call at a time, without the slice's
// mutex held, and a writer waits for listeners only when it is the one delivering.
//
// Memory: one small state per slice used since open (about 150 bytes plus its prefix);
// idle states beyond Options::max_slices are dropped and reloaded (one RocksDB seek)
// when the slice is used again.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/status.h"
#include "kv/kv_store.h"
#include "storage/changes/change_listeners.h"

namespace tenantdb {

class ChangeSequencer {
 public:
  class Slice;
  using SliceRef = std::shared_ptr<Slice>;
  using Deliver = std::function<void(const CommittedChanges&)>;

  // `kv` must outlive the sequencer. `max_slices`: idle slice states kept in memory.
  ChangeSequencer(KvStore* kv, size_t max_slices);
  ChangeSequencer(const ChangeSequencer&) = delete;
  ChangeSequencer& operator=(const ChangeSequencer&) = delete;

  // The state of the slice whose keys start with `prefix`, loading its newest durable
  // number on first use. Errors: those of reading RocksDB.
  Result<SliceRef> Get(std::string_view prefix);
  // Reserves `count` (> 0) consecutive numbers; returns the first. Every reservation
  // must be Finished, written or not, or the slice stops publishing.
  uint64_t Reserve(Slice& slice, size_t count);
  // Marks the range starting at `first` written (durable) or abandoned. When that
  // publishes it, `changes` (if any; only for a written range) is delivered to `deliver`
  // in sequence order with the slice's other ranges.
  void Finish(Slice& slice, uint64_t first, bool written, std::optional<CommittedChanges> changes,
              const Deliver& deliver);
  // Every number <= this is durable or abandoned.
  uint64_t Published(Slice& slice);
  // The highest number reserved so far (0: none): no record above it exists, written or
  // in flight.
  uint64_t Reserved(Slice& slice);

  // Forgets the states of table `table_number`'s slices (DROP TABLE).
  void ForgetTable(uint32_t table_number);
  // Slice states in memory (tests, stats).
  size_t size() const;

 private:
  struct Shard {
    mutable std::mutex mu;
    absl::flat_hash_map<std::string, SliceRef> slices;
  };
  static constexpr size_t kShards = 32;
  Shard& ShardOf(std::string_view prefix);
  // Drops idle states of `shard` (whose mutex the caller holds) down to 3/4 of its share.
  void EvictIdle(Shard& shard);
  Status Load(Slice& slice, std::string_view prefix);

  KvStore* kv_;
  size_t max_per_shard_;
  Shard shards_[kShards];
};

}  // namespace tenantdb
