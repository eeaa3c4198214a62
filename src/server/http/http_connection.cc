#include "server/http/http_connection.h"

#include <sys/socket.h>

#include <cerrno>
#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>

#include "server/http/http_error.h"

namespace tenantdb::server::http {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace bhttp = boost::beast::http;

namespace {

constexpr size_t kIdleReadBytes = 1024;
// After a reply that closes the connection, what the client still sends is read and
// dropped for a while (bounded), so closing does not reset the connection before the
// client has read the reply (a TCP reset discards it).
constexpr std::chrono::seconds kDrainTime{5};
constexpr uint64_t kMaxDrainBytes = 64ull << 20;

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
    : stream_(std::move(socket)), state_(std::move(state)) {
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
  // little of it.
  buffer_.shrink_to_fit();
  stream_.expires_after(state_->options.idle_timeout);
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

void HttpConnection::ReadRequest() {
  phase_ = Phase::kReading;
  start_ = std::chrono::steady_clock::now();
  parser_.emplace();
  parser_->body_limit(state_->options.max_body_bytes);
  parser_->header_limit(state_->options.max_header_bytes);
  stream_.expires_after(state_->options.request_timeout);
  bhttp::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
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
    method_ = std::string(parser_->get().method_string());
    const std::string_view target = parser_->get().target();
    path_ = std::string(target.substr(0, std::min(target.find('?'), size_t{200})));
    route_ = MatchRoute(method_, target);
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
  method_ = std::string(request_.method_string());
  const std::string_view target = request_.target();
  path_ = std::string(target.substr(0, std::min(target.find('?'), size_t{200})));
  route_ = MatchRoute(method_, target);
  keep_alive_ = request_.keep_alive();
  {
    std::lock_guard<std::mutex> lock(work_mutex_);
    user_.clear();
  }
  Route();
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
  if (!route_.method_allowed) {
    HttpReply reply = ErrorReply(Status(
        ErrorCode::kInvalidRequest,
        std::string(route_.name) + " takes " + std::string(route_.method) + ", not " + method_));
    reply.status = 405;
    reply.headers.emplace_back("Allow", std::string(route_.method));
    SendReply(std::move(reply), /*close=*/false);
    return;
  }
  HttpReply reply;
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
  request_ = {};  // the body now lives in `request`

  client_gone_.store(false);
  work_started_ = true;
  state_->WorkStarted();
  auto self = shared_from_this();
  const bool admitted =
      state_->admission->Admit([self, request](std::unique_ptr<StatementAdmission::Ticket> t) {
        Ticket ticket(std::move(t));
        if (!self->state_->pool->Submit(
                [self, request, ticket] { self->RunOnWorker(*request, ticket); })) {
          net::post(self->stream_.get_executor(), [self] {
            self->SendReply(
                ErrorReply(Status(ErrorCode::kAdminShutdown, "the server is shutting down")),
                /*close=*/true);
          });
        }
      });
  if (!admitted) {
    SendReply(ErrorReply(Status(ErrorCode::kTooManyConnections,
                                "the server is running " +
                                    std::to_string(state_->options.max_concurrent_statements) +
                                    " requests and as many wait ([server] "
                                    "max_concurrent_statements); retry shortly")),
              /*close=*/false);
    return;
  }
  StartMonitor();
}

// ---- the worker side -------------------------------------------------------------------

void HttpConnection::RunOnWorker(const WorkerRequest& request, Ticket ticket) {
  if (client_gone_.load()) return;
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
      }
    }
  }
  if (result.execution == nullptr) {
    ticket.reset();
    net::post(stream_.get_executor(),
              [self = shared_from_this(), reply = std::move(result.reply)]() mutable {
                self->SendReply(std::move(reply), /*close=*/false);
              });
    return;
  }
  StepOnWorker(std::move(result.execution), std::move(ticket));
}

void HttpConnection::StepOnWorker(std::shared_ptr<SqlExecution> execution, Ticket ticket) {
  SqlExecution::Output output = execution->Step();
  if (output.done) ticket.reset();  // no statement runs any more: free the slot now
  net::post(stream_.get_executor(),
            [self = shared_from_this(), output = std::move(output),
             execution = std::move(execution), ticket = std::move(ticket)]() mutable {
              self->WriteSlice(std::move(output), std::move(execution), std::move(ticket));
            });
}

// ---- writing ---------------------------------------------------------------------------

void HttpConnection::WriteSlice(SqlExecution::Output output,
                                std::shared_ptr<SqlExecution> execution, Ticket ticket) {
  if (phase_ == Phase::kClosed) return;
  if (!output.streaming) {
    HttpReply reply;
    reply.status = output.http_status;
    reply.body = std::move(output.bytes);
    SendReply(std::move(reply), /*close=*/false);
    return;
  }
  chunk_ = std::move(output.bytes);
  const bool last = output.done;
  if (!header_sent_) {
    header_sent_ = true;
    stream_header_.emplace(bhttp::status::ok, 11);
    stream_header_->set(bhttp::field::content_type, "application/json");
    stream_header_->set("X-Request-Id", request_id_);
    stream_header_->keep_alive(keep_alive_ && !state_->shutting_down.load());
    stream_header_->chunked(true);
    serializer_.emplace(*stream_header_);
    stream_.expires_after(state_->options.write_timeout);
    bhttp::async_write_header(
        stream_, *serializer_,
        [self = shared_from_this(), execution = std::move(execution), ticket = std::move(ticket),
         last](beast::error_code ec, size_t n) mutable {
          if (ec) {
            self->ClientGone();
            return;
          }
          self->bytes_sent_ += n;
          self->WriteChunk(std::move(execution), std::move(ticket), last);
        });
    return;
  }
  WriteChunk(std::move(execution), std::move(ticket), last);
}

void HttpConnection::WriteChunk(std::shared_ptr<SqlExecution> execution, Ticket ticket, bool last) {
  auto after_chunk = [self = shared_from_this(), execution, ticket, last]() mutable {
    if (last) {
      self->stream_.expires_after(self->state_->options.write_timeout);
      net::async_write(self->stream_, bhttp::make_chunk_last(),
                       [self](beast::error_code ec, size_t n) {
                         self->bytes_sent_ += n;
                         self->FinishRequest(200);
                         if (ec || !self->keep_alive_ || self->state_->shutting_down.load()) {
                           self->LingerClose();
                         } else {
                           self->ReadIdle();
                         }
                       });
      return;
    }
    // The slice is out: only now is the next one produced (backpressure).
    auto& pool = *self->state_->pool;
    if (!pool.Submit([self, execution, ticket]() mutable {
          self->StepOnWorker(std::move(execution), std::move(ticket));
        })) {
      execution->Cancel(Status(ErrorCode::kAdminShutdown, "the server is shutting down"));
      self->Close();
    }
  };
  if (chunk_.empty()) {  // an empty chunk would end the body: write nothing
    after_chunk();
    return;
  }
  stream_.expires_after(state_->options.write_timeout);
  net::async_write(stream_, bhttp::make_chunk(net::buffer(chunk_)),
                   [self = shared_from_this(), after_chunk = std::move(after_chunk)](
                       beast::error_code ec, size_t n) mutable {
                     if (ec) {
                       self->ClientGone();
                       return;
                     }
                     self->bytes_sent_ += n;
                     after_chunk();
                   });
}

void HttpConnection::SendReply(HttpReply reply, bool close) {
  if (phase_ == Phase::kClosed) return;
  const bool keep_alive = keep_alive_ && !close && !state_->shutting_down.load();
  reply_.emplace(static_cast<bhttp::status>(reply.status), 11);
  reply_->set(bhttp::field::content_type, reply.content_type);
  reply_->set("X-Request-Id", request_id_);
  for (auto& [name, value] : reply.headers)
    reply_->set(name, value);
  reply_->body() = std::move(reply.body);
  reply_->keep_alive(keep_alive);
  reply_->prepare_payload();
  stream_.expires_after(state_->options.write_timeout);
  bhttp::async_write(stream_, *reply_,
                     [self = shared_from_this(), keep_alive](beast::error_code ec, size_t n) {
                       self->bytes_sent_ += n;
                       const int status = self->reply_->result_int();
                       self->reply_.reset();
                       self->FinishRequest(status);
                       if (ec) {
                         self->Close();
                       } else if (!keep_alive) {
                         self->LingerClose();
                       } else {
                         self->ReadIdle();
                       }
                     });
}

void HttpConnection::FinishRequest(int status) {
  StopMonitor();
  const auto latency = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start_);
  if (state_->metrics != nullptr) state_->metrics->RequestFinished(route_.name, status, latency);
  std::string user;
  {
    std::lock_guard<std::mutex> lock(work_mutex_);
    user = user_;
    execution_.reset();
  }
  // One line per request; never the query string, a header value or a body (they may
  // hold passwords and tokens).
  state_->log->info(
      "request id={} client={} method={} path={} route={} status={} user={} bytes={} "
      "took_ms={:.3f}",
      request_id_, client_address_, method_.empty() ? "-" : method_, path_.empty() ? "-" : path_,
      route_.name, status, user.empty() ? "-" : user, bytes_sent_,
      static_cast<double>(latency.count()) / 1000.0);
  bytes_sent_ = 0;
  header_sent_ = false;
  serializer_.reset();
  stream_header_.reset();
  chunk_.clear();
  chunk_.shrink_to_fit();
  if (work_started_) {
    work_started_ = false;
    state_->WorkEnded();
  }
}

// ---- watching for a client that leaves ----------------------------------------------

void HttpConnection::StartMonitor() {
  monitoring_ = true;
  const uint64_t generation = ++monitor_generation_;
  stream_.socket().async_wait(net::socket_base::wait_read,
                              [self = shared_from_this(), generation](beast::error_code ec) {
                                self->OnMonitor(ec, generation);
                              });
}

void HttpConnection::OnMonitor(beast::error_code ec, uint64_t generation) {
  if (ec || generation != monitor_generation_ || phase_ != Phase::kWorking) return;
  char byte;
  const ssize_t n = ::recv(stream_.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
    ClientGone();
    return;
  }
  if (n > 0) {
    // The client sent more (a pipelined request): it is still there; stop watching, the
    // bytes stay in the socket for the next read.
    monitoring_ = false;
    return;
  }
  StartMonitor();
}

void HttpConnection::StopMonitor() {
  if (!monitoring_) return;
  monitoring_ = false;
  ++monitor_generation_;
  beast::error_code ec;
  stream_.socket().cancel(ec);
}

void HttpConnection::ClientGone() {
  client_gone_.store(true);
  {
    std::lock_guard<std::mutex> lock(work_mutex_);
    if (execution_ != nullptr) {
      execution_->Cancel(Status(ErrorCode::kQueryCanceled, "the client closed the connection"));
    }
  }
  if (phase_ == Phase::kWorking) {
    state_->log->info("client_gone id={} client={} route={}", request_id_, client_address_,
                      route_.name);
    if (state_->metrics != nullptr) {
      // 499: nginx's "client closed request", so the request still shows in the metrics.
      state_->metrics->RequestFinished(route_.name, 499,
                                       std::chrono::duration_cast<std::chrono::microseconds>(
                                           std::chrono::steady_clock::now() - start_));
    }
  }
  Close();
}

// ---- closing ---------------------------------------------------------------------------

void HttpConnection::LingerClose() {
  if (phase_ == Phase::kClosed) return;
  phase_ = Phase::kClosed;
  StopMonitor();
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  drained_ = 0;
  drain_deadline_ = std::chrono::steady_clock::now() + kDrainTime;
  Drain();
}

void HttpConnection::Drain() {
  if (drained_ > kMaxDrainBytes || std::chrono::steady_clock::now() > drain_deadline_) {
    stream_.close();
    return;
  }
  buffer_.consume(buffer_.size());
  stream_.expires_at(drain_deadline_);
  stream_.async_read_some(buffer_.prepare(16 << 10),
                          [self = shared_from_this()](beast::error_code ec, size_t n) {
                            if (ec) {
                              self->stream_.close();
                              return;
                            }
                            self->drained_ += n;
                            self->Drain();
                          });
}

void HttpConnection::Close() {
  if (phase_ == Phase::kClosed) {
    stream_.close();
    return;
  }
  phase_ = Phase::kClosed;
  StopMonitor();
  if (work_started_) {
    work_started_ = false;
    state_->WorkEnded();
  }
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
  stream_.close();
}

}  // namespace tenantdb::server::http
