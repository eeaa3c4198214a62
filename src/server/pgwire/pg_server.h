// PgServer: `tenantdb serve`'s PostgreSQL wire protocol (version 3) listener, beside the
// HTTP API, on [pgwire] listen (default 127.0.0.1:5433). One thread accepts; each
// connection then has a thread of its own, as each PostgreSQL connection has a backend
// process (pg_connection.h), up to [pgwire] max_connections. Any database name is
// accepted: tenantdb has one.
//
//   auto pg = PgServer::Start(PgServerOptions::FromConfig(config), {db, authenticator, log});
//   ...
//   (*pg)->Shutdown();  // graceful
//
// Shutdown (also run by the destructor): stop accepting; let connections whose
// statements run finish them for up to shutdown_timeout, then cancel them
// (Session::Cancel: 57014); then end every connection with FATAL 57P01
// (admin_shutdown) and stop the threads. Open transactions are rolled back.
//
// Thread safety: port() and connections() from any thread; Shutdown() from one thread.
// Ownership: the Services pointers must outlive the server.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "server/auth/authenticator.h"
#include "server/pgwire/pg_server_options.h"
#include "tenantdb/database.h"
#include "tenantdb/status.h"

namespace tenantdb::server::pgwire {

class PgServer {
 public:
  struct Services {
    Database* db = nullptr;
    Authenticator* authenticator = nullptr;
    std::shared_ptr<spdlog::logger> log;  // null: spdlog's default logger
  };

  // Binds options.listen and starts serving. Errors: invalid_argument (a host that is
  // not an IP address), io_error (the address cannot be bound, e.g. in use).
  static Result<std::unique_ptr<PgServer>> Start(const PgServerOptions& options, Services services);
  ~PgServer();
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  uint16_t port() const;
  // "127.0.0.1:5433" ("[::1]:5433" for IPv6): what `psql -h HOST -p PORT` needs.
  std::string address() const;
  size_t connections() const;

  void Shutdown();

  class Impl;

 private:
  explicit PgServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tenantdb::server::pgwire
