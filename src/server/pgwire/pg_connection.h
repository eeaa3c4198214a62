// PgConnection: one client connection of the PostgreSQL protocol listener.
//
// Life: startup (an SSLRequest is answered 'S' when the server has a certificate
// ([pgwire] ssl_cert_file) and the TLS handshake follows, else 'N' and the client goes on
// in plain text; GSSENCRequest is declined; a CancelRequest cancels the statement of the
// connection its key names and closes), authentication (login.h), then ParameterStatus,
// BackendKeyData and ReadyForQuery, then queries (protocol_session.h) until Terminate, a closed
// socket, a protocol error (FATAL 08P01) or server shutdown (FATAL 57P01).
//
// I/O: bytes are read on the connection's strand of the server's I/O threads; once at
// least one complete message is buffered, a task on the StatementScheduler (the same
// scheduling HTTP statements get: inline on an I/O thread when a slot is free, else the
// worker pool) handles every complete message, then the replies are written and reading
// resumes. One connection is thus handled by one thread at a time and pipelined
// messages are answered in one write. A result larger than
// ProtocolSession::kFlushBytes is written while it streams, with a poll-bounded write
// that gives up after write_timeout (the client stopped reading) or at shutdown.
//
// TLS: once the 'S' is written, every byte goes through a TlsChannel on the same
// descriptor (made non-blocking): the handshake, reads and writes wait for the socket with
// Asio's async_wait on the strand, and the streaming flush polls as the plain one does.
//
// Thread safety: Start() once; Cancel() and Terminate() from any thread. Ownership:
// shared: the pending I/O handlers and the running task hold it.
#pragma once

#include <array>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
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
  PgConnection(boost::asio::ip::tcp::socket socket, std::shared_ptr<PgServerState> state);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  void Start();
  // Cancels the running statement, if any (CancelRequest; shutdown).
  void Cancel();
  // Ends the connection at shutdown: FATAL 57P01 unless a statement is being processed
  // (then after it), then close.
  void Terminate();

 private:
  enum class Phase { kStartup, kAuthenticating, kReady, kClosed };

  void Read();
  void OnRead(const boost::system::error_code& ec, size_t n);
  // Runs on the scheduler: handles every complete message buffered.
  void Process();
  // Handles one frame; false when the connection must close after the output is written.
  bool HandleFrame(const Frame& frame);
  bool HandleStartup(std::string_view body);
  void StartSession();
  // Writes out_ (on the strand), then closes or reads on.
  void WriteThenContinue(bool close_after);
  // After out_ is written (or the write failed): closes, starts TLS, or reads on.
  void OnWritten(const boost::system::error_code& ec, bool close_after);
  // TLS: the handshake after 'S' is written, then reads and writes through tls_.
  void StartTls();
  void ContinueHandshake();
  void TlsRead();
  void TlsWrite(size_t offset, bool close_after);
  // Calls `next` on the strand once the socket can do what `want` (kRead or kWrite) says.
  void WaitFor(tls::TlsChannel::Want want,
               std::function<void(const boost::system::error_code&)> next);
  Status FlushTls(std::string* out);
  void Close();
  // The synchronous write a large result streams through (protocol_session.h FlushFn).
  Status FlushNow(std::string* out);
  void Fatal(const Status& status);

  boost::asio::ip::tcp::socket socket_;
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
  std::unique_ptr<ProtocolSession> protocol_;
  std::unique_ptr<tls::TlsChannel> tls_;
  bool start_tls_ = false;  // 'S' is in out_: the handshake follows its write
  bool tls_ready_ = false;  // the handshake is done

  std::mutex cancel_mu_;
  Session* cancel_target_ = nullptr;  // under cancel_mu_
  std::atomic<bool> processing_{false};
  std::atomic<bool> terminating_{false};
  bool writing_ = false;       // an async_write is pending (strand only)
  bool write_failed_ = false;  // FlushNow gave up (worker only)
  std::array<char, 16 << 10> read_buffer_;
};

}  // namespace tenantdb::server::pgwire
