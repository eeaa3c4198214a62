#include "kv/wal_syncer.h"

#include <cassert>
#include <future>

namespace tenantdb {

WalSyncer::WalSyncer(std::function<Status()> sync, std::function<uint64_t()> latest,
                     uint64_t durable)
    : sync_(std::move(sync)), latest_(std::move(latest)), durable_(durable) {
  assert(sync_ && latest_);
}

WalSyncer::~WalSyncer() {
  Stop();
}

void WalSyncer::WhenDurable(uint64_t position, Callback done) {
  if (IsDurable(position)) {
    done(Status::Ok());
    return;
  }
  std::unique_lock<std::mutex> lock(mu_);
  if (!failed_.ok()) {
    const Status failed = failed_;
    lock.unlock();
    done(failed);
    return;
  }
  if (stopping_) {
    // The syncer's thread is gone (or going): sync here, for this one.
    std::vector<std::pair<uint64_t, Callback>> one;
    one.emplace_back(position, std::move(done));
    lock.unlock();
    SyncFor(&one);
    return;
  }
  waiting_.emplace_back(position, std::move(done));
  if (!thread_.joinable()) {
    thread_ = std::thread([this] { Run(); });
    return;
  }
  lock.unlock();
  wake_.notify_one();
}

Status WalSyncer::failure() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failed_;
}

Status WalSyncer::WaitUntilDurable(uint64_t position) {
  if (IsDurable(position)) return Status::Ok();
  std::promise<Status> answer;
  WhenDurable(position, [&answer](const Status& s) { answer.set_value(s); });
  return answer.get_future().get();
}

void WalSyncer::MarkDurable(uint64_t position) {
  uint64_t seen = durable_.load(std::memory_order_relaxed);
  while (seen < position &&
         !durable_.compare_exchange_weak(seen, position, std::memory_order_acq_rel)) {
  }
}

void WalSyncer::Stop() {
  std::thread thread;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    thread = std::move(thread_);
  }
  wake_.notify_one();
  if (thread.joinable()) thread.join();
}

void WalSyncer::Drain() {
  std::unique_lock<std::mutex> lock(mu_);
  drained_.wait(lock, [this] { return waiting_.empty() && !answering_; });
}

void WalSyncer::Run() {
  std::vector<std::pair<uint64_t, Callback>> batch;
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
    if (waiting_.empty()) return;  // stopping, and nobody waits
    batch.swap(waiting_);
    answering_ = true;
    lock.unlock();
    SyncFor(&batch);
    batch.clear();
    lock.lock();
    answering_ = false;
    drained_.notify_all();
  }
}

void WalSyncer::SyncFor(std::vector<std::pair<uint64_t, Callback>>* waiting) {
  // Every waiter's position was visible before it queued, so before this read: the sync
  // below, begun after it, covers them all (and whatever else is visible by now).
  const uint64_t target = latest_();
  Status status;
  {
    std::lock_guard<std::mutex> lock(mu_);
    status = failed_;
  }
  if (status.ok()) {
    status = sync_();
    syncs_.fetch_add(1, std::memory_order_relaxed);
    if (status.ok()) {
      MarkDurable(target);
    } else {
      std::lock_guard<std::mutex> lock(mu_);
      if (failed_.ok()) failed_ = status;
    }
  }
  for (auto& [position, done] : *waiting) {
    assert(!status.ok() || IsDurable(position));
    done(status);
  }
}

}  // namespace tenantdb
