#include "server/pgwire/pg_server_options.h"

#include <algorithm>
#include <thread>

namespace tenantdb::server::pgwire {

PgServerOptions PgServerOptions::FromConfig(const ServerConfig& config) {
  PgServerOptions options;
  options.listen = config.pgwire.listen;
  options.allow_cleartext_password = config.pgwire.allow_cleartext_password;
  options.ssl_cert_file = config.pgwire.ssl_cert_file;
  options.ssl_key_file = config.pgwire.ssl_key_file;
  options.ssl_required = config.pgwire.ssl_required;
  options.worker_threads = static_cast<size_t>(config.server.worker_threads);
  if (options.worker_threads == 0) {
    // As HTTP's (http_server_options.cc): commits mostly wait for the WAL sync.
    options.worker_threads = std::max(16u, 4 * std::thread::hardware_concurrency());
  }
  options.io_threads = static_cast<size_t>(config.server.io_threads);
  options.shutdown_timeout = config.server.shutdown_timeout;
  options.write_timeout = config.http.write_timeout;
  return options;
}

}  // namespace tenantdb::server::pgwire
