// HttpConnection's output side: replies, streamed SQL responses (chunked, a slice at a
// time), the per-request log line and metrics, watching for a client that leaves, and
// closing. The input side (reading, routing, the worker hand-off) is http_connection.cc.
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>

#include "server/http/cors.h"
#include "server/http/http_connection.h"
#include "server/http/response_head.h"

namespace tenantdb::server::http {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace bhttp = boost::beast::http;

namespace {

// After a reply that closes the connection, what the client still sends is read and
// dropped for a while (bounded), so closing does not reset the connection before the
// client has read the reply (a TCP reset discards it).
constexpr std::chrono::seconds kDrainTime{5};
constexpr uint64_t kMaxDrainBytes = 64ull << 20;
// A connection keeps its reply buffer between requests up to this size.
constexpr size_t kKeptReplyBytes = 16 << 10;

}  // namespace

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
    HeaderList cors;
    AddCorsHeaders(state_->options.cors_allowed_origins, origin_, &cors);
    for (auto& [name, value] : cors)
      stream_header_->set(name, value);
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
    self->ScheduleStep(execution, ticket);
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

bool HttpConnection::RenderReply(HttpReply reply, bool close) {
  const bool keep_alive = keep_alive_ && !close && !state_->shutting_down.load();
  AddCorsHeaders(state_->options.cors_allowed_origins, origin_, &reply.headers);
  ResponseHeadFields head;
  head.status = reply.status;
  head.content_type = reply.content_type;
  head.request_id = request_id_;
  head.headers = &reply.headers;
  head.content_length = reply.body.size();
  head.keep_alive = keep_alive;
  reply_bytes_.clear();
  reply_bytes_.reserve(256 + reply.body.size());
  AppendResponseHead(head, &reply_bytes_);
  // HEAD: GET's headers, Content-Length included, and no body (RFC 9110 9.3.2).
  if (!head_ && StatusHasBody(reply.status)) reply_bytes_ += reply.body;
  reply_status_ = reply.status;
  return keep_alive;
}

void HttpConnection::SendReply(HttpReply reply, bool close) {
  if (phase_ == Phase::kClosed) return;
  const bool keep_alive = RenderReply(std::move(reply), close);
  SendRenderedFrom(0, keep_alive);
}

void HttpConnection::SendRenderedFrom(size_t sent, bool keep_alive) {
  // The socket (non-blocking) nearly always takes a whole reply at once: sent here, with
  // no handler hop and no timer; only what it does not take waits for it, timed.
  beast::error_code ec;
  if (sent < reply_bytes_.size()) {
    const size_t more = stream_.socket().write_some(
        net::buffer(reply_bytes_.data() + sent, reply_bytes_.size() - sent), ec);
    if (ec == net::error::would_block || ec == net::error::try_again) {
      ec = {};
    } else if (!ec) {
      sent += more;
    }
  }
  if (ec || sent == reply_bytes_.size()) {
    AfterReply(ec, sent, keep_alive);
    return;
  }
  stream_.expires_after(state_->options.write_timeout);
  net::async_write(stream_, net::buffer(reply_bytes_.data() + sent, reply_bytes_.size() - sent),
                   [self = shared_from_this(), keep_alive, sent](beast::error_code ec, size_t n) {
                     self->AfterReply(ec, sent + n, keep_alive);
                   });
}

void HttpConnection::AfterReply(beast::error_code ec, size_t sent, bool keep_alive) {
  bytes_sent_ += sent;
  FinishRequest(reply_status_);
  reply_bytes_.clear();
  if (reply_bytes_.capacity() > kKeptReplyBytes) reply_bytes_.shrink_to_fit();
  if (ec) {
    Close();
  } else if (!keep_alive) {
    LingerClose();
  } else {
    ReadIdle();
  }
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
  // hold passwords and tokens). Put together by hand and handed to spdlog as a finished
  // message: fmt's runtime format parse of ten fields was a twentieth of a point
  // select's CPU.
  if (state_->log->should_log(spdlog::level::info)) {
    const auto field = [this](std::string_view name, std::string_view value) {
      access_line_ += name;
      access_line_ += value.empty() ? std::string_view("-") : value;
    };
    const auto number = [this](std::string_view name, uint64_t value) {
      char digits[24];
      access_line_ += name;
      access_line_.append(digits, std::to_chars(digits, digits + sizeof(digits), value).ptr);
    };
    const uint64_t micros = static_cast<uint64_t>(std::max<int64_t>(0, latency.count()));
    access_line_.clear();
    field("request id=", request_id_);
    field(" client=", client_address_);
    field(" method=", method_);
    field(" path=", path_);
    field(" route=", route_.name);
    number(" status=", static_cast<uint64_t>(status));
    field(" user=", user);
    number(" bytes=", bytes_sent_);
    number(" took_ms=", micros / 1000);
    char millis[4] = {'.', static_cast<char>('0' + micros % 1000 / 100),
                      static_cast<char>('0' + micros % 100 / 10),
                      static_cast<char>('0' + micros % 10)};
    access_line_.append(millis, sizeof(millis));
    state_->log->info(std::string_view(access_line_));
  }
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

void HttpConnection::WatchForClientGone() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    if (self->phase_ == Phase::kWorking && !self->monitoring_) self->StartMonitor();
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
  StopDurableSends();
  phase_ = Phase::kClosed;
  StopMonitor();
  idle_timer_.cancel();
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
  StopDurableSends();
  if (phase_ == Phase::kClosed) {
    stream_.close();
    return;
  }
  phase_ = Phase::kClosed;
  StopMonitor();
  idle_timer_.cancel();
  if (work_started_) {
    work_started_ = false;
    state_->WorkEnded();
  }
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
  stream_.close();
}

}  // namespace tenantdb::server::http
