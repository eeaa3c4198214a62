// WorkerPool: the fixed set of threads that run password hashes (and the requests they
// authenticate) for the HTTP server, so no event loop spends tens of milliseconds on one.
//
// Tasks run in submission order on whichever thread is free. The queue is unbounded here:
// what bounds it is StatementAdmission (a request holds at most one queued task at a
// time), so a flood of connections cannot grow it past max_concurrent_statements.
//
// Thread safety: Submit() may be called from any thread, also from a task. Stop() (or
// the destructor) runs the tasks already queued, then joins the threads; tasks submitted
// after Stop() began are dropped. Cost: one mutex + condition variable per task.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tenantdb::server::http {

class WorkerPool {
 public:
  explicit WorkerPool(size_t threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; false (the task is dropped) once Stop() has begun.
  bool Submit(std::function<void()> task);
  // Drains the queue and joins every thread. Idempotent.
  void Stop();

  size_t threads() const { return threads_.size(); }

 private:
  void Run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace tenantdb::server::http
