#include "server/http/statement_scheduler.h"

#include <boost/asio/defer.hpp>
#include <utility>

namespace tenantdb::server::http {

StatementScheduler::StatementScheduler(boost::asio::io_context::executor_type io,
                                       size_t inline_slots, size_t pool_threads)
    : io_(std::move(io)), free_slots_(static_cast<int64_t>(inline_slots)), pool_(pool_threads) {}

bool StatementScheduler::Schedule(std::function<void()> task) {
  if (stopped_.load(std::memory_order_acquire)) return false;
  if (io_.running_in_this_thread()) {
    int64_t free = free_slots_.load(std::memory_order_relaxed);
    while (free > 0 &&
           !free_slots_.compare_exchange_weak(free, free - 1, std::memory_order_acq_rel)) {
    }
    if (free > 0) {
      ran_inline_.fetch_add(1, std::memory_order_relaxed);
      boost::asio::defer(io_, [this, task = std::move(task)] {
        task();
        free_slots_.fetch_add(1, std::memory_order_acq_rel);
      });
      return true;
    }
  }
  ran_on_pool_.fetch_add(1, std::memory_order_relaxed);
  return pool_.Submit(std::move(task));
}

void StatementScheduler::Stop() {
  stopped_.store(true, std::memory_order_release);
  pool_.Stop();
}

}  // namespace tenantdb::server::http
