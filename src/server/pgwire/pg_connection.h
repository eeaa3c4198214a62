// PgConnection: one client connection of the PostgreSQL protocol listener.
//
// Life: startup (an SSLRequest is answered 'S' when the server has a certificate
// ([pgwire] ssl_cert_file) and the TLS handshake follows, else 'N' and the client goes on
// in plain text; GSSENCRequest is declined; a CancelRequest cancels the statement of the
// connection its key names and closes), authentication (login.h), then ParameterStatus,
// BackendKeyData and ReadyForQuery, then queries (protocol_session.h) until Terminate, a closed
// socket, a protocol error (FATAL 08P01) or server shutdown (FATAL 57P01).
//
// I/O: each connection has a thread of its own running the socket's I/O context (as a
// PostgreSQL backend process; PgServer starts it). Once at least one complete message is
// buffered, every complete message is handled right there, then the replies are written
// and reading resumes: pipelined messages are answered in one write, and a statement
// that waits (a row lock, the WAL sync) holds up only its own connection. A result larger than
// ProtocolSession::kFlushBytes is written while it streams, with a poll-bounded write
// that gives up after write_timeout (the client stopped reading) or at shutdown.
// Startup and login go through Asio (the authentication_timeout is a timer); once a plain
// (not TLS) connection is logged in, its thread reads with a blocking recv() and writes
// with the same poll-bounded send, as a PostgreSQL backend does: one system call per
// message each way instead of the reactor's epoll rounds, which cost as much as the
// statement on a small machine. Terminate() then wakes the blocked recv() by shutting the
// socket's read side.
//
// TLS: once the 'S' is written, every byte goes through a TlsChannel on the same
// descriptor (made non-blocking): the handshake, reads and writes wait for the socket with
// Asio's async_wait on the connection's thread, and the streaming flush polls as the
// plain one does.
//
// Thread safety: Start() once; Cancel() and Terminate() from any thread. Ownership:
// shared: the pending I/O handlers hold it; destroying it lets its thread end.
#pragma once

#include <array>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "server/pgwire/login.h"
#include "server/pgwire/message_framer.h"
#include "server/pgwire/pg_server_state.h"
#include "server/pgwire/protocol_session.h"
#include "server/tls/tls_channel.h"

namespace tenantdb::server::pgwire {

class PgConnection : public std::enable_shared_from_this<PgConnection> {
 public:
  // `context`: the socket's I/O context, which the connection's own thread runs; it
  // keeps running until the connection is destroyed.
  PgConnection(boost::asio::ip::tcp::socket socket, std::shared_ptr<PgServerState> state,
               std::shared_ptr<boost::asio::io_context> context);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  void Start();
  // Instead of Start(): answers the startup message (after any SSL negotiation) with
  // `status` as a FATAL ErrorResponse and closes — a connection over the limit, refused
  // as PostgreSQL refuses it.
  void Refuse(const Status& status);
  // Cancels the running statement, if any (CancelRequest; shutdown).
  void Cancel();
  // Ends the connection at shutdown: FATAL 57P01 unless a statement is being processed
  // (then after it), then close.
  void Terminate();

 private:
  enum class Phase { kStartup, kAuthenticating, kReady, kClosed };

  void Read();
  void OnRead(const boost::system::error_code& ec, size_t n);
  // The logged-in plain connection's loop: blocking recv(), then OnRead; ends when a
  // handler does not ask to read again (the connection closed).
  void ReadDirect();
  // Handles every complete message buffered (on the connection's thread).
  void Process();
  // Handles one frame; false when the connection must close after the output is written.
  bool HandleFrame(const Frame& frame);
  bool HandleStartup(std::string_view body);
  void StartSession();
  // Writes out_, then closes or reads on.
  void WriteThenContinue(bool close_after);
  // After out_ is written (or the write failed): closes, starts TLS, or reads on.
  void OnWritten(const boost::system::error_code& ec, bool close_after);
  // TLS: the handshake after 'S' is written, then reads and writes through tls_.
  void StartTls();
  void ContinueHandshake();
  void TlsRead();
  void TlsWrite(size_t offset, bool close_after);
  // Calls `next` once the socket can do what `want` (kRead or kWrite) says.
  void WaitFor(tls::TlsChannel::Want want,
               std::function<void(const boost::system::error_code&)> next);
  Status FlushTls(std::string* out);
  void Close();
  // The synchronous write a large result streams through (protocol_session.h FlushFn).
  Status FlushNow(std::string* out);
  // Waits until every write visible now is durable (replies tell nothing a power loss
  // could undo); the sync's error when it failed.
  Status AwaitDurable();
  void Fatal(const Status& status);

  // Declared first: the socket and handlers go before their context does.
  std::shared_ptr<boost::asio::io_context> context_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> keep_running_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer startup_deadline_;  // authentication_timeout
  const std::shared_ptr<PgServerState> state_;
  std::string client_address_;
  std::string in_;
  std::string out_;
  BackendWriter writer_{&out_};
  Phase phase_ = Phase::kStartup;
  int32_t process_id_ = 0;
  int32_t secret_key_ = 0;
  std::string application_name_;
  std::optional<Login> login_;
  std::optional<Status> refusal_;  // Refuse(): the startup message gets this
  std::unique_ptr<ProtocolSession> protocol_;
  std::unique_ptr<tls::TlsChannel> tls_;
  bool start_tls_ = false;  // 'S' is in out_: the handshake follows its write
  bool tls_ready_ = false;  // the handshake is done

  std::mutex cancel_mu_;
  Session* cancel_target_ = nullptr;  // under cancel_mu_
  std::atomic<bool> processing_{false};
  std::atomic<bool> terminating_{false};
  bool writing_ = false;  // an async_write is pending (connection thread only)
  bool direct_ = false;   // logged in without TLS: blocking reads (ReadDirect)
  bool in_direct_loop_ = false;
  bool read_again_ = false;  // Read() was called inside ReadDirect's loop
  // The descriptor stays open while Terminate() may shut its read side from another thread.
  std::mutex close_mu_;
  bool socket_closed_ = false;  // under close_mu_
  bool write_failed_ = false;   // FlushNow gave up
  std::array<char, 16 << 10> read_buffer_;
};

}  // namespace tenantdb::server::pgwire
