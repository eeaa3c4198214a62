// Database's durability calls and Session::DeferCommitSync (include/tenantdb/database.h,
// session.h): the engine's KvStore and its WAL syncer (kv/wal_syncer.h) do the work.
#include <condition_variable>
#include <mutex>

#include "engine/public_impl.h"

namespace tenantdb {

uint64_t Database::WritePosition() const {
  return impl_->engine->kv().WritePosition();
}

bool Database::IsDurable(uint64_t position) const {
  return impl_->engine->kv().IsDurable(position);
}

void Database::WhenDurable(uint64_t position, std::function<void(const Status&)> done) {
  impl_->engine->kv().WhenDurable(position, std::move(done));
}

Status Database::WaitUntilDurable(uint64_t position) {
  KvStore& kv = impl_->engine->kv();
  if (kv.IsDurable(position)) return Status::Ok();
  struct Wait {
    std::mutex mu;
    std::condition_variable done_cv;
    bool done = false;
    Status status;
  };
  auto wait = std::make_shared<Wait>();
  kv.WhenDurable(position, [wait](const Status& s) {
    std::lock_guard<std::mutex> lock(wait->mu);
    wait->status = s;
    wait->done = true;
    wait->done_cv.notify_one();
  });
  std::unique_lock<std::mutex> lock(wait->mu);
  wait->done_cv.wait(lock, [&] { return wait->done; });
  return wait->status;
}

void Database::DrainDurabilityCallbacks() {
  impl_->engine->kv().DrainDurabilityCallbacks();
}

void Session::DeferCommitSync(bool defer) {
  impl_->session.DeferCommitSync(defer);
}

}  // namespace tenantdb
