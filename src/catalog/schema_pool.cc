#include "catalog/schema_pool.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"

namespace tenantdb {

struct SchemaPool::State {
  explicit State(HashFunction h) : hash(h) {}
  HashFunction hash;
  std::mutex mu;
  // hash -> schemas alive with that hash (more than one only on a collision)
  absl::flat_hash_map<size_t, std::vector<std::weak_ptr<const Schema>>> buckets;
  uint64_t unique = 0;
  std::atomic<uint64_t> intern_calls{0};

  // Runs when the last shared_ptr to `schema` goes: unlink it, then free it.
  void Forget(size_t h, const Schema* schema) {
    {
      std::lock_guard<std::mutex> lock(mu);
      auto it = buckets.find(h);
      if (it != buckets.end()) {
        auto& v = it->second;
        // expired() is true for `schema` now; compare owners without locking the weak_ptr.
        v.erase(std::remove_if(v.begin(), v.end(),
                               [](const std::weak_ptr<const Schema>& w) { return w.expired(); }),
                v.end());
        if (v.empty()) buckets.erase(it);
      }
      --unique;
    }
    std::default_delete<const Schema>()(schema);
  }
};

SchemaPool::SchemaPool(HashFunction hash) : state_(std::make_shared<State>(hash)) {}
SchemaPool::~SchemaPool() = default;

std::shared_ptr<const Schema> SchemaPool::Intern(std::vector<Field> fields,
                                                 SchemaMetadata metadata) {
  state_->intern_calls.fetch_add(1, std::memory_order_relaxed);
  auto candidate = std::make_unique<Schema>(std::move(fields), std::move(metadata));
  const size_t h = state_->hash(candidate->fields(), candidate->metadata());
  std::lock_guard<std::mutex> lock(state_->mu);
  auto& bucket = state_->buckets[h];
  for (const auto& weak : bucket) {
    // lock() fails for a schema whose last owner is leaving; it is replaced below.
    if (auto existing = weak.lock(); existing && *existing == *candidate) return existing;
  }
  std::weak_ptr<State> state = state_;
  std::shared_ptr<const Schema> schema(candidate.release(), [state, h](const Schema* s) {
    if (auto alive = state.lock()) {
      alive->Forget(h, s);
    } else {
      std::default_delete<const Schema>()(s);
    }
  });
  bucket.push_back(schema);
  ++state_->unique;
  return schema;
}

SchemaPool::Stats SchemaPool::stats() const {
  Stats s;
  s.intern_calls = state_->intern_calls.load(std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(state_->mu);
  s.unique_schemas = state_->unique;
  s.dedup_rate =
      s.intern_calls == 0 ? 0.0 : 1.0 - double(s.unique_schemas) / double(s.intern_calls);
  return s;
}

}  // namespace tenantdb
