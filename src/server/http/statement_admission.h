// StatementAdmission: the [server] max_concurrent_statements limit. A request that runs
// on the worker pool (a SQL request, a login) holds one slot from its first statement to
// its last byte; while every slot is taken, up to `max_waiting` more requests wait in
// line (first come, first served) and the rest are refused at once (HTTP 503
// too_many_connections) instead of queueing without bound.
//
// Thread safety: every method may be called from any thread. Ownership: a Ticket
// releases its slot when destroyed, which may admit the next waiter (its callback runs on
// the releasing thread, so callbacks must only hand work on, e.g. to the WorkerPool).
// Cost: one mutex per admit/release.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

namespace tenantdb::server::http {

class StatementAdmission : public std::enable_shared_from_this<StatementAdmission> {
 public:
  // A held slot; destroying it frees the slot.
  class Ticket {
   public:
    explicit Ticket(std::shared_ptr<StatementAdmission> owner) : owner_(std::move(owner)) {}
    ~Ticket();
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;

   private:
    std::shared_ptr<StatementAdmission> owner_;
  };
  using Admitted = std::function<void(std::unique_ptr<Ticket>)>;

  StatementAdmission(size_t max_running, size_t max_waiting)
      : max_running_(max_running == 0 ? 1 : max_running), max_waiting_(max_waiting) {}

  // Runs `admitted` with a ticket now (on this thread) when a slot is free, or later
  // (on the thread releasing a slot) when one frees up; false, without calling it, when
  // the waiting line is full too.
  bool Admit(Admitted admitted);

  size_t running() const;
  size_t waiting() const;

 private:
  void Release();

  const size_t max_running_;
  const size_t max_waiting_;
  mutable std::mutex mutex_;
  size_t running_ = 0;
  std::deque<Admitted> waiting_;
};

}  // namespace tenantdb::server::http
