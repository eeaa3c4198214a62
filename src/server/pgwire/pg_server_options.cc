#include "server/pgwire/pg_server_options.h"

namespace tenantdb::server::pgwire {

PgServerOptions PgServerOptions::FromConfig(const ServerConfig& config) {
  PgServerOptions options;
  options.listen = config.pgwire.listen;
  options.allow_cleartext_password = config.pgwire.allow_cleartext_password;
  options.ssl_cert_file = config.pgwire.ssl_cert_file;
  options.ssl_key_file = config.pgwire.ssl_key_file;
  options.ssl_required = config.pgwire.ssl_required;
  options.max_connections = static_cast<size_t>(config.pgwire.max_connections);
  options.shutdown_timeout = config.server.shutdown_timeout;
  options.write_timeout = config.http.write_timeout;
  return options;
}

}  // namespace tenantdb::server::pgwire
