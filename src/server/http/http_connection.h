// HttpConnection: one client's TCP connection, HTTP/1.1 with keep-alive, driven by
// Boost.Beast on one event loop (event_loops.h; all of its handlers run on its strand; no
// thread is ever blocked for it). Its life:
//
//   idle     waiting for the first byte of a request (idle_timeout; holds ~1 kB)
//   reading  the request being read (request_timeout: a client that never finishes is
//            dropped); bodies over max_body_bytes get 413, bad HTTP 400, huge headers 431
//   working  the request runs on this connection's event loop (authentication and
//            statements: a commit does not wait for the WAL sync, the reply does —
//            SendReplyWhenDurable, PostWhenDurable), on the worker pool (password hashes: login,
//            refresh, logout, Basic credentials), or is answered at once (health, ready, metrics,
//            CORS preflights, 404/405); meanwhile the socket is watched, and a client
//            that disconnects cancels its statement (Session::Cancel)
//   writing  the reply, or a SQL response slice by slice (chunked), each slice produced
//            only after the previous one was written (backpressure, write_timeout)
//
// Every request gets an id (X-Request-Id), one log line and one ServerMetrics record.
// Input side in http_connection.cc, output side (replies, streaming, closing) in
// http_connection_write.cc, replies that wait for the WAL sync in
// http_connection_durable.cc.
//
// Thread safety: public methods may be called from any thread (they post to the strand).
// Ownership: shared — pending handlers and worker tasks hold it; the ServerState
// registry holds only a weak reference.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include "server/http/route_table.h"
#include "server/http/server_state.h"
#include "server/http/sql_execution.h"
#include "server/http/statement_admission.h"
#include "server/http/worker_routes.h"

namespace tenantdb::server::http {

class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  HttpConnection(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerState> state);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  void Start();
  // Shutdown: closes it whatever it is doing.
  void CloseNow();
  // Cancels the statement the connection runs, if any (shutdown deadline).
  void CancelWork(Status why);

 private:
  enum class Phase : unsigned char { kIdle, kReading, kWorking, kClosed };
  using Ticket = std::shared_ptr<StatementAdmission::Ticket>;

  void ReadIdle();
  // The idle timeout, without a timer operation per request: idle_deadline_ moves with
  // every idle phase, and idle_timer_ (armed at most once at a time) checks it when it
  // fires, closing a connection idle past it and otherwise waiting again. A keep-alive
  // client's requests cost no timer work; the timer fires about once per idle_timeout.
  void StartIdleClock();
  void ArmIdleTimer(std::chrono::steady_clock::time_point at);
  void OnIdleTimer();
  void ReadRequest();
  // Feeds what is buffered to the parser, up to the end of the header or of the whole
  // request; a parse error is left in `ec` (needing more bytes is not one).
  void ParseBuffered(bool header_only, boost::beast::error_code* ec);
  void OnHeader(boost::beast::error_code ec);
  void ReadBody();
  void OnRequest(boost::beast::error_code ec);
  void HandleReadError(boost::beast::error_code ec);
  void Route();
  void Dispatch();
  static bool RunsOnPool(const WorkerRequest& request);
  void RunOnWorker(const WorkerRequest& request, Ticket ticket);
  // The next Step, on this connection's loop.
  void ScheduleStep(std::shared_ptr<SqlExecution> execution, Ticket ticket);
  void StepOnWorker(std::shared_ptr<SqlExecution> execution, Ticket ticket);
  // Runs `then` on this connection's executor once every write visible now is synced to
  // the write-ahead log (Session::DeferCommitSync's contract: no reply tells of a write —
  // its own, or one a read saw — that a power loss could still undo), or with the sync's
  // error. A single atomic check when nothing waits for a sync. `Then`: a movable
  // callable taking const Status& (defined in http_connection.cc, its only user).
  template <class Then>
  void PostWhenDurable(Then then);
  void WriteSlice(SqlExecution::Output output, std::shared_ptr<SqlExecution> execution,
                  Ticket ticket);
  void WriteChunk(std::shared_ptr<SqlExecution> execution, Ticket ticket, bool last);
  void SendReply(HttpReply reply, bool close);
  // SendReply once every write visible now is durable (PostWhenDurable's contract), sent
  // by the thread that learns so (http_connection_durable.cc): the WAL syncer writes the
  // rendered reply to the socket itself, and only the request's bookkeeping (log line,
  // metrics, the next read) is posted to this loop. `execution`, when set, is released
  // there; a failed sync cancels it and answers with the error instead, closing.
  // `position`: Database::WritePosition() when the statement ended. Any thread (the
  // statement's); the rest runs on the strand.
  void SendReplyWhenDurable(HttpReply reply, std::shared_ptr<SqlExecution> execution,
                            uint64_t position);
  // Renders `reply` into reply_bytes_ and reply_status_; returns whether the connection
  // stays open after it.
  bool RenderReply(HttpReply reply, bool close);
  // The syncer's send of reply_bytes_: the bytes the socket took, or -errno; -EBADF when
  // the connection began closing meanwhile. Any thread; nothing else writes meanwhile.
  ssize_t SendRenderedNow();
  // Sends reply_bytes_ from byte `sent` on, on the strand: at once, and what the socket
  // does not take timed; then AfterReply.
  void SendRenderedFrom(size_t sent, bool keep_alive);
  // No SendRenderedNow may touch the socket after this returns (Close, LingerClose).
  void StopDurableSends();
  // The reply's last byte went out (or `ec` says why not): log it, then read the next
  // request, or close.
  void AfterReply(boost::beast::error_code ec, size_t sent, bool keep_alive);
  void ReadRequestHeaders(const boost::beast::http::request_header<>& header);
  void FinishRequest(int status);
  void StartMonitor();
  // StartMonitor on the strand, unless the request is over or watched already. Any thread.
  void WatchForClientGone();
  void OnMonitor(boost::beast::error_code ec, uint64_t generation);
  void StopMonitor();
  void ClientGone();
  void LingerClose();
  void Drain();
  void Close();

  boost::beast::tcp_stream stream_;
  std::shared_ptr<ServerState> state_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::request<boost::beast::http::string_body> request_;
  std::string reply_bytes_;  // a whole reply, head and body (response_head.h)
  int reply_status_ = 0;
  std::optional<boost::beast::http::response<boost::beast::http::empty_body>> stream_header_;
  std::optional<boost::beast::http::response_serializer<boost::beast::http::empty_body>>
      serializer_;
  std::string chunk_;

  uint64_t id_ = 0;
  std::string client_address_;
  // The last Authorization header this connection authenticated and who it was: a
  // keep-alive client sends the same one every time (see AuthenticatedHeader).
  AuthenticatedHeader auth_memo_;
  Phase phase_ = Phase::kIdle;
  RouteMatch route_;
  std::string request_id_;
  std::string access_line_;  // the request's access log line, reused between requests
  std::string path_;
  std::string method_;
  std::string origin_;  // the request's Origin header (CORS, cors.h); empty when absent
  bool head_ = false;   // a HEAD request: replies keep their headers, drop their body
  std::chrono::steady_clock::time_point start_;
  bool keep_alive_ = true;
  bool work_started_ = false;
  bool header_sent_ = false;
  uint64_t bytes_sent_ = 0;
  uint64_t drained_ = 0;
  std::chrono::steady_clock::time_point drain_deadline_;
  boost::asio::steady_timer idle_timer_;
  std::chrono::steady_clock::time_point idle_deadline_;
  bool idle_timer_armed_ = false;

  bool monitoring_ = false;
  uint64_t monitor_generation_ = 0;

  // Shared with worker threads.
  // The socket's descriptor is used by a reply sent from the syncer's thread while the
  // strand is idle; closing it takes this lock, so the descriptor cannot be closed (and
  // its number reused by another connection) under that send.
  std::mutex durable_send_mutex_;
  bool durable_sends_stopped_ = false;  // guarded by durable_send_mutex_
  std::atomic<bool> client_gone_{false};
  std::mutex work_mutex_;  // guards execution_ and user_
  std::shared_ptr<SqlExecution> execution_;
  std::string user_;
};

}  // namespace tenantdb::server::http
