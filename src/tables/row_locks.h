// RowLockManager: row-level write locks, held by a transaction from its first UPDATE or
// DELETE of a row until it commits or rolls back — PostgreSQL's tuple locks, which make
// READ COMMITTED writers of one row take turns instead of losing an update.
//
// A lock is named by (table number, row owner — the user of a USER/STREAM table's slice,
// none for SHARED —, encoded primary key): RowLockKey(). Its holder is a transaction's
// owner number (NewOwner()). Lock() takes it at once when it is free or already ours;
// otherwise it waits until the holder releases it, and fails with
//   deadlock_detected (40P01, "deadlock detected: ...")  when the holder waits
//        (directly or through others) for us: the transaction that closes the cycle is
//        the one refused, as in PostgreSQL;
//   lock_not_available (55P03, "canceling statement due to lock timeout")  when the
//        wait passes `lock_timeout` (0: no limit), as in PostgreSQL;
//   query_canceled (57014)  when the statement's CancelToken fires (Cancel(),
//        statement_timeout), polled every few milliseconds.
// Waiters queue per lock in arrival order, as PostgreSQL's lock queue: when the holder
// releases (ReleaseAll, at its commit AFTER the writes are in RocksDB, so the waiter's
// next read sees them) the lock passes to the first waiter, and only that waiter's
// thread is woken — no herd of waiters racing for one row. A waiter also wakes every
// kPollEvery to poll its CancelToken and lock_timeout and to refresh its edge of the
// waits-for graph (the holder may have changed, closing a cycle elsewhere).
//
// Cost: an uncontended Lock()/release is one hash-map insert/erase under one of 64
// mutexes, no allocation beyond the key. Readers never lock. Thread safety: all methods
// may be called from any thread.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/cancel_token.h"
#include "common/status.h"
#include "ids/identifier.h"
#include "types/data_type.h"
#include "types/value.h"

namespace tenantdb {

class RowLockManager {
 public:
  RowLockManager() = default;
  RowLockManager(const RowLockManager&) = delete;
  RowLockManager& operator=(const RowLockManager&) = delete;

  // A fresh holder identity (one per transaction that locks rows); never 0.
  uint64_t NewOwner() { return next_owner_.fetch_add(1, std::memory_order_relaxed); }

  // Takes the lock `key` for `owner`. Returns true when it was newly taken (the caller
  // must re-read the row: someone may have changed it since the caller read it), false
  // when `owner` already held it. Errors: see the header comment.
  Result<bool> Lock(uint64_t owner, const std::string& key, CancelToken* cancel,
                    std::chrono::milliseconds lock_timeout);
  // Releases `keys` held by `owner` and wakes their waiters.
  void ReleaseAll(uint64_t owner, const std::vector<std::string>& keys);

  // Locks held now, and transactions waiting for one, in all shards (for tests and
  // metrics).
  size_t num_held() const;
  size_t num_waiting() const;

 private:
  static constexpr size_t kShards = 64;
  // A transaction waiting for a lock; lives on its thread's stack while queued.
  struct Waiter {
    uint64_t owner;
    std::condition_variable granted_cv;
    bool granted = false;  // the lock was handed to this waiter (under the shard mutex)
  };
  struct Held {
    uint64_t owner;
    std::deque<Waiter*> waiters;  // arrival order
  };
  struct Shard {
    mutable std::mutex mu;
    absl::flat_hash_map<std::string, Held> locks;  // key -> holder and queue
  };
  Shard& ShardFor(std::string_view key);
  // Records that `owner` waits for `holder`; true when that closes a cycle.
  bool StartWaiting(uint64_t owner, uint64_t holder);
  void StopWaiting(uint64_t owner);

  std::atomic<uint64_t> next_owner_{1};
  std::array<Shard, kShards> shards_;
  std::mutex graph_mu_;
  absl::flat_hash_map<uint64_t, uint64_t> waits_for_;  // waiting owner -> holder
};

// The lock name of the row with primary key `key` (values in key order, of
// `key_types`) of table `table_number`, in `user`'s slice (null: a SHARED table).
Result<std::string> RowLockKey(uint32_t table_number, const UserId* user,
                               const std::vector<DataType>& key_types,
                               const std::vector<Value>& key);

}  // namespace tenantdb
