// WsHub: the one change listener of the server's live queries, and what all WebSocket
// connections share (the per-user subscription counts, the open sessions for shutdown).
//
// Fan-out. The hub registers ONE Database change listener when it is made (at server
// start) and keeps it until Stop(): so every commit that starts after the server started
// reaches the hub, including commits already under way when a subscription registers
// (a listener added later would miss those: tenantdb/changes.h). Each event is looked up
// by its slice (namespace, table, user) in a hash map of registrations, under a shared
// lock; each registered subscription's Sink (one per connection) gets a copy of the
// records. Sink::Push never blocks beyond a short mutex and never touches a socket: it
// queues, and at most once per drain posts a wake-up to the connection's strand. A sink
// whose queue passes its bound stops queueing and marks itself overflowed (the
// connection then disconnects the slow client), so memory stays bounded and writers
// never wait for a client.
//
// Registration order gives the exactness argument of tenantdb/live_query.h: a
// subscription registers BEFORE it reads its snapshot, so every event dispatched after
// registration is queued for it, and every event dispatched before has a number at or
// below the published number the snapshot read afterwards.
//
// Thread safety: every method may be called from any thread. Cost per commit: one hash
// lookup (by slice) plus one copy of the records per matching subscription.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/ws/ws_options.h"
#include "tenantdb/changes.h"
#include "tenantdb/database.h"
#include "tenantdb/status.h"

namespace tenantdb::server::ws {

// Changes waiting for one connection's strand.
class Sink {
 public:
  struct Pending {
    uint64_t subscription = 0;  // the connection's key of the subscription
    std::vector<ChangeRecord> records;
  };

  // `wake` is called (outside the lock) when the first item of a batch is queued; it must
  // only post to the connection's strand. `max_records`: the bound past which the sink
  // overflows.
  Sink(std::function<void()> wake, size_t max_records)
      : wake_(std::move(wake)), max_records_(max_records) {}

  void Push(uint64_t subscription, const std::vector<ChangeRecord>& records);
  // Takes everything queued (the strand calls it when woken); `overflowed` says the
  // bound was passed (what was queued then is dropped).
  std::deque<Pending> Take(bool* overflowed);

 private:
  std::function<void()> wake_;
  const size_t max_records_;
  std::mutex mu_;
  std::deque<Pending> pending_;  // guarded by mu_
  size_t records_ = 0;           // guarded by mu_
  bool overflowed_ = false;      // guarded by mu_
  bool wake_posted_ = false;     // guarded by mu_
};

class WsHub {
 public:
  WsHub(Database* db, WsOptions options);
  ~WsHub();
  WsHub(const WsHub&) = delete;
  WsHub& operator=(const WsHub&) = delete;

  const WsOptions& options() const { return options_; }
  Database* db() const { return db_; }

  // Routes the changes of slice (ns, table, user) to `sink` as `subscription`; returns
  // the registration's id for Remove.
  uint64_t Add(std::string_view ns, std::string_view table, std::string_view user,
               std::shared_ptr<Sink> sink, uint64_t subscription);
  void Remove(uint64_t registration);

  // Counts a subscription of `user` ([ws] max_subscriptions_per_user); error
  // program_limit... as too_many_connections with the limit named.
  Status AcquireUserSlot(const std::string& user);
  void ReleaseUserSlot(const std::string& user);

  // Open sessions, for shutdown: `close` is called by CloseAll (it must only post).
  uint64_t RegisterSession(std::function<void()> close);
  void UnregisterSession(uint64_t id);
  void CloseAll();
  size_t SessionCount();

  // Removes the change listener (before the Database goes). Idempotent.
  void Stop();

 private:
  struct Registration {
    std::string slice;
    std::shared_ptr<Sink> sink;
    uint64_t subscription = 0;
  };
  void OnEvent(const ChangeEvent& event);
  static std::string SliceKey(std::string_view ns, std::string_view table, std::string_view user);

  Database* db_;
  const WsOptions options_;
  std::shared_mutex routes_mu_;
  // slice key -> registration ids; guarded by routes_mu_
  std::unordered_map<std::string, std::vector<uint64_t>> by_slice_;
  std::unordered_map<uint64_t, Registration> registrations_;  // guarded by routes_mu_
  uint64_t next_registration_ = 1;                            // guarded by routes_mu_

  std::mutex users_mu_;
  std::unordered_map<std::string, size_t> per_user_;  // guarded by users_mu_

  std::mutex sessions_mu_;
  std::unordered_map<uint64_t, std::function<void()>> sessions_;  // guarded by sessions_mu_
  uint64_t next_session_ = 1;                                     // guarded by sessions_mu_

  ChangeListenerHandle listener_;
};

}  // namespace tenantdb::server::ws
