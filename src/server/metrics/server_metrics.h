// ServerMetrics: the figures GET /metrics serves, in the Prometheus text exposition
// format (version 0.0.4): the server's own (requests by route and status, latency
// histograms, open connections, running statements) and the database's
// (tenantdb::Database::Stats(): catalog cache, row cache, flush jobs, RocksDB).
//
// Routes are the router's fixed route names, never raw request paths, so a client cannot
// grow the label set: "/v1/api/sql", "/v1/api/auth/login", "/v1/api/auth/refresh",
// "/v1/api/auth/logout", "/v1/api/auth/me", "/v1/ws", "/health", "/ready", "/metrics";
// any other name is counted as "other". Statuses 100-599 are counted as themselves,
// anything else as "other".
//
// Thread safety: every method may be called from any thread at once; recording is a few
// relaxed atomic adds (no lock on the request path). Cost: RenderPrometheus walks every
// series (a few hundred lines).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "tenantdb/database.h"

namespace tenantdb::server {

class ServerMetrics {
 public:
  ServerMetrics();
  ~ServerMetrics();
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  // One finished HTTP request: its route name, status and time from the first byte read
  // to the last byte written.
  void RequestFinished(std::string_view route, int http_status, std::chrono::microseconds latency);
  void ConnectionOpened();
  void ConnectionClosed();
  void StatementStarted();
  void StatementFinished();

  // The whole exposition, the database's figures included.
  std::string RenderPrometheus(Database& db) const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace tenantdb::server
