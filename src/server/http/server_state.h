// ServerState: what every connection and route of one HttpServer shares — the database,
// the authenticator, the metrics, the logger, the statement scheduler, the admission,
// the per-user request limiter, the shutdown flag and the count of requests in flight.
// Internal to server/http (HttpServer owns it; connections hold a shared_ptr).
//
// Thread safety: the pointers are set before the server starts and never change; the
// counters and flags are atomics or under `mutex`. Ownership: db, authenticator and
// metrics belong to the caller of HttpServer::Start and outlive the server.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <spdlog/logger.h>

#include "server/auth/authenticator.h"
#include "server/auth/rate_limiter.h"
#include "server/http/http_server_options.h"
#include "server/http/statement_admission.h"
#include "server/http/statement_scheduler.h"
#include "server/metrics/server_metrics.h"
#include "tenantdb/database.h"

namespace tenantdb::server::ws {
class WsHub;
}

namespace tenantdb::server::http {

class HttpConnection;

struct ServerState {
  HttpServerOptions options;
  Database* db = nullptr;
  Authenticator* authenticator = nullptr;
  ServerMetrics* metrics = nullptr;
  std::shared_ptr<spdlog::logger> log;
  std::unique_ptr<RateLimiter> request_limiter;  // null: no per-user limit
  std::unique_ptr<StatementScheduler> scheduler;
  std::shared_ptr<StatementAdmission> admission;
  // Live queries over WebSocket: the change fan-out and the open sockets (ws_hub.h).
  std::shared_ptr<ws::WsHub> ws_hub;
  // Set on SIGTERM/SIGINT: new requests get 503 admin_shutdown.
  std::atomic<bool> shutting_down{false};
  // Set when the shutdown deadline passed: requests still waiting for a worker are
  // answered 503 admin_shutdown instead of run.
  std::atomic<bool> cancel_all{false};
  // A request id: 16 hex digits, unique within the process, unpredictable across
  // restarts (a random prefix and a counter).
  std::string NextRequestId();

  // Requests dispatched to the worker pool and not yet answered.
  void WorkStarted();
  void WorkEnded();
  // Waits until no request is in flight or `deadline` passes; true when none is.
  bool WaitForIdle(std::chrono::steady_clock::time_point deadline);

  // Open connections, so shutdown can close idle ones and cancel running statements.
  uint64_t RegisterConnection(std::weak_ptr<HttpConnection> connection);
  void UnregisterConnection(uint64_t id);
  std::vector<std::shared_ptr<HttpConnection>> Connections();
  size_t ConnectionCount();
  int64_t InFlight();

  uint64_t id_prefix = 0;
  std::atomic<uint64_t> id_counter{0};

 private:
  std::mutex mutex_;
  std::condition_variable idle_;
  int64_t in_flight_ = 0;
  uint64_t next_connection_id_ = 0;
  std::unordered_map<uint64_t, std::weak_ptr<HttpConnection>> connections_;
};

}  // namespace tenantdb::server::http
