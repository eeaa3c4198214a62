// PgServerState: what every connection of one PgServer shares — the database, the
// authenticator, the options, the logger, the registry of
// connections by BackendKeyData (for CancelRequest and shutdown) and the count of
// connections whose messages are being processed. Internal to server/pgwire.
//
// Thread safety: pointers set before the server starts; the registry and counters are
// under `mutex_` or atomic. Ownership: db and authenticator outlive the server.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include <spdlog/logger.h>

#include "server/auth/authenticator.h"
#include "server/pgwire/pg_server_options.h"
#include "server/tls/tls_context.h"
#include "tenantdb/database.h"

namespace tenantdb::server::pgwire {

class PgConnection;

struct PgServerState {
  PgServerOptions options;
  Database* db = nullptr;
  Authenticator* authenticator = nullptr;
  std::shared_ptr<spdlog::logger> log;
  // The certificate SSLRequests are answered with; null: TLS is declined ('N').
  std::shared_ptr<tls::TlsContext> tls;
  std::atomic<bool> shutting_down{false};
  // Connection threads still running (thread_per_connection); shutdown waits for them.
  std::atomic<int64_t> connection_threads{0};

  // Registers a connection; returns its process id and sets `*secret_key` (random).
  int32_t Register(std::weak_ptr<PgConnection> connection, int32_t* secret_key);
  void Unregister(int32_t process_id);
  // The connection with that BackendKeyData, if it is still open.
  std::shared_ptr<PgConnection> Find(int32_t process_id, int32_t secret_key);
  std::vector<std::shared_ptr<PgConnection>> Connections();
  size_t ConnectionCount();

  // Connections whose messages are being processed now.
  void WorkStarted();
  void WorkEnded();
  // Waits until none is, or `deadline`; true when none is.
  bool WaitForIdle(std::chrono::steady_clock::time_point deadline);

 private:
  struct Entry {
    std::weak_ptr<PgConnection> connection;
    int32_t secret_key = 0;
  };
  std::mutex mutex_;
  std::condition_variable idle_;
  int64_t busy_ = 0;
  int32_t next_process_id_ = 0;
  std::unordered_map<int32_t, Entry> connections_;
};

}  // namespace tenantdb::server::pgwire
