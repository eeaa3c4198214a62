// HttpConnection's replies that wait for the WAL sync: sent by the thread that learns the
// sync is done, the WAL syncer's.
//
// Why: a reply that waited for the sync used to be posted back to its event loop, and the
// loop sent it when it next ran. Under load it mostly did not run right then — two loops
// per core share the cores with the clients — so the reply sat ready for ~300 µs, more
// than the sync itself took (measured: bench http's insert phase, 16 clients, 2 cores:
// 210 µs from the commit to the end of the sync, then 300 µs before the loop ran the
// reply, during which the loop itself ran ~30 µs). The syncer's thread is running when
// the sync ends; a non-blocking send() of a rendered reply costs it a few µs. Only the
// bookkeeping (log line, metrics, reading the next request) goes to the loop, and the
// client has its answer meanwhile.
//
// Why it is safe: while a reply waits for the sync the connection has no operation in
// flight that writes to its socket (the request was read, the reply is not written yet),
// so the syncer's send() is the socket's only writer. Closing the socket (Close,
// LingerClose, on the strand: a client that went away, a shutdown) first takes
// durable_send_mutex_ and marks sends stopped, so the descriptor is never closed — and
// its number handed to another connection — under that send. reply_bytes_ is rendered
// before the wait and read by the syncer only; the strand touches it again in the posted
// continuation.
#include <sys/socket.h>

#include <cerrno>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/beast/core/error.hpp>

#include "server/http/http_connection.h"
#include "server/http/worker_routes.h"
#include "tenantdb/database.h"

namespace tenantdb::server::http {

namespace net = boost::asio;
namespace beast = boost::beast;

ssize_t HttpConnection::SendRenderedNow() {
  std::lock_guard<std::mutex> lock(durable_send_mutex_);
  if (durable_sends_stopped_) return -EBADF;
  const ssize_t n = ::send(stream_.socket().native_handle(), reply_bytes_.data(),
                           reply_bytes_.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  if (n >= 0) return n;
  return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -errno;
}

void HttpConnection::StopDurableSends() {
  std::lock_guard<std::mutex> lock(durable_send_mutex_);
  durable_sends_stopped_ = true;
}

void HttpConnection::SendReplyWhenDurable(HttpReply reply, std::shared_ptr<SqlExecution> execution,
                                          uint64_t position) {
  // Rendering reads only what the request set (its id, Origin, keep-alive, HEAD), which
  // nothing changes while it is being answered: safe off the strand.
  const bool keep_alive = RenderReply(std::move(reply), /*close=*/false);
  // On the strand once `sent` bytes of the reply are out (by the syncer; 0: none yet, or
  // -errno), or the sync failed. The execution (when any) is released here.
  auto then = [self = shared_from_this(), keep_alive, execution = std::move(execution)](
                  const Status& durable, ssize_t sent) {
    if (!durable.ok()) {
      // The commit may be lost: say so instead of the result.
      if (execution != nullptr) execution->Cancel(durable);
      self->SendReply(ErrorReply(durable), /*close=*/true);
      return;
    }
    if (self->phase_ == Phase::kClosed) return;
    if (sent < 0) {
      self->AfterReply(beast::error_code(int(-sent), beast::system_category()), 0, keep_alive);
      return;
    }
    // What the syncer did not send (none when the sync was done before the wait began;
    // the rest when the send buffer was full), as SendReply sends it.
    self->SendRenderedFrom(size_t(sent), keep_alive);
  };
  Database& db = *state_->db;
  if (db.IsDurable(position)) {
    // Nothing to wait for (a read, nearly always): sent from the strand, as SendReply
    // does. Sending it from here instead measured no better (bench http: point selects
    // +2 %, recent20 -2.5 %, within the noise of 6 alternating runs).
    net::post(stream_.get_executor(), [then = std::move(then)] { then(Status::Ok(), 0); });
    return;
  }
  db.WhenDurable(
      position, [self = shared_from_this(), then = std::move(then)](const Status& durable) mutable {
        const ssize_t sent = durable.ok() ? self->SendRenderedNow() : 0;
        net::post(self->stream_.get_executor(),
                  [then = std::move(then), durable, sent] { then(durable, sent); });
      });
}

}  // namespace tenantdb::server::http
