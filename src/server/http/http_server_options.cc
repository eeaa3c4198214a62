#include "server/http/http_server_options.h"

#include <algorithm>
#include <thread>

namespace tenantdb::server::http {

HttpServerOptions HttpServerOptions::FromConfig(const ServerConfig& config) {
  HttpServerOptions options;
  options.listen = config.server.listen;
  options.worker_threads = static_cast<size_t>(config.server.worker_threads);
  if (options.worker_threads == 0) {
    // A commit mostly waits for its WAL sync; commits waiting at once share one sync, so
    // more workers than cores turn waiting into throughput.
    options.worker_threads = std::max(16u, 4 * std::thread::hardware_concurrency());
  }
  options.io_threads = static_cast<size_t>(config.server.io_threads);
  options.max_concurrent_statements = static_cast<size_t>(config.server.max_concurrent_statements);
  options.max_body_bytes = config.server.max_body_bytes;
  options.shutdown_timeout = config.server.shutdown_timeout;
  options.slow_statement_ms = config.logging.slow_statement_ms;
  options.requests_per_second_per_user = config.limits.requests_per_second_per_user;
  options.idle_timeout = config.http.idle_timeout;
  options.request_timeout = config.http.request_timeout;
  options.write_timeout = config.http.write_timeout;
  options.max_header_bytes = static_cast<uint32_t>(config.http.max_header_bytes);
  options.cors_allowed_origins = config.http.cors_allowed_origins;
  options.ws.max_queue_messages = static_cast<size_t>(config.ws.max_queue_messages);
  options.ws.max_queue_bytes = static_cast<size_t>(config.ws.max_queue_bytes);
  options.ws.max_subscriptions_per_connection =
      static_cast<size_t>(config.ws.max_subscriptions_per_connection);
  options.ws.max_subscriptions_per_user = static_cast<size_t>(config.ws.max_subscriptions_per_user);
  options.ws.max_message_bytes = static_cast<size_t>(config.ws.max_message_bytes);
  options.ws.max_snapshot_rows = static_cast<size_t>(config.ws.max_snapshot_rows);
  return options;
}

}  // namespace tenantdb::server::http
