#include "common/rcu.h"

#include <urcu/urcu-bp.h>

#include <memory>

namespace tenantdb {

namespace {

// Derives from rcu_head so the callback can recover the whole object with a downcast.
struct Deferred : rcu_head {
  std::function<void()> fn;
};

void RunDeferred(rcu_head* head) {
  std::unique_ptr<Deferred> deferred(static_cast<Deferred*>(head));
  deferred->fn();
}

}  // namespace

RcuReadSection::RcuReadSection() {
  urcu_bp_read_lock();
}
RcuReadSection::~RcuReadSection() {
  urcu_bp_read_unlock();
}

void RcuDefer(std::function<void()> fn) {
  auto deferred = std::make_unique<Deferred>();
  deferred->fn = std::move(fn);
  urcu_bp_call_rcu(deferred.release(), &RunDeferred);
}

void RcuBarrier() {
  urcu_bp_barrier();
}

}  // namespace tenantdb
