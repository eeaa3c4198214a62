#include "tables/row_locks.h"

#include "absl/hash/hash.h"
#include "storage/hot/key_codec.h"

namespace tenantdb {

namespace {

// How often a waiter wakes on its own to poll its CancelToken and refresh its edge of the
// waits-for graph (the holder may have changed, closing a cycle elsewhere).
constexpr std::chrono::milliseconds kPollEvery{5};

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
  auto [it, inserted] = shard.holders.try_emplace(key, owner);
  if (inserted) return true;
  if (it->second == owner) return false;
  const auto started = std::chrono::steady_clock::now();
  while (true) {
    auto held = shard.holders.find(key);
    if (held == shard.holders.end()) {
      shard.holders.emplace(key, owner);
      StopWaiting(owner);
      return true;
    }
    if (StartWaiting(owner, held->second)) {
      StopWaiting(owner);
      return Status(ErrorCode::kDeadlockDetected,
                    "deadlock detected: this transaction and another wait for each other's "
                    "row locks; this one is rolled back, retry it");
    }
    if (cancel != nullptr) {
      if (Status s = cancel->Check(); !s.ok()) {
        StopWaiting(owner);
        return s;
      }
    }
    if (lock_timeout.count() > 0 && std::chrono::steady_clock::now() - started >= lock_timeout) {
      StopWaiting(owner);
      return Status(ErrorCode::kLockNotAvailable,
                    "canceling statement due to lock timeout: another transaction holds the "
                    "row lock for longer than lock_timeout (" +
                        std::to_string(lock_timeout.count()) + " ms)");
    }
    shard.released.wait_for(lock, kPollEvery);
  }
}

void RowLockManager::ReleaseAll(uint64_t owner, const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    Shard& shard = ShardFor(key);
    bool woke = false;
    {
      std::lock_guard<std::mutex> lock(shard.mu);
      auto it = shard.holders.find(key);
      if (it != shard.holders.end() && it->second == owner) {
        shard.holders.erase(it);
        woke = true;
      }
    }
    if (woke) shard.released.notify_all();
  }
}

size_t RowLockManager::num_held() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    n += shard.holders.size();
  }
  return n;
}

}  // namespace tenantdb
