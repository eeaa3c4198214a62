// StatementScheduler: where a request's work runs — a statement step, a login's password
// hash. Preferably on the I/O thread that read the request, right after the handler
// running now: Asio's defer puts the task on that thread's private queue, so no lock is
// taken, no other thread is woken and the request's memory stays in one core's cache.
// Handing every request to a separate worker thread and back cost two thread wake-ups
// per request, the largest share of a small request's CPU.
//
// At most `inline_slots` tasks run on I/O threads at once (the I/O context runs that
// many threads more than it needs for I/O), so the remaining I/O threads keep reading,
// writing and answering /health while statements run. Tasks past that, and tasks
// scheduled from a thread that is not one of the I/O threads (an admission slot freed by
// a worker), run on an overflow WorkerPool.
//
// Thread safety: Schedule() may be called from any thread. Stop() drains the overflow
// pool and refuses later tasks; tasks already deferred on I/O threads run as those
// threads get to them (the server waits for its requests before it stops its I/O).
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "server/http/worker_pool.h"

namespace tenantdb::server::http {

class StatementScheduler {
 public:
  StatementScheduler(boost::asio::io_context::executor_type io, size_t inline_slots,
                     size_t pool_threads);
  StatementScheduler(const StatementScheduler&) = delete;
  StatementScheduler& operator=(const StatementScheduler&) = delete;

  // Runs `task` soon, once; false (the task is dropped) after Stop().
  bool Schedule(std::function<void()> task);
  // See the header comment. Idempotent.
  void Stop();

  // Tasks that ran on I/O threads and on the overflow pool so far (for tests).
  uint64_t ran_inline() const { return ran_inline_.load(std::memory_order_relaxed); }
  uint64_t ran_on_pool() const { return ran_on_pool_.load(std::memory_order_relaxed); }

 private:
  const boost::asio::io_context::executor_type io_;
  std::atomic<int64_t> free_slots_;
  std::atomic<bool> stopped_{false};
  std::atomic<uint64_t> ran_inline_{0};
  std::atomic<uint64_t> ran_on_pool_{0};
  WorkerPool pool_;
};

}  // namespace tenantdb::server::http
