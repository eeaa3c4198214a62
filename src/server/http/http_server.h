// HttpServer: `tenantdb serve`'s HTTP/1.1 front end (Boost.Beast over Asio). It listens,
// accepts, and runs every connection on one of a few event loops (event_loops.h,
// HttpServerOptions::io_threads; no thread per connection): statements run on their
// loop (a reply waits for the WAL sync of what it tells, the commit does not), password
// hashes on a fixed WorkerPool (worker_threads), all behind StatementAdmission
// (max_concurrent_statements). Routes:
// route_table.h; SQL API: sql_execution.h; auth routes: worker_routes.h; errors:
// http_error.h.
//
//   auto server = HttpServer::Start(options, {db, authenticator, metrics, logger});
//   std::cout << "listening on " << (*server)->url() << "\n";
//   ...
//   (*server)->Shutdown();  // graceful
//
// Shutdown (also run by the destructor): stop accepting; answer new requests, also on
// open keep-alive connections, 503 admin_shutdown (/ready too) and close those
// connections; let requests in flight finish for up to shutdown_timeout, then cancel
// their statements (Session::Cancel) and answer what still waits 503; close every
// connection; stop the threads.
//
// Thread safety: url()/port()/stats are safe from any thread; Shutdown() from one thread
// (a second call waits for nothing and returns). Ownership: the Services pointers must
// outlive the server.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "server/auth/authenticator.h"
#include "server/http/http_server_options.h"
#include "server/metrics/server_metrics.h"
#include "tenantdb/database.h"
#include "tenantdb/status.h"

namespace tenantdb::server::http {

struct ServerState;

class HttpServer {
 public:
  struct Services {
    Database* db = nullptr;
    Authenticator* authenticator = nullptr;
    ServerMetrics* metrics = nullptr;     // may be null (no /metrics figures)
    std::shared_ptr<spdlog::logger> log;  // null: spdlog's default logger
  };

  // Binds options.listen (port 0: the system picks one; port() says which) and starts
  // serving. Errors: invalid_argument (a host that is not an address), io_error (the
  // address cannot be bound, e.g. in use).
  static Result<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options,
                                                   Services services);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  uint16_t port() const { return port_; }
  // "http://127.0.0.1:8080" ("http://[::1]:8080" for IPv6).
  std::string url() const;

  void Shutdown();

  // Requests handed to the worker pool and not yet answered; open connections.
  int64_t requests_in_flight() const;
  size_t connections() const;

  class Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
};

}  // namespace tenantdb::server::http
