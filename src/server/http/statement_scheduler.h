// StatementScheduler: where a request's work runs — a statement step, a snapshot read, a
// login's password hash.
//
// Schedule(): on the event loop of the thread that asks (event_loops.h), right after the
// handler running now (Asio's defer: that thread's private queue, no lock, no other
// thread woken, the request's memory stays in one core's cache), watched by the loops'
// watchdog so a long task cannot hold the loop's other connections. From a thread that
// is not a loop's, on the worker pool.
//
// SchedulePool(): always on the worker pool, for work that holds a thread a loop must
// not give: a password hash (tens of milliseconds of CPU). (Commits do not wait for the
// WAL sync on any thread: the HTTP sessions defer it, and replies wait for it without a
// thread — Session::DeferCommitSync, HttpConnection::PostWhenDurable.)
//
// Thread safety: both may be called from any thread. Stop() drains the pool and refuses
// later tasks; tasks already deferred on loops run as their threads get to them (the
// server waits for its requests before it stops the loops).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "server/http/event_loops.h"
#include "server/http/worker_pool.h"

namespace tenantdb::server::http {

class StatementScheduler {
 public:
  // `loops` outlives the scheduler.
  StatementScheduler(EventLoops* loops, size_t pool_threads);
  StatementScheduler(const StatementScheduler&) = delete;
  StatementScheduler& operator=(const StatementScheduler&) = delete;

  // Runs `task` soon, once; false (the task is dropped) after Stop(). `on_stall`: see
  // EventLoops::RunInline (called only when the task runs on a loop and holds it long).
  bool Schedule(std::function<void()> task, std::function<void()> on_stall = nullptr);
  bool SchedulePool(std::function<void()> task);
  // See the header comment. Idempotent.
  void Stop();

  // Tasks that ran on loops and on the pool so far (for tests).
  uint64_t ran_inline() const { return ran_inline_.load(std::memory_order_relaxed); }
  uint64_t ran_on_pool() const { return ran_on_pool_.load(std::memory_order_relaxed); }

 private:
  EventLoops* const loops_;
  std::atomic<bool> stopped_{false};
  std::atomic<uint64_t> ran_inline_{0};
  std::atomic<uint64_t> ran_on_pool_{0};
  WorkerPool pool_;
};

}  // namespace tenantdb::server::http
