#include "server/http/http_connection.h"

#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "server/http/cors.h"
#include "server/http/http_error.h"
#include "server/ws/ws_session.h"

namespace tenantdb::server::http {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace bhttp = boost::beast::http;

namespace {

constexpr size_t kIdleReadBytes = 1024;

bool IsDisconnect(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == net::error::eof ||
         ec == net::error::connection_reset || ec == net::error::operation_aborted ||
         ec == net::error::broken_pipe || ec == net::error::bad_descriptor;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

HttpConnection::HttpConnection(net::ip::tcp::socket socket, std::shared_ptr<ServerState> state)
    : stream_(std::move(socket)), state_(std::move(state)), idle_timer_(stream_.get_executor()) {
  beast::error_code ec;
  const auto endpoint = stream_.socket().remote_endpoint(ec);
  if (!ec) client_address_ = endpoint.address().to_string();
}

HttpConnection::~HttpConnection() {
  if (work_started_) state_->WorkEnded();
  state_->UnregisterConnection(id_);
  if (state_->metrics != nullptr) state_->metrics->ConnectionClosed();
}

void HttpConnection::Start() {
  // Replies are sent with a plain send() first (SendReply): it must never block a loop.
  beast::error_code ec;
  stream_.socket().non_blocking(true, ec);
  id_ = state_->RegisterConnection(weak_from_this());
  if (state_->metrics != nullptr) state_->metrics->ConnectionOpened();
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadIdle(); });
}

void HttpConnection::CloseNow() {
  net::post(stream_.get_executor(), [self = shared_from_this()] { self->Close(); });
}

void HttpConnection::CancelWork(Status why) {
  std::lock_guard<std::mutex> lock(work_mutex_);
  if (execution_ != nullptr) execution_->Cancel(std::move(why));
}

// ---- reading ---------------------------------------------------------------------------

void HttpConnection::ReadIdle() {
  phase_ = Phase::kIdle;
  if (state_->shutting_down.load()) {
    Close();
    return;
  }
  if (buffer_.size() > 0) {  // a pipelined request is already here
    ReadRequest();
    return;
  }
  // An idle connection keeps only a small read buffer: 10,000 of them cost memory, and
  // little of it. One that small is kept (not freed and allocated again per request).
  if (buffer_.capacity() > kIdleReadBytes) buffer_.shrink_to_fit();
  StartIdleClock();
  stream_.async_read_some(buffer_.prepare(kIdleReadBytes),
                          [self = shared_from_this()](beast::error_code ec, size_t n) {
                            if (ec) {
                              self->Close();
                              return;
                            }
                            self->buffer_.commit(n);
                            self->ReadRequest();
                          });
}

void HttpConnection::StartIdleClock() {
  stream_.expires_never();  // the read below is timed by idle_timer_ instead
  idle_deadline_ = std::chrono::steady_clock::now() + state_->options.idle_timeout;
  // An armed timer fires no later than this deadline: it was armed for an earlier one,
  // or a timeout after its last firing, both at most idle_timeout past an earlier now.
  if (!idle_timer_armed_) ArmIdleTimer(idle_deadline_);
}

void HttpConnection::ArmIdleTimer(std::chrono::steady_clock::time_point at) {
  idle_timer_armed_ = true;
  idle_timer_.expires_at(at);
  // Weak: a connection that ends otherwise is not kept alive by its idle timer.
  idle_timer_.async_wait([weak = weak_from_this()](beast::error_code ec) {
    const auto self = weak.lock();
    if (self == nullptr) return;
    self->idle_timer_armed_ = false;
    if (!ec) self->OnIdleTimer();
  });
}

void HttpConnection::OnIdleTimer() {
  if (phase_ == Phase::kClosed) return;
  const auto now = std::chrono::steady_clock::now();
  if (phase_ != Phase::kIdle) {
    // Busy: the next idle phase's deadline is at least a timeout from now.
    ArmIdleTimer(now + state_->options.idle_timeout);
    return;
  }
  if (now < idle_deadline_) {
    ArmIdleTimer(idle_deadline_);
    return;
  }
  Close();  // the pending read completes with operation_aborted and finds it closed
}

void HttpConnection::ReadRequest() {
  phase_ = Phase::kReading;
  start_ = std::chrono::steady_clock::now();
  parser_.emplace();
  parser_->body_limit(state_->options.max_body_bytes);
  parser_->header_limit(state_->options.max_header_bytes);
  // A request whose header is already read is parsed here, without a handler hop or a
  // timer; one that arrives in pieces waits on the socket, timed by request_timeout.
  // The parser is not eager: it stops after the header, so OnHeader decides on
  // `Expect: 100-continue` before any of the body is taken.
  beast::error_code ec;
  ParseBuffered(/*header_only=*/true, &ec);
  if (ec || parser_->is_header_done()) {
    OnHeader(ec);
    return;
  }
  stream_.expires_after(state_->options.request_timeout);
  bhttp::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
}

void HttpConnection::ParseBuffered(bool header_only, beast::error_code* ec) {
  auto done = [&] { return header_only ? parser_->is_header_done() : parser_->is_done(); };
  while (buffer_.size() > 0 && !done()) {
    const size_t used = parser_->put(buffer_.data(), *ec);
    buffer_.consume(used);
    if (*ec == bhttp::error::need_more) {
      *ec = {};
      return;
    }
    if (*ec || used == 0) return;
  }
}

void HttpConnection::OnHeader(beast::error_code ec) {
  if (ec) {
    HandleReadError(ec);
    return;
  }
  const auto& header = parser_->get();
  const auto expect = header.find(bhttp::field::expect);
  if (expect != header.end() && EqualsIgnoreCase(expect->value(), "100-continue")) {
    const auto length = parser_->content_length();
    if (length && *length > state_->options.max_body_bytes) {
      HandleReadError(bhttp::error::body_limit);
      return;
    }
    // The client waits for this before it sends the body (curl does for large bodies).
    static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    net::async_write(stream_, net::buffer(kContinue),
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) {
                         self->Close();
                         return;
                       }
                       self->ReadBody();
                     });
    return;
  }
  ReadBody();
}

void HttpConnection::ReadBody() {
  beast::error_code ec;
  ParseBuffered(/*header_only=*/false, &ec);
  if (ec || parser_->is_done()) {
    OnRequest(ec);
    return;
  }
  stream_.expires_after(state_->options.request_timeout);
  bhttp::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRequest(ec); });
}

void HttpConnection::HandleReadError(beast::error_code ec) {
  if (IsDisconnect(ec) || ec == beast::error::timeout) {
    if (ec == beast::error::timeout && phase_ == Phase::kReading) {
      state_->log->info("request_timeout client={} after_ms={}", client_address_,
                        state_->options.request_timeout.count());
    }
    Close();
    return;
  }
  request_id_ = state_->NextRequestId();
  route_ = RouteMatch{};
  method_.clear();
  path_.clear();
  if (parser_ && parser_->is_header_done()) {
    ReadRequestHeaders(parser_->get());
  } else {
    origin_.clear();
    head_ = false;
  }
  keep_alive_ = false;
  phase_ = Phase::kWorking;
  if (ec == bhttp::error::body_limit) {
    SendReply(ErrorReply(Status(ErrorCode::kRequestTooLarge,
                                "the request body is larger than the server accepts (" +
                                    std::to_string(state_->options.max_body_bytes) +
                                    " bytes, [server] max_body_bytes)")),
              /*close=*/true);
    return;
  }
  if (ec == bhttp::error::header_limit) {
    HttpReply reply =
        ErrorReply(Status(ErrorCode::kRequestTooLarge,
                          "the request line and headers are larger than " +
                              std::to_string(state_->options.max_header_bytes) + " bytes"));
    reply.status = 431;
    SendReply(std::move(reply), /*close=*/true);
    return;
  }
  SendReply(ErrorReply(Status(ErrorCode::kInvalidRequest,
                              "the request is not valid HTTP/1.1: " + ec.message())),
            /*close=*/true);
}

void HttpConnection::OnRequest(beast::error_code ec) {
  if (ec) {
    HandleReadError(ec);
    return;
  }
  request_ = parser_->release();
  parser_.reset();
  phase_ = Phase::kWorking;
  request_id_ = state_->NextRequestId();
  ReadRequestHeaders(request_);
  keep_alive_ = request_.keep_alive();
  {
    std::lock_guard<std::mutex> lock(work_mutex_);
    user_.clear();
  }
  Route();
}

void HttpConnection::ReadRequestHeaders(const bhttp::request_header<>& header) {
  method_ = std::string(header.method_string());
  const std::string_view target = header.target();
  path_ = std::string(target.substr(0, std::min(target.find('?'), size_t{200})));
  route_ = MatchRoute(method_, target);
  head_ = header.method() == bhttp::verb::head;
  const auto origin = header.find(bhttp::field::origin);
  origin_ = origin == header.end() ? std::string() : std::string(origin->value());
}

// ---- routing ---------------------------------------------------------------------------

void HttpConnection::Route() {
  // While shutting down the process is still alive (/health), but not ready, and takes
  // no new work.
  if (state_->shutting_down.load() && route_.id != RouteId::kHealth) {
    SendReply(ErrorReply(Status(ErrorCode::kAdminShutdown,
                                "the server is shutting down; retry on another server or later")),
              /*close=*/true);
    return;
  }
  if (route_.id == RouteId::kUnknown) {
    SendReply(ErrorReply(Status(ErrorCode::kNotFound, "no route " + method_ + " " + path_ +
                                                          "; the SQL API is POST /v1/api/sql")),
              /*close=*/false);
    return;
  }
  if (route_.preflight) {
    HttpReply reply;
    reply.status = 204;
    reply.content_type.clear();
    reply.headers.emplace_back("Allow", std::string(route_.methods) + ", OPTIONS");
    AddPreflightHeaders(state_->options.cors_allowed_origins, origin_, route_.methods,
                        &reply.headers);
    SendReply(std::move(reply), /*close=*/false);
    return;
  }
  if (!route_.method_allowed) {
    HttpReply reply = ErrorReply(Status(
        ErrorCode::kInvalidRequest,
        std::string(route_.name) + " takes " + std::string(route_.methods) + ", not " + method_));
    reply.status = 405;
    reply.headers.emplace_back("Allow", std::string(route_.methods) + ", OPTIONS");
    SendReply(std::move(reply), /*close=*/false);
    return;
  }
  HttpReply reply;
  if (route_.id == RouteId::kHealth || route_.id == RouteId::kReady) {
    // A failed WAL sync is for good: nothing that waits for durability is answered again
    // until a restart, so the process is neither live nor ready — whoever watches these
    // should restart it (which recovers the log).
    if (Status failed = state_->db->DurabilityFailure(); !failed.ok()) {
      reply = ErrorReply(failed);
      reply.status = 503;
      SendReply(std::move(reply), /*close=*/false);
      return;
    }
  }
  switch (route_.id) {
    case RouteId::kHealth:
      reply.body = "{\"status\":\"ok\"}";
      break;
    case RouteId::kReady:
      reply.body = std::string("{\"status\":\"ready\",\"read_only\":") +
                   (state_->db->read_only() ? "true" : "false") + "}";
      break;
    case RouteId::kMetrics:
      reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
      reply.body = state_->metrics != nullptr ? state_->metrics->RenderPrometheus(*state_->db) : "";
      break;
    case RouteId::kWs:
      if (!boost::beast::websocket::is_upgrade(request_)) {
        reply =
            ErrorReply(Status(ErrorCode::kInvalidRequest,
                              "GET /v1/ws is the live-query WebSocket: send Upgrade: websocket"));
        reply.status = 426;
        reply.headers.emplace_back("Upgrade", "websocket");
        break;
      }
      // A browser page of another origin may not open it (cross-site WebSocket
      // hijacking): the same origins as CORS allows for HTTP (cors.h).
      if (!origin_.empty() && !CorsOriginAllowed(state_->options.cors_allowed_origins, origin_)) {
        reply = ErrorReply(
            Status(ErrorCode::kInsufficientPrivilege, "origin " + origin_ +
                                                          " may not open the WebSocket ([http] "
                                                          "cors_allowed_origins)"));
        reply.status = 403;
        SendReply(std::move(reply), /*close=*/true);
        return;
      }
      // The socket now belongs to the WebSocket session; this connection ends here.
      phase_ = Phase::kClosed;
      std::make_shared<ws::WsSession>(std::move(stream_), state_, client_address_)
          ->Start(std::move(request_));
      return;
    default:
      Dispatch();
      return;
  }
  SendReply(std::move(reply), /*close=*/false);
}

void HttpConnection::Dispatch() {
  auto request = std::make_shared<WorkerRequest>();
  request->route = route_.id;
  request->body = std::move(request_.body());
  const auto authorization = request_.find(bhttp::field::authorization);
  if (authorization != request_.end()) request->authorization = std::string(authorization->value());
  request->client_address = client_address_;
  request->request_id = request_id_;
  request->start = start_;
  request->auth_memo = &auth_memo_;
  request_ = {};  // the body now lives in `request`

  client_gone_.store(false);
  work_started_ = true;
  state_->WorkStarted();
  const bool on_pool = RunsOnPool(*request);
  // Watching the socket for a client that leaves costs a system call or two per request:
  // worth it for work that runs elsewhere or long, not for the read that is answered
  // right away on this loop (the watchdog starts the watch if it turns out long).
  if (on_pool) StartMonitor();
  auto self = shared_from_this();
  const bool admitted = state_->admission->Admit(
      [self, request, on_pool](std::unique_ptr<StatementAdmission::Ticket> t) {
        Ticket ticket(std::move(t));
        StatementScheduler& scheduler = *self->state_->scheduler;
        // Off the strand, so the monitor can see a client that leaves meanwhile.
        auto task = [self, request, ticket] { self->RunOnWorker(*request, ticket); };
        if (!(on_pool
                  ? scheduler.SchedulePool(std::move(task))
                  : scheduler.Schedule(std::move(task), [self] { self->WatchForClientGone(); }))) {
          net::post(self->stream_.get_executor(), [self] {
            self->SendReply(
                ErrorReply(Status(ErrorCode::kAdminShutdown, "the server is shutting down")),
                /*close=*/true);
          });
        }
      });
  if (!admitted) {
    StopMonitor();
    SendReply(ErrorReply(Status(ErrorCode::kTooManyConnections,
                                "the server is running " +
                                    std::to_string(state_->options.max_concurrent_statements) +
                                    " requests and as many wait ([server] "
                                    "max_concurrent_statements); retry shortly")),
              /*close=*/false);
  }
}

bool HttpConnection::RunsOnPool(const WorkerRequest& request) {
  // A password hash (login, Basic credentials) is tens of milliseconds of CPU; refresh
  // and logout write a revocation and wait for its sync.
  if (request.route == RouteId::kLogin || request.route == RouteId::kRefresh ||
      request.route == RouteId::kLogout) {
    return true;
  }
  const std::string_view auth = request.authorization;
  return auth.size() >= 6 && EqualsIgnoreCase(auth.substr(0, 6), "basic ");
}

// ---- the worker side -------------------------------------------------------------------

template <class Then>
void HttpConnection::PostWhenDurable(Then then) {
  Database& db = *state_->db;
  const uint64_t position = db.WritePosition();
  if (db.IsDurable(position)) {
    net::post(stream_.get_executor(),
              [then = std::move(then)]() mutable { std::move(then)(Status::Ok()); });
    return;
  }
  // The syncer's callback is a std::function (copyable): the move-only work goes behind
  // a shared pointer on this rarer path.
  db.WhenDurable(position, [executor = stream_.get_executor(),
                            then = std::make_shared<Then>(std::move(then))](const Status& durable) {
    net::post(executor, [then, durable] { std::move (*then)(durable); });
  });
}

void HttpConnection::RunOnWorker(const WorkerRequest& request, Ticket ticket) {
  if (client_gone_.load()) return;
  if (EventLoops::CurrentLoop() == nullptr) WatchForClientGone();  // on the pool
  WorkerResult result;
  if (state_->cancel_all.load()) {
    result.reply = ErrorReply(Status(ErrorCode::kAdminShutdown, "the server is shutting down"));
  } else {
    result = HandleOnWorker(*state_, request);
  }
  {
    std::lock_guard<std::mutex> lock(work_mutex_);
    user_ = result.user;
    if (result.execution != nullptr) {
      execution_ = result.execution;
      if (client_gone_.load()) {
        execution_->Cancel(Status(ErrorCode::kQueryCanceled, "the client closed the connection"));
      } else if (state_->cancel_all.load()) {
        // The shutdown deadline passed while this request authenticated: CancelWork found
        // no execution to cancel, so it would otherwise run to its end.
        execution_->Cancel(Status(ErrorCode::kAdminShutdown,
                                  "the server is shutting down; the statement was cancelled"));
      }
    }
  }
  if (result.execution == nullptr) {
    ticket.reset();
    SendReplyWhenDurable(std::move(result.reply), nullptr, state_->db->WritePosition());
    return;
  }
  // A write runs here too: its commit does not wait for the WAL sync (the session defers
  // it, worker_routes.cc), its reply does (PostWhenDurable).
  StepOnWorker(std::move(result.execution), std::move(ticket));
}

void HttpConnection::ScheduleStep(std::shared_ptr<SqlExecution> execution, Ticket ticket) {
  auto self = shared_from_this();
  // Writes too: their commits wait for no WAL sync (PostWhenDurable waits instead).
  auto task = [self, execution, ticket]() mutable {
    self->StepOnWorker(std::move(execution), std::move(ticket));
  };
  if (!state_->scheduler->Schedule(std::move(task), [self] { self->WatchForClientGone(); })) {
    execution->Cancel(Status(ErrorCode::kAdminShutdown, "the server is shutting down"));
    Close();
  }
}

void HttpConnection::StepOnWorker(std::shared_ptr<SqlExecution> execution, Ticket ticket) {
  SqlExecution::Output output = execution->Step();
  if (output.done) ticket.reset();  // no statement runs any more: free the slot now
  if (output.done && !output.streaming) {
    // The whole reply at once (an INSERT's, a small result's): it goes out from the
    // syncer's thread when the commit is durable.
    const uint64_t position = state_->db->WritePosition();
    HttpReply reply;
    reply.status = output.http_status;
    reply.body = std::move(output.bytes);
    SendReplyWhenDurable(std::move(reply), std::move(execution), position);
    return;
  }
  PostWhenDurable([self = shared_from_this(), output = std::move(output),
                   execution = std::move(execution),
                   ticket = std::move(ticket)](const Status& durable) mutable {
    if (!durable.ok()) {
      // The commit may be lost: say so instead of the result. A streamed reply whose head
      // is out can only be cut short.
      execution->Cancel(durable);
      if (self->header_sent_) {
        self->Close();
      } else {
        self->SendReply(ErrorReply(durable), /*close=*/true);
      }
      return;
    }
    self->WriteSlice(std::move(output), std::move(execution), std::move(ticket));
  });
}

}  // namespace tenantdb::server::http
