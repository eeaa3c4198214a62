#include "server/http/statement_scheduler.h"

#include <boost/asio/defer.hpp>
#include <utility>

namespace tenantdb::server::http {

StatementScheduler::StatementScheduler(EventLoops* loops, size_t pool_threads)
    : loops_(loops), pool_(pool_threads) {}

bool StatementScheduler::Schedule(std::function<void()> task, std::function<void()> on_stall) {
  if (stopped_.load(std::memory_order_acquire)) return false;
  boost::asio::io_context* loop = EventLoops::CurrentLoop();
  if (loop == nullptr) return SchedulePool(std::move(task));
  ran_inline_.fetch_add(1, std::memory_order_relaxed);
  boost::asio::defer(*loop, [this, task = std::move(task), on_stall = std::move(on_stall)] {
    loops_->RunInline(task, on_stall ? &on_stall : nullptr);
  });
  return true;
}

bool StatementScheduler::SchedulePool(std::function<void()> task) {
  if (stopped_.load(std::memory_order_acquire)) return false;
  ran_on_pool_.fetch_add(1, std::memory_order_relaxed);
  return pool_.Submit(std::move(task));
}

void StatementScheduler::Stop() {
  stopped_.store(true, std::memory_order_release);
  pool_.Stop();
}

}  // namespace tenantdb::server::http
