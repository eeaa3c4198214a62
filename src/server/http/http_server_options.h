// HttpServerOptions: what the HTTP server is told, from ServerConfig ([server], [limits],
// [logging], [http]); tests set them directly.
//
// Thread safety: a value.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "server/config/server_config.h"
#include "server/ws/ws_options.h"

namespace tenantdb::server::http {

struct HttpServerOptions {
  ListenAddress listen = {"127.0.0.1", 8080};
  // Event loops (event_loops.h), each one thread (0: two per hardware thread). Connections
  // are pinned to a loop and cost memory, not threads, so a few serve thousands. A
  // request's statements run on its loop's thread (commits do not wait for the WAL sync
  // there; replies do): no hand-off to another thread and back, which on a VM cost more
  // than the statement. A loop held too long by one
  // statement gets a rescue thread (up to worker_threads of them), so the loop's other
  // connections go on.
  size_t io_threads = 0;
  // [server] worker_threads: the pool that runs password hashes (login, refresh, logout,
  // Basic credentials) and the requests they authenticate (0: four per hardware thread,
  // at least 16; statement_scheduler.h).
  size_t worker_threads = 0;
  // [server] max_concurrent_statements: requests running statements at once; as many
  // more may wait in line; past that, 503 too_many_connections.
  size_t max_concurrent_statements = 256;
  // [server] max_body_bytes: larger bodies get 413 request_too_large.
  uint64_t max_body_bytes = 10ull << 20;
  // [http] max_header_bytes: request line plus headers; larger gets 431.
  uint32_t max_header_bytes = 16 << 10;
  // [server] shutdown_timeout: how long in-flight requests may finish on shutdown.
  std::chrono::milliseconds shutdown_timeout = std::chrono::seconds(30);
  // [http] idle_timeout: a keep-alive connection with no request for this long is closed.
  std::chrono::milliseconds idle_timeout = std::chrono::seconds(60);
  // [http] request_timeout: a request whose first byte arrived must be complete within
  // this (slow clients that never finish a request are dropped; nobody else waits).
  std::chrono::milliseconds request_timeout = std::chrono::seconds(30);
  // [http] write_timeout: a response write (one slice) that makes no progress for this
  // long drops the connection and cancels its statement.
  std::chrono::milliseconds write_timeout = std::chrono::seconds(30);
  // [logging] slow_statement_ms: statements at least this slow are logged (0: all,
  // -1: none).
  int64_t slow_statement_ms = 1000;
  // [limits] requests_per_second_per_user (0: no limit).
  int64_t requests_per_second_per_user = 0;
  // [http] cors_allowed_origins: origins ("*": any) that get CORS headers (cors.h).
  std::vector<std::string> cors_allowed_origins;
  // Bytes of response a SQL request produces before it waits for the client to take them.
  size_t chunk_bytes = 64 << 10;
  // [ws]: the live-query WebSocket's limits.
  ws::WsOptions ws;

  // The options `config` gives.
  static HttpServerOptions FromConfig(const ServerConfig& config);
};

}  // namespace tenantdb::server::http
