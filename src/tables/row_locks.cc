#include "tables/row_locks.h"

#include <algorithm>
#include <cassert>

#include "absl/hash/hash.h"
#include "storage/hot/key_codec.h"

namespace tenantdb {

namespace {

// How often a waiter wakes on its own to poll its CancelToken and refresh its edge of the
// waits-for graph (the holder may have changed, closing a cycle elsewhere).
constexpr std::chrono::milliseconds kPollEvery{10};

}  // namespace

Result<std::string> RowLockKey(uint32_t table_number, const UserId* user,
                               const std::vector<DataType>& key_types,
                               const std::vector<Value>& key) {
  // The hot store's own row key: table, user slice, key columns (all self-delimiting).
  std::string out = user != nullptr ? EncodeUserPrefix(table_number, user->str())
                                    : EncodeTablePrefix(table_number);
  TDB_RETURN_IF_ERROR(AppendKeyColumns(key_types, key, &out));
  return out;
}

RowLockManager::Shard& RowLockManager::ShardFor(std::string_view key) {
  return shards_[absl::Hash<std::string_view>{}(key) % kShards];
}

bool RowLockManager::StartWaiting(uint64_t owner, uint64_t holder) {
  std::lock_guard<std::mutex> lock(graph_mu_);
  waits_for_[owner] = holder;
  // Follow the chain of waits from the holder; reaching `owner` closes a cycle. The
  // chain is at most as long as the graph (each owner waits for one other at a time).
  uint64_t at = holder;
  for (size_t steps = 0; steps <= waits_for_.size(); ++steps) {
    if (at == owner) return true;
    auto it = waits_for_.find(at);
    if (it == waits_for_.end()) return false;
    at = it->second;
  }
  return false;
}

void RowLockManager::StopWaiting(uint64_t owner) {
  std::lock_guard<std::mutex> lock(graph_mu_);
  waits_for_.erase(owner);
}

Result<bool> RowLockManager::Lock(uint64_t owner, const std::string& key, CancelToken* cancel,
                                  std::chrono::milliseconds lock_timeout) {
  Shard& shard = ShardFor(key);
  std::unique_lock<std::mutex> lock(shard.mu);
  auto [it, inserted] = shard.locks.try_emplace(key, Held{owner, {}});
  if (inserted) return true;
  if (it->second.owner == owner) return false;
  Waiter me{owner, {}, false};
  it->second.waiters.push_back(&me);
  const auto started = std::chrono::steady_clock::now();
  // Leaves the queue without the lock (the caller's statement fails).
  auto give_up = [&](Status status) -> Result<bool> {
    auto held = shard.locks.find(key);
    assert(held != shard.locks.end());  // a queued waiter's lock is held by someone
    std::deque<Waiter*>& queue = held->second.waiters;
    queue.erase(std::find(queue.begin(), queue.end(), &me));
    StopWaiting(owner);
    return status;
  };
  while (true) {
    if (me.granted) {
      StopWaiting(owner);
      return true;
    }
    auto held = shard.locks.find(key);
    assert(held != shard.locks.end());
    if (StartWaiting(owner, held->second.owner)) {
      return give_up(Status(ErrorCode::kDeadlockDetected,
                            "deadlock detected: this transaction and another wait for each "
                            "other's row locks; this one is rolled back, retry it"));
    }
    if (cancel != nullptr) {
      if (Status s = cancel->Check(); !s.ok()) return give_up(std::move(s));
    }
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(kPollEvery);
    if (lock_timeout.count() > 0) {
      const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - started);
      if (waited >= lock_timeout) {
        return give_up(Status(ErrorCode::kLockNotAvailable,
                              "canceling statement due to lock timeout: another transaction "
                              "holds the row lock for longer than lock_timeout (" +
                                  std::to_string(lock_timeout.count()) + " ms)"));
      }
      wait = std::min(wait, lock_timeout - waited);
    }
    me.granted_cv.wait_for(lock, wait, [&] { return me.granted; });
  }
}

void RowLockManager::ReleaseAll(uint64_t owner, const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    Shard& shard = ShardFor(key);
    std::lock_guard<std::mutex> lock(shard.mu);
    auto it = shard.locks.find(key);
    if (it == shard.locks.end() || it->second.owner != owner) continue;
    std::deque<Waiter*>& queue = it->second.waiters;
    if (queue.empty()) {
      shard.locks.erase(it);
      continue;
    }
    // Hand the lock to the first waiter and wake only it. Under the mutex: the waiter,
    // on its thread's stack, cannot leave before it is notified.
    Waiter* next = queue.front();
    queue.pop_front();
    it->second.owner = next->owner;
    next->granted = true;
    next->granted_cv.notify_one();
  }
}

size_t RowLockManager::num_held() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    n += shard.locks.size();
  }
  return n;
}

size_t RowLockManager::num_waiting() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    for (const auto& [key, held] : shard.locks)
      n += held.waiters.size();
  }
  return n;
}

}  // namespace tenantdb
