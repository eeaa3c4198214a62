#include "catalog/user_record_cache.h"

#include <utility>

#include "absl/hash/hash.h"

namespace tenantdb {

UserRecordCache::UserRecordCache(size_t capacity)
    : shard_capacity_((capacity + kShards - 1) / kShards) {}

UserRecordCache::Shard& UserRecordCache::ShardFor(std::string_view user) const {
  return shards_[absl::Hash<absl::string_view>{}(absl::string_view(user.data(), user.size())) %
                 kShards];
}

std::shared_ptr<const UserRecord> UserRecordCache::Find(std::string_view user) const {
  Shard& shard = ShardFor(user);
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.records.find(absl::string_view(user.data(), user.size()));
  return it == shard.records.end() ? nullptr : it->second.record;
}

void UserRecordCache::Insert(std::string_view user, std::shared_ptr<const UserRecord> record,
                             uint64_t generation, UserId pin) {
  if (shard_capacity_ == 0 || record == nullptr) return;
  Shard& shard = ShardFor(user);
  std::lock_guard<std::mutex> lock(shard.mu);
  // Checked under the shard's lock: Invalidate() bumps the generation before it takes
  // this lock to erase, so a fill either sees the bump or is erased after it.
  if (generation_.load(std::memory_order_acquire) != generation) return;
  if (shard.records.size() >= shard_capacity_ &&
      !shard.records.contains(absl::string_view(user.data(), user.size()))) {
    shard.records.erase(shard.records.begin());
  }
  shard.records.insert_or_assign(std::string(user),
                                 Shard::Entry{std::move(record), std::move(pin)});
}

void UserRecordCache::Invalidate(std::string_view user) {
  generation_.fetch_add(1, std::memory_order_acq_rel);
  Shard& shard = ShardFor(user);
  std::lock_guard<std::mutex> lock(shard.mu);
  shard.records.erase(absl::string_view(user.data(), user.size()));
}

size_t UserRecordCache::size() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    n += shard.records.size();
  }
  return n;
}

}  // namespace tenantdb
