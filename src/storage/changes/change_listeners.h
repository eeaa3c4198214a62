// ChangeListeners: the callbacks told of committed changes (tenantdb/changes.h's
// ChangeListener, before the engine names the table), and the one place that calls them.
//
// Cost when nobody listens: any() is one atomic load, and writers then build nothing for
// delivery. Removal waits for calls in progress (a shared lock is held across each
// delivery, an exclusive one by Add/Remove), so a removed listener is never called again
// and its captures may be destroyed once Remove returns. A listener must therefore never
// add or remove listeners itself (it would wait for itself).
//
// Thread safety: all methods may be called concurrently; Deliver from many writer
// threads at once (listeners must be thread-safe).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "tenantdb/changes.h"

namespace tenantdb {

// The changes one commit made to one slice, in sequence order.
struct CommittedChanges {
  uint32_t table_number = 0;
  std::string user;  // empty for a SHARED table
  std::vector<ChangeRecord> changes;
};

class ChangeListeners {
 public:
  using Listener = std::function<void(const CommittedChanges&)>;

  // Registers `listener`; returns its id for Remove.
  uint64_t Add(Listener listener);
  // Unregisters listener `id` (unknown ids are ignored), after any call in progress.
  void Remove(uint64_t id);
  // Whether any listener is registered (a relaxed hint: a listener added concurrently
  // with a commit may miss that commit).
  bool any() const { return count_.load(std::memory_order_acquire) > 0; }
  // Calls every listener with `changes`.
  void Deliver(const CommittedChanges& changes) const;

 private:
  mutable std::shared_mutex mu_;
  std::vector<std::pair<uint64_t, Listener>> listeners_;  // guarded by mu_
  uint64_t next_id_ = 1;                                  // guarded by mu_
  std::atomic<size_t> count_{0};
};

}  // namespace tenantdb
