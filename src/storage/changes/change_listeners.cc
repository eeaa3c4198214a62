#include "storage/changes/change_listeners.h"

#include <algorithm>
#include <mutex>

namespace tenantdb {

uint64_t ChangeListeners::Add(Listener listener) {
  std::unique_lock lock(mu_);
  const uint64_t id = next_id_++;
  listeners_.emplace_back(id, std::move(listener));
  count_.store(listeners_.size(), std::memory_order_release);
  return id;
}

void ChangeListeners::Remove(uint64_t id) {
  std::unique_lock lock(mu_);
  std::erase_if(listeners_, [id](const auto& entry) { return entry.first == id; });
  count_.store(listeners_.size(), std::memory_order_release);
}

void ChangeListeners::Deliver(const CommittedChanges& changes) const {
  std::shared_lock lock(mu_);
  for (const auto& [id, listener] : listeners_)
    listener(changes);
}

}  // namespace tenantdb
