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
// Catalog changes. A thread of the hub compares, every [ws] catalog_check_ms, what the
// registered subscriptions were bound to with the catalog: a table dropped (or dropped
// and created again) or altered since, and each session's account (dropped, or its
// credentials_version or role changed: a password or role change). Each finding is a
// CatalogNotice posted to the sessions (tables: to every session, which ends the
// subscriptions bound to that table and generation; accounts: to that user's sessions,
// which end every subscription and close, since their token no longer authenticates).
// A table notice repeats each round while a registration of the stale generation
// remains (a subscription still opening when the first one came). Cost per round: one
// catalog-cache lookup per distinct (table, generation) subscribed and one account read
// per distinct authenticated user.
//
// Thread safety: every method may be called from any thread. Cost per commit: one hash
// lookup (by slice) plus one copy of the records per matching subscription.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "server/ws/ws_options.h"
#include "tenantdb/account.h"
#include "tenantdb/changes.h"
#include "tenantdb/database.h"
#include "tenantdb/status.h"

namespace tenantdb::server::ws {

// Changes waiting for one connection's strand.
class Sink {
 public:
  struct Pending {
    uint64_t subscription = 0;  // the connection's key of the subscription
    // Shared by every subscription the event reached (copied once per event, not per
    // subscription).
    std::shared_ptr<const std::vector<ChangeRecord>> records;
  };

  // `wake` is called (outside the lock) when the first item of a batch is queued; it must
  // only post to the connection's strand. `max_records`: the bound past which the sink
  // overflows.
  Sink(std::function<void()> wake, size_t max_records)
      : wake_(std::move(wake)), max_records_(max_records) {}

  void Push(uint64_t subscription, const std::shared_ptr<const std::vector<ChangeRecord>>& records);
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

// What the catalog check tells a session (ws_session.cc ends subscriptions with it).
struct CatalogNotice {
  enum class Kind : unsigned char { kTable, kAccount };
  Kind kind = Kind::kTable;
  // kTable: the table and the generation (LiveQuery::table_generation) now stale.
  std::string ns;
  std::string table;
  uint64_t generation = 0;
  // table_dropped, schema_changed, user_dropped, credentials_changed or role_changed.
  std::string code;
  std::string message;
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
  // `generation` is the query's LiveQuery::table_generation() (the catalog check's key).
  uint64_t Add(std::string_view ns, std::string_view table, std::string_view user,
               uint64_t generation, std::shared_ptr<Sink> sink, uint64_t subscription);
  void Remove(uint64_t registration);

  // Counts a subscription of `user` ([ws] max_subscriptions_per_user); error
  // program_limit... as too_many_connections with the limit named.
  Status AcquireUserSlot(const std::string& user);
  void ReleaseUserSlot(const std::string& user);

  // Open sessions, for shutdown: `close` is called by CloseAll, `notify` by the catalog
  // check (both must only post to the session's strand).
  uint64_t RegisterSession(std::function<void()> close,
                           std::function<void(const CatalogNotice&)> notify);
  // The account session `id` authenticated as, as it was then (the catalog check
  // compares it with the catalog's).
  void SetSessionAccount(uint64_t id, Account account);
  // One round of the catalog check now (the hub's thread runs one every
  // catalog_check_ms; tests call it to avoid waiting).
  void CheckCatalog();
  void UnregisterSession(uint64_t id);
  void CloseAll();
  size_t SessionCount();

  // Removes the change listener (before the Database goes). Idempotent.
  void Stop();

 private:
  using TableKey = std::tuple<std::string, std::string, uint64_t>;  // ns, table, generation
  struct Registration {
    std::string slice;
    TableKey table;
    std::shared_ptr<Sink> sink;
    uint64_t subscription = 0;
  };
  struct SessionEntry {
    std::function<void()> close;
    std::function<void(const CatalogNotice&)> notify;
    std::optional<Account> account;
    bool account_notified = false;
  };
  void CheckLoop();
  void OnEvent(const ChangeEvent& event);
  static std::string SliceKey(std::string_view ns, std::string_view table, std::string_view user);

  Database* db_;
  const WsOptions options_;
  std::shared_mutex routes_mu_;
  // slice key -> registration ids; guarded by routes_mu_
  std::unordered_map<std::string, std::vector<uint64_t>> by_slice_;
  std::unordered_map<uint64_t, Registration> registrations_;  // guarded by routes_mu_
  uint64_t next_registration_ = 1;                            // guarded by routes_mu_
  std::map<TableKey, size_t> tables_;  // registrations per bound table; guarded by routes_mu_

  std::mutex users_mu_;
  std::unordered_map<std::string, size_t> per_user_;  // guarded by users_mu_

  std::mutex sessions_mu_;
  std::unordered_map<uint64_t, SessionEntry> sessions_;  // guarded by sessions_mu_
  uint64_t next_session_ = 1;                            // guarded by sessions_mu_

  std::mutex check_run_mu_;  // one catalog check at a time
  std::mutex check_mu_;
  std::condition_variable check_cv_;
  bool stopping_ = false;  // guarded by check_mu_
  std::thread checker_;

  ChangeListenerHandle listener_;
};

}  // namespace tenantdb::server::ws
