// WalSyncer: syncs the write-ahead log on behalf of writes that did not wait for it
// (WalSync::kDeferred), and tells who waits when a write position is durable.
//
// Why: a commit that syncs the log itself parks its thread for the sync; a server
// running statements on a few event-loop threads would either take turns at the disk or
// hand every write to a pool thread and back (measured on this project's VMs: ~5 thread
// switches per single-row INSERT, each costing more than the insert's execution). With
// deferred writes the writer appends to the log (the bytes are in the OS: they survive
// kill -9 already) and goes on; one syncer thread syncs for everyone written meanwhile
// and then runs their callbacks — the group commit PostgreSQL's WAL writer does.
//
// Positions are RocksDB sequence numbers (KvStore::WritePosition(): the newest visible
// write). A position is durable once a sync that began after it was visible has
// finished, or a synced write (sync=true, which syncs every log written before it) that
// began after it has returned (MarkDurable).
//
// The contract for deferred writes: they are visible to readers before they are
// durable, so whoever answers a client — for its own write or for a read that may have
// seen someone else's — must not answer before IsDurable(WritePosition() as of the
// answer's last read). A sync failure is sticky: the log's state on disk is unknown, so
// every later wait fails with it (KvStore stops writing too).
//
// Thread safety: every method from any thread. Callbacks run on the syncer's thread, or
// inline in WhenDurable() when the position is durable already (or a sync failed); they
// must be quick (post the work elsewhere, or a non-blocking send of a ready reply). Stop() (the
// destructor) runs a last sync for whoever still waits and joins the thread; WhenDurable() after
// Stop() answers inline. Cost: one atomic load to ask; one mutex + condition variable per waiting
// write.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "common/status.h"

namespace tenantdb {

class WalSyncer {
 public:
  using Callback = std::function<void(const Status&)>;

  // `sync` syncs every log written so far (DB::SyncWAL); `latest` reads the newest visible
  // position (DB::GetLatestSequenceNumber). Both must stay callable until Stop().
  // `durable` is the position already durable (at open: everything recovered).
  WalSyncer(std::function<Status()> sync, std::function<uint64_t()> latest, uint64_t durable);
  ~WalSyncer();
  WalSyncer(const WalSyncer&) = delete;
  WalSyncer& operator=(const WalSyncer&) = delete;

  bool IsDurable(uint64_t position) const {
    return durable_.load(std::memory_order_acquire) >= position;
  }
  // Calls `done` once `position` is durable (Ok), or with the sync's error.
  void WhenDurable(uint64_t position, Callback done);
  // Blocks until `position` is durable; the sync's error when it failed.
  Status WaitUntilDurable(uint64_t position);
  // `position` is durable now (a synced write that began after it returned).
  void MarkDurable(uint64_t position);
  // Returns once every callback queued before the call has been called (for an owner
  // about to destroy what callbacks post to). Waits for a sync in progress.
  void Drain();
  // See the header comment. Idempotent.
  void Stop();

  // OK until a sync fails; then that sync's error, for good (see the header comment).
  Status failure() const;

  // Syncs run so far (for tests and metrics).
  uint64_t syncs() const { return syncs_.load(std::memory_order_relaxed); }

 private:
  void Run();
  // Runs one sync for `waiting` and answers them; the lock is not held.
  void SyncFor(std::vector<std::pair<uint64_t, Callback>>* waiting);

  const std::function<Status()> sync_;
  const std::function<uint64_t()> latest_;
  std::atomic<uint64_t> durable_;
  std::atomic<uint64_t> syncs_{0};

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::vector<std::pair<uint64_t, Callback>> waiting_;  // guarded by mu_
  Status failed_;                                       // guarded by mu_; sticky
  bool stopping_ = false;                               // guarded by mu_
  bool answering_ = false;  // guarded by mu_: a batch taken from waiting_ is being answered
  std::condition_variable drained_;
  std::thread thread_;  // started by the first wait (most stores never defer)
};

}  // namespace tenantdb
