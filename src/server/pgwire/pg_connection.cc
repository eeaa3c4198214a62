#include "server/pgwire/pg_connection.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace tenantdb::server::pgwire {

namespace net = boost::asio;

PgConnection::PgConnection(net::ip::tcp::socket socket, std::shared_ptr<PgServerState> state,
                           std::shared_ptr<net::io_context> context)
    : context_(std::move(context)),
      keep_running_(context_->get_executor()),
      socket_(std::move(socket)),
      startup_deadline_(socket_.get_executor()),
      state_(std::move(state)) {
  boost::system::error_code ec;
  const auto remote = socket_.remote_endpoint(ec);
  client_address_ = ec ? "unknown" : remote.address().to_string();
}

PgConnection::~PgConnection() {
  {
    std::lock_guard<std::mutex> lock(cancel_mu_);
    cancel_target_ = nullptr;
  }
  protocol_.reset();
  if (process_id_ != 0) state_->Unregister(process_id_);
}

void PgConnection::Start() {
  process_id_ = state_->Register(weak_from_this(), &secret_key_);
  startup_deadline_.expires_after(state_->options.authentication_timeout);
  startup_deadline_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    auto self = weak.lock();
    if (ec || self == nullptr || self->phase_ == Phase::kReady) return;
    // Not logged in in time: the pending read ends with an error and the thread with it.
    self->state_->log->info("pgwire_authentication_timeout client={}", self->client_address_);
    self->Close();
  });
  Read();
}

void PgConnection::Refuse(const Status& status) {
  refusal_ = status;
  Start();
}

void PgConnection::Cancel() {
  std::lock_guard<std::mutex> lock(cancel_mu_);
  if (cancel_target_ != nullptr) cancel_target_->Cancel();
}

void PgConnection::Terminate() {
  terminating_.store(true);
  {
    // A connection blocked in ReadDirect's recv() wakes with end-of-file and says FATAL.
    std::lock_guard<std::mutex> lock(close_mu_);
    if (!socket_closed_ && direct_) ::shutdown(socket_.native_handle(), SHUT_RD);
  }
  net::post(socket_.get_executor(), [self = shared_from_this()] {
    // A pending read ends with operation_aborted; a connection being processed sends the
    // FATAL itself when its task ends (WriteThenContinue).
    if (!self->processing_.load() && !self->writing_ && self->phase_ != Phase::kClosed) {
      boost::system::error_code ec;
      self->socket_.cancel(ec);
      self->Fatal(
          Status(ErrorCode::kAdminShutdown, "terminating connection due to administrator command"));
      self->WriteThenContinue(true);
    }
  });
}

void PgConnection::Read() {
  if (phase_ == Phase::kClosed) return;
  if (tls_ != nullptr) {
    TlsRead();
    return;
  }
  if (direct_) {
    if (in_direct_loop_) {
      read_again_ = true;  // the loop reads next, instead of recursing
    } else {
      ReadDirect();
    }
    return;
  }
  socket_.async_read_some(net::buffer(read_buffer_),
                          [self = shared_from_this()](const boost::system::error_code& ec,
                                                      size_t n) { self->OnRead(ec, n); });
}

void PgConnection::ReadDirect() {
  in_direct_loop_ = true;
  const int fd = socket_.native_handle();
  do {
    read_again_ = false;
    ssize_t n = 0;
    do {
      n = ::recv(fd, read_buffer_.data(), read_buffer_.size(), 0);
    } while (n < 0 && errno == EINTR);
    boost::system::error_code ec;
    if (n < 0) {
      ec.assign(errno, boost::system::system_category());
    } else if (n == 0) {
      ec = net::error::eof;
    }
    OnRead(ec, n > 0 ? static_cast<size_t>(n) : 0);
  } while (read_again_ && phase_ != Phase::kClosed);
  in_direct_loop_ = false;
}

void PgConnection::OnRead(const boost::system::error_code& ec, size_t n) {
  if (ec == net::error::operation_aborted) return;  // Terminate() took over
  if (ec == net::error::eof && terminating_.load() && direct_) {
    // Terminate() shut the read side to wake this thread.
    Fatal(Status(ErrorCode::kAdminShutdown, "terminating connection due to administrator command"));
    WriteThenContinue(true);
    return;
  }
  if (ec) {
    Close();
    return;
  }
  in_.append(read_buffer_.data(), n);
  if (terminating_.load()) {
    Fatal(Status(ErrorCode::kAdminShutdown, "terminating connection due to administrator command"));
    WriteThenContinue(true);
    return;
  }
  // Anything to do? A complete message, or a length that is already wrong.
  Result<std::optional<Frame>> frame =
      NextFrame(in_, phase_ == Phase::kStartup, state_->options.max_message_bytes);
  if (frame.ok() && !frame->has_value()) {
    Read();
    return;
  }
  // On this connection's own thread: no hand-off, as in a PostgreSQL backend process.
  processing_.store(true);
  state_->WorkStarted();
  Process();
  state_->WorkEnded();
}

void PgConnection::Process() {
  bool keep_open = true;
  size_t consumed = 0;
  while (keep_open) {
    const std::string_view rest = std::string_view(in_).substr(consumed);
    Result<std::optional<Frame>> frame =
        NextFrame(rest, phase_ == Phase::kStartup, state_->options.max_message_bytes);
    if (!frame.ok()) {
      Fatal(frame.status());
      keep_open = false;
      break;
    }
    if (!frame->has_value()) break;
    consumed += (*frame)->size;
    keep_open = HandleFrame(**frame);
    if (start_tls_) {
      // The client waits for the 'S' before its TLS hello: bytes already here were sent
      // in clear and would be taken as encrypted (PostgreSQL refuses them the same way).
      if (consumed < in_.size()) {
        out_.clear();
        start_tls_ = false;
        Fatal(Status(ErrorCode::kInvalidRequest, "received unencrypted data after SSL request"));
        keep_open = false;
      }
      break;
    }
  }
  in_.erase(0, consumed);
  // After a failed flush the client is gone or stopped reading: what is left would never
  // be read either.
  if (write_failed_) out_.clear();
  if (terminating_.load() && keep_open) {
    Fatal(Status(ErrorCode::kAdminShutdown, "terminating connection due to administrator command"));
    keep_open = false;
  }
  // Already on the connection's own thread: the write starts here, without a queued hop.
  processing_.store(false);
  WriteThenContinue(!keep_open);
}

bool PgConnection::HandleFrame(const Frame& frame) {
  switch (phase_) {
    case Phase::kStartup:
      return HandleStartup(frame.body);
    case Phase::kAuthenticating: {
      if (frame.type == 'X') return false;  // the client gave up (e.g. no password to give)
      if (frame.type != 'p') {
        Fatal(Status(
            ErrorCode::kInvalidRequest,
            "expected a password response, got message type '" + std::string(1, frame.type) + "'"));
        return false;
      }
      switch (login_->OnPassword(frame.body, &writer_)) {
        case Login::Outcome::kContinue:
          return true;
        case Login::Outcome::kFailed:
          return false;
        case Login::Outcome::kAuthenticated:
          StartSession();
          return phase_ == Phase::kReady;
      }
      return false;
    }
    case Phase::kReady: {
      Result<FrontendMessage> message = DecodeFrontendMessage(frame.type, frame.body);
      if (!message.ok()) {
        Fatal(message.status());
        return false;
      }
      return protocol_->Handle(std::move(*message));
    }
    case Phase::kClosed:
      return false;
  }
  return false;
}

bool PgConnection::HandleStartup(std::string_view body) {
  Result<StartupPacket> packet = DecodeStartupPacket(body);
  if (!packet.ok()) {
    Fatal(packet.status());
    return false;
  }
  switch (packet->kind) {
    case StartupPacket::Kind::kSslRequest:
      if (tls_ != nullptr) {
        Fatal(Status(ErrorCode::kInvalidRequest, "SSLRequest on a connection already encrypted"));
        return false;
      }
      if (state_->tls != nullptr) {
        out_.push_back('S');  // the handshake follows once it is written (OnWritten)
        start_tls_ = true;
        return true;
      }
      // No certificate configured: 'N', and the client goes on in plain text (or gives
      // up, when it requires encryption).
      out_.push_back('N');
      return true;
    case StartupPacket::Kind::kGssEncRequest:
      out_.push_back('N');  // no GSSAPI encryption
      return true;
    case StartupPacket::Kind::kCancel:
      if (auto target = state_->Find(packet->process_id, packet->secret_key)) target->Cancel();
      return false;  // no reply: the client closes
    case StartupPacket::Kind::kStartup:
      break;
  }
  if (state_->shutting_down.load()) {
    Fatal(Status(ErrorCode::kAdminShutdown, "the database system is shutting down"));
    return false;
  }
  if (refusal_.has_value()) {
    Fatal(*refusal_);
    return false;
  }
  if (state_->options.ssl_required && tls_ == nullptr) {
    Fatal(Status(ErrorCode::kInvalidAuthorization,
                 "this server accepts only encrypted connections ([pgwire] ssl_required): "
                 "connect with sslmode=require"));
    return false;
  }
  application_name_ = std::string(packet->Parameter("application_name"));
  login_.emplace(state_->db, state_->authenticator, state_->options.allow_cleartext_password,
                 client_address_);
  phase_ = Phase::kAuthenticating;
  switch (login_->Start(std::string(packet->Parameter("user")), &writer_)) {
    case Login::Outcome::kContinue:
      return true;
    case Login::Outcome::kFailed:
      return false;
    case Login::Outcome::kAuthenticated:
      StartSession();
      return phase_ == Phase::kReady;
  }
  return false;
}

void PgConnection::StartSession() {
  const Account& account = login_->account();
  Result<std::unique_ptr<Session>> session = state_->db->Connect(account.user, account.role);
  if (!session.ok()) {
    Fatal(session.status());
    return;
  }
  {
    std::lock_guard<std::mutex> lock(cancel_mu_);
    cancel_target_ = session->get();
  }
  protocol_ = std::make_unique<ProtocolSession>(std::move(*session), &out_,
                                                [this](std::string* out) { return FlushNow(out); });
  // What libpq and drivers read at connect (PostgreSQL sends these and a few more).
  writer_.ParameterStatus("server_version", "15.0 (tenantdb)");
  writer_.ParameterStatus("server_encoding", "UTF8");
  writer_.ParameterStatus("client_encoding", "UTF8");
  writer_.ParameterStatus("DateStyle", "ISO, MDY");
  writer_.ParameterStatus("TimeZone", "UTC");
  writer_.ParameterStatus("integer_datetimes", "on");
  writer_.ParameterStatus("standard_conforming_strings", "on");
  writer_.ParameterStatus("IntervalStyle", "postgres");
  writer_.ParameterStatus("is_superuser", account.role == Role::kSystem ? "on" : "off");
  writer_.ParameterStatus("session_authorization", account.user);
  writer_.ParameterStatus("application_name", application_name_);
  writer_.BackendKeyData(process_id_, secret_key_);
  writer_.ReadyForQuery('I');
  phase_ = Phase::kReady;
  startup_deadline_.cancel();
  if (tls_ == nullptr) {
    // From here the thread blocks in recv() (ReadDirect); writes stay poll-bounded.
    const int fd = socket_.native_handle();
    const int flags = ::fcntl(fd, F_GETFL, 0);
    if (flags >= 0 && ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0) {
      std::lock_guard<std::mutex> lock(close_mu_);
      direct_ = true;
    }
  }
  login_.reset();
  state_->log->info("pgwire_login user={} role={} client={} pid={} tls={}", account.user,
                    RoleName(account.role), client_address_, process_id_,
                    tls_ != nullptr ? tls_->Description() : "none");
}

void PgConnection::Fatal(const Status& status) {
  ErrorFields fields;
  fields.severity = "FATAL";
  fields.sqlstate = status.sqlstate();
  const std::string message(status.message());
  fields.message = message;
  writer_.ErrorResponse(fields);
}

void PgConnection::WriteThenContinue(bool close_after) {
  if (phase_ == Phase::kClosed) return;
  if (out_.empty()) {
    if (close_after) {
      Close();
    } else if (terminating_.load()) {
      Fatal(
          Status(ErrorCode::kAdminShutdown, "terminating connection due to administrator command"));
      WriteThenContinue(true);
    } else {
      Read();
    }
    return;
  }
  if (tls_ != nullptr && !tls_ready_) {
    Close();  // shutdown during the handshake: nothing can be said to the client
    return;
  }
  if (direct_) {
    // Synchronous and poll-bounded (write_timeout), as a streamed result's flush.
    const Status written = FlushNow(&out_);
    OnWritten(written.ok() ? boost::system::error_code()
                           : boost::system::error_code(net::error::broken_pipe),
              close_after);
    return;
  }
  if (!AwaitDurable().ok()) {
    Close();  // the commits the replies tell of may be lost
    return;
  }
  writing_ = true;
  if (tls_ != nullptr) {
    TlsWrite(0, close_after);
    return;
  }
  net::async_write(
      socket_, net::buffer(out_),
      [self = shared_from_this(), close_after](const boost::system::error_code& ec, size_t) {
        self->OnWritten(ec, close_after);
      });
}

void PgConnection::OnWritten(const boost::system::error_code& ec, bool close_after) {
  writing_ = false;
  out_.clear();
  if (ec || close_after) {
    Close();
  } else if (start_tls_) {
    start_tls_ = false;
    StartTls();
  } else if (terminating_.load()) {
    Fatal(Status(ErrorCode::kAdminShutdown, "terminating connection due to administrator command"));
    WriteThenContinue(true);
  } else {
    Read();
  }
}

void PgConnection::Close() {
  if (phase_ == Phase::kClosed) return;
  phase_ = Phase::kClosed;
  startup_deadline_.cancel();
  if (tls_ != nullptr && tls_ready_) tls_->Shutdown();
  boost::system::error_code ec;
  std::lock_guard<std::mutex> lock(close_mu_);
  socket_closed_ = true;
  socket_.shutdown(net::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  // The session (and its open transaction, rolled back) goes with the last reference.
}

Status PgConnection::AwaitDurable() {
  // This connection's own thread may wait: the replies may tell of commits (another
  // connection's, over HTTP, deferring their syncs: Session::DeferCommitSync) that are
  // visible but not yet synced. One atomic check when nothing waits.
  Database& db = *state_->db;
  return db.WaitUntilDurable(db.WritePosition());
}

Status PgConnection::FlushNow(std::string* out) {
  // Runs on the worker processing this connection while no asynchronous operation is
  // pending on the socket, so writing its descriptor directly races with nothing.
  if (Status durable = AwaitDurable(); !durable.ok()) {
    write_failed_ = true;
    return durable;
  }
  if (tls_ != nullptr) return FlushTls(out);
  const int fd = socket_.native_handle();
  const auto deadline = std::chrono::steady_clock::now() + state_->options.write_timeout;
  size_t written = 0;
  while (written < out->size()) {
    const ssize_t n =
        ::send(fd, out->data() + written, out->size() - written, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      written += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (terminating_.load() || std::chrono::steady_clock::now() >= deadline) {
        write_failed_ = true;
        return Status(ErrorCode::kIoError, "the client stopped reading the result");
      }
      pollfd p{fd, POLLOUT, 0};
      ::poll(&p, 1, 100);
      continue;
    }
    write_failed_ = true;
    return Status(ErrorCode::kIoError,
                  std::string("writing to the client failed: ") + std::strerror(errno));
  }
  out->clear();
  return Status::Ok();
}

}  // namespace tenantdb::server::pgwire
