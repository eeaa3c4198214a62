// PgServerOptions: what the PostgreSQL protocol listener is told ([pgwire] and the
// shared [server] / [auth] keys of server_config.h).
//
// Thread safety: a value.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "server/config/server_config.h"
#include "server/pgwire/message_framer.h"

namespace tenantdb::server::pgwire {

struct PgServerOptions {
  // [pgwire] listen. Port 0: the system picks one (PgServer::port() says which).
  ListenAddress listen = {"127.0.0.1", 5433};
  // [pgwire] max_connections: connections open at once, each on a thread of its own;
  // one more gets FATAL 53300.
  size_t max_connections = 100;
  // [pgwire] allow_cleartext_password: ask for the password in clear text instead of
  // SCRAM-SHA-256 (the connection has no TLS: only on trusted networks).
  bool allow_cleartext_password = false;
  // [pgwire] ssl_cert_file / ssl_key_file: PEM files; both set turns TLS on (SSLRequest
  // answered 'S'). Empty: TLS is declined.
  std::string ssl_cert_file;
  std::string ssl_key_file;
  // [pgwire] ssl_required: refuse a startup that did not negotiate TLS first.
  bool ssl_required = false;
  // A connection that has not completed its startup and login within this long is
  // closed (PostgreSQL's authentication_timeout, one minute): an idle socket cannot hold a
  // connection thread.
  std::chrono::milliseconds authentication_timeout = std::chrono::minutes(1);
  // Largest frontend message accepted (a FATAL 08P01 above it).
  size_t max_message_bytes = kDefaultMaxMessageBytes;
  // [server] shutdown_timeout: how long running statements may finish at shutdown
  // before they are cancelled.
  std::chrono::milliseconds shutdown_timeout = std::chrono::seconds(30);
  // [http] write_timeout: a client that reads nothing for this long while a result
  // streams is disconnected (its statement cancelled).
  std::chrono::milliseconds write_timeout = std::chrono::seconds(30);

  static PgServerOptions FromConfig(const ServerConfig& config);
};

}  // namespace tenantdb::server::pgwire
