#include "server/http/http_server.h"

#include <chrono>
#include <random>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "server/http/event_loops.h"
#include "server/http/http_connection.h"
#include "server/http/server_state.h"
#include "server/ws/ws_hub.h"

namespace tenantdb::server::http {

namespace net = boost::asio;
using tcp = net::ip::tcp;

class HttpServer::Impl {
 public:
  explicit Impl(EventLoops::Options loops)
      : loops_(loops),
        acceptor_(net::make_strand(loops_.At(0))),
        retry_timer_(acceptor_.get_executor()) {}

  Status Listen(const ListenAddress& listen) {
    boost::system::error_code ec;
    const net::ip::address address = net::ip::make_address(listen.host, ec);
    if (ec) {
      return Status(ErrorCode::kInvalidArgument,
                    "cannot listen on " + listen.ToString() + ": '" + listen.host +
                        "' is not an IP address (use 127.0.0.1, 0.0.0.0 or [::1])");
    }
    const tcp::endpoint endpoint(address, listen.port);
    auto fail = [&](const char* what) {
      return Status(ErrorCode::kIoError,
                    "cannot listen on " + listen.ToString() + ": " + what + ": " + ec.message());
    };
    acceptor_.open(endpoint.protocol(), ec);
    if (ec) return fail("open");
    acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    acceptor_.bind(endpoint, ec);
    if (ec) return fail("bind");
    acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return fail("listen");
    bound_ = acceptor_.local_endpoint(ec);
    return Status::Ok();
  }

  void Run() {
    Accept();
    loops_.Start();
  }

  void Accept() {
    acceptor_.async_accept(net::make_strand(loops_.Next()),
                           [this](boost::system::error_code ec, tcp::socket socket) {
                             if (ec == net::error::operation_aborted || !acceptor_.is_open())
                               return;
                             if (ec) {
                               // Out of descriptors, most likely: try again shortly rather than
                               // spin.
                               state_->log->warn("accept_failed error=\"{}\"", ec.message());
                               retry_timer_.expires_after(std::chrono::milliseconds(50));
                               retry_timer_.async_wait([this](boost::system::error_code wait_ec) {
                                 if (!wait_ec) Accept();
                               });
                               return;
                             }
                             if (state_->shutting_down.load()) return;
                             socket.set_option(tcp::no_delay(true), ec);
                             std::make_shared<HttpConnection>(std::move(socket), state_)->Start();
                             Accept();
                           });
  }

  void Shutdown() {
    if (stopped_) return;
    stopped_ = true;
    ServerState& state = *state_;
    state.shutting_down.store(true);
    state.log->info("shutdown begins: in_flight={} connections={}", state.InFlight(),
                    state.ConnectionCount());
    net::post(acceptor_.get_executor(), [this] {
      boost::system::error_code ec;
      acceptor_.close(ec);
      retry_timer_.cancel();
    });
    // Idle keep-alive connections stay open while requests drain: a request they send
    // now is answered 503 admin_shutdown (then they close), which tells a client more
    // than a reset would. They are closed at the end with everything else.

    const auto deadline = std::chrono::steady_clock::now() + state.options.shutdown_timeout;
    if (!state.WaitForIdle(deadline)) {
      state.log->warn("shutdown timeout reached: cancelling {} requests", state.InFlight());
      state.cancel_all.store(true);
      for (auto& connection : state.Connections()) {
        connection->CancelWork(Status(ErrorCode::kAdminShutdown,
                                      "the server is shutting down; the statement was cancelled"));
      }
      state.WaitForIdle(std::chrono::steady_clock::now() + std::chrono::seconds(10));
    }
    for (auto& connection : state.Connections())
      connection->CloseNow();
    state.ws_hub->CloseAll();
    state.scheduler->Stop();
    // Let the closes run, then stop the loops.
    const auto close_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while ((state.ConnectionCount() > 0 || state.ws_hub->SessionCount() > 0) &&
           std::chrono::steady_clock::now() < close_deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    // A reply waiting for its WAL sync posts to its loop from the database's syncer
    // thread: those posts happen before the loops go.
    state.db->DrainDurabilityCallbacks();
    loops_.Stop();
    state.ws_hub->Stop();  // its change listener, before the database goes
    state.log->info("shutdown complete");
  }

  std::shared_ptr<ServerState> state_;
  EventLoops loops_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_timer_;
  tcp::endpoint bound_;
  bool stopped_ = false;
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  port_ = impl_->bound_.port();
}

HttpServer::~HttpServer() {
  Shutdown();
}

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options,
                                                      Services services) {
  if (services.db == nullptr || services.authenticator == nullptr) {
    return Status(ErrorCode::kInvalidArgument, "HttpServer needs a database and an authenticator");
  }
  auto state = std::make_shared<ServerState>();
  state->options = options;
  state->db = services.db;
  state->authenticator = services.authenticator;
  state->metrics = services.metrics;
  state->log = services.log != nullptr ? services.log : spdlog::default_logger();
  if (options.requests_per_second_per_user > 0) {
    RateLimiterOptions limiter;
    limiter.rate_per_second = static_cast<double>(options.requests_per_second_per_user);
    limiter.burst = static_cast<double>(options.requests_per_second_per_user);
    state->request_limiter = std::make_unique<RateLimiter>(limiter);
  }
  size_t workers = options.worker_threads;
  if (workers == 0) workers = std::max(1u, std::thread::hardware_concurrency());
  EventLoops::Options loops;
  loops.loops = options.io_threads;
  // Two loops per core by default: connections are pinned to a loop, and with one loop
  // per core a core sat idle whenever its loop's connections were all between requests
  // while the other loop had a queue (measured with `tenantdb bench http` on 2 cores:
  // 2-5 % more inserts and point selects a second with four loops than with two; eight
  // were no better than four).
  if (loops.loops == 0) loops.loops = std::max(2u, 2 * std::thread::hardware_concurrency());
  loops.max_rescue_threads = workers;
  auto impl = std::make_unique<Impl>(loops);
  state->scheduler = std::make_unique<StatementScheduler>(&impl->loops_, workers);
  state->admission = std::make_shared<StatementAdmission>(options.max_concurrent_statements,
                                                          options.max_concurrent_statements);
  state->ws_hub = std::make_shared<ws::WsHub>(services.db, options.ws);
  std::random_device random;
  state->id_prefix = (static_cast<uint64_t>(random()) << 32) ^ random();

  impl->state_ = state;
  TDB_RETURN_IF_ERROR(impl->Listen(options.listen));
  impl->Run();
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

std::string HttpServer::url() const {
  const net::ip::address address = impl_->bound_.address();
  if (address.is_v6()) return "http://[" + address.to_string() + "]:" + std::to_string(port_);
  return "http://" + address.to_string() + ":" + std::to_string(port_);
}

void HttpServer::Shutdown() {
  if (impl_ != nullptr) impl_->Shutdown();
}

int64_t HttpServer::requests_in_flight() const {
  return impl_->state_->InFlight();
}

size_t HttpServer::connections() const {
  return impl_->state_->ConnectionCount();
}

}  // namespace tenantdb::server::http
