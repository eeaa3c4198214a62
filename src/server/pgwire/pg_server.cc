#include "server/pgwire/pg_server.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "server/pgwire/pg_connection.h"
#include "server/pgwire/pg_server_state.h"

namespace tenantdb::server::pgwire {

namespace net = boost::asio;
using tcp = net::ip::tcp;

class PgServer::Impl {
 public:
  Impl()
      : io_(1),
        acceptor_(net::make_strand(io_)),
        retry_timer_(acceptor_.get_executor()),
        work_(net::make_work_guard(io_)) {}

  Status Listen(const ListenAddress& listen) {
    boost::system::error_code ec;
    const net::ip::address address = net::ip::make_address(listen.host, ec);
    if (ec) {
      return Status(ErrorCode::kInvalidArgument,
                    "cannot listen on " + listen.ToString() + " ([pgwire] listen): '" +
                        listen.host + "' is not an IP address (use 127.0.0.1, 0.0.0.0 or [::1])");
    }
    const tcp::endpoint endpoint(address, listen.port);
    auto fail = [&](const char* what) {
      return Status(ErrorCode::kIoError, "cannot listen on " + listen.ToString() +
                                             " ([pgwire] listen): " + what + ": " + ec.message());
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

  // One thread accepts; each connection then runs on its own (StartConnection).
  void Run() {
    Accept();
    threads_.emplace_back([this] { io_.run(); });
  }

  void Accept() {
    acceptor_.async_accept(net::make_strand(io_),
                           [this](boost::system::error_code ec, tcp::socket socket) {
                             if (ec == net::error::operation_aborted || !acceptor_.is_open())
                               return;
                             if (ec) {
                               // Out of descriptors, most likely: try again shortly rather than
                               // spin.
                               state_->log->warn("pgwire_accept_failed error=\"{}\"", ec.message());
                               retry_timer_.expires_after(std::chrono::milliseconds(50));
                               retry_timer_.async_wait([this](boost::system::error_code wait_ec) {
                                 if (!wait_ec) Accept();
                               });
                               return;
                             }
                             if (state_->shutting_down.load()) return;
                             socket.set_option(tcp::no_delay(true), ec);
                             StartConnection(std::move(socket));
                             Accept();
                           });
  }

  // A thread per connection, as PostgreSQL has a process per connection: its messages
  // are read, run and answered on that thread, with no hand-off between threads (each
  // costs a wake-up, which dominated a short statement's CPU when statements went
  // through a shared scheduler). The thread runs the connection's own I/O context until
  // the connection is gone. Past max_connections a connection gets FATAL 53300 and is
  // closed (on a thread of its own too, which ends with it).
  void StartConnection(tcp::socket accepted) {
    auto context = std::make_shared<net::io_context>(1);
    boost::system::error_code ec;
    const tcp::endpoint local = accepted.local_endpoint(ec);
    tcp::socket socket(*context);
    if (!ec) socket.assign(local.protocol(), accepted.release(ec), ec);
    if (ec) {
      state_->log->warn("pgwire_accept_failed error=\"{}\"", ec.message());
      return;
    }
    const size_t open = state_->ConnectionCount();
    if (open >= 2 * state_->options.max_connections) {
      // Far past the limit: not even a thread to say so (the refused ones still count
      // until they have been told).
      state_->log->warn("pgwire_connection_dropped open={}", open);
      return;
    }
    const bool over_limit = open >= state_->options.max_connections;
    auto connection = std::make_shared<PgConnection>(std::move(socket), state_, context);
    if (over_limit) {
      connection->Refuse(Status(ErrorCode::kTooManyConnections,
                                "sorry, too many clients already ([pgwire] max_connections = " +
                                    std::to_string(state_->options.max_connections) + ")"));
    } else {
      connection->Start();
    }
    connection.reset();
    state_->connection_threads.fetch_add(1);
    std::thread([context, state = state_]() mutable {
      context->run();
      context.reset();
      state->connection_threads.fetch_sub(1);
    }).detach();
  }

  void Shutdown() {
    if (stopped_) return;
    stopped_ = true;
    PgServerState& state = *state_;
    state.shutting_down.store(true);
    net::post(acceptor_.get_executor(), [this] {
      boost::system::error_code ec;
      acceptor_.close(ec);
      retry_timer_.cancel();
    });
    const auto deadline = std::chrono::steady_clock::now() + state.options.shutdown_timeout;
    if (!state.WaitForIdle(deadline)) {
      state.log->warn("pgwire shutdown timeout reached: cancelling running statements");
      for (auto& connection : state.Connections())
        connection->Cancel();
      state.WaitForIdle(std::chrono::steady_clock::now() + std::chrono::seconds(10));
    }
    for (auto& connection : state.Connections())
      connection->Terminate();
    const auto close_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while ((state.ConnectionCount() > 0 || state.connection_threads.load() > 0) &&
           std::chrono::steady_clock::now() < close_deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    work_.reset();
    io_.stop();
    for (std::thread& t : threads_)
      t.join();
    threads_.clear();
  }

  std::shared_ptr<PgServerState> state_;
  net::io_context io_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_timer_;
  net::executor_work_guard<net::io_context::executor_type> work_;
  tcp::endpoint bound_;
  std::vector<std::thread> threads_;
  bool stopped_ = false;
};

PgServer::PgServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PgServer::~PgServer() {
  Shutdown();
}

Result<std::unique_ptr<PgServer>> PgServer::Start(const PgServerOptions& options,
                                                  Services services) {
  if (services.db == nullptr || services.authenticator == nullptr) {
    return Status(ErrorCode::kInvalidArgument, "PgServer needs a database and an authenticator");
  }
  auto state = std::make_shared<PgServerState>();
  state->options = options;
  state->db = services.db;
  state->authenticator = services.authenticator;
  state->log = services.log != nullptr ? services.log : spdlog::default_logger();
  if (!options.ssl_cert_file.empty() || !options.ssl_key_file.empty()) {
    if (options.ssl_cert_file.empty() || options.ssl_key_file.empty()) {
      return Status(ErrorCode::kInvalidArgument,
                    "[pgwire] ssl_cert_file and ssl_key_file go together: set both or neither");
    }
    TDB_ASSIGN_OR_RETURN(state->tls,
                         tls::TlsContext::Load(options.ssl_cert_file, options.ssl_key_file,
                                               "[pgwire] ssl_cert_file"));
  } else if (options.ssl_required) {
    return Status(ErrorCode::kInvalidArgument,
                  "[pgwire] ssl_required needs ssl_cert_file and ssl_key_file");
  }
  auto impl = std::make_unique<Impl>();
  impl->state_ = state;
  TDB_RETURN_IF_ERROR(impl->Listen(options.listen));
  impl->Run();
  return std::unique_ptr<PgServer>(new PgServer(std::move(impl)));
}

uint16_t PgServer::port() const {
  return impl_->bound_.port();
}

std::string PgServer::address() const {
  const net::ip::address address = impl_->bound_.address();
  if (address.is_v6()) return "[" + address.to_string() + "]:" + std::to_string(port());
  return address.to_string() + ":" + std::to_string(port());
}

size_t PgServer::connections() const {
  return impl_->state_->ConnectionCount();
}

void PgServer::Shutdown() {
  if (impl_ != nullptr) impl_->Shutdown();
}

}  // namespace tenantdb::server::pgwire
