// WriteCoalescingStream: the byte stream under a WebSocket connection's Beast stream,
// which sends many messages with one socket write. Beast writes one frame per
// async_write and waits for its completion before the next, so a session answering a
// burst of 100 subscribes (200 messages) made 200 sendmsg calls, each waking the client:
// most of the server's CPU in `bench live`.
//
// Data messages therefore bypass Beast's writer: AppendText() frames a text message
// (RFC 6455 5.2: FIN, opcode 1, the payload length; masked with a fresh key when this is
// the client end, 5.3) into a buffer, and Send() hands everything buffered to the socket
// in ONE write; what is appended while that write is in progress goes out with the next.
// Beast keeps the handshake, the reading and its control frames (pong, keep-alive ping,
// close), which it writes through async_write_some here into the same buffer: each such
// write is copied whole, so frames never interleave, and a control frame between two
// data frames is what RFC 6455 5.4 allows. Never use Beast's own async_write for data
// on a stream over this one: it could split a message into fragments around appended
// frames. No extension (permessage-deflate) may be negotiated.
//
// Memory: the caller bounds what it appends by buffered_bytes() (AsyncFlushed tells when
// the socket took it). Beast's writes are accepted while fewer than `max_buffered` bytes
// wait; past that a write waits (holding its own copy) until the socket took the
// buffer. A socket error fails the waiting write, every later one and AsyncFlushed.
//
// Reading passes through to the socket; it notes whether each read filled its buffer, so
// MoreBytesWaiting() (is the client's burst still arriving?) rarely needs a system call.
//
// Thread safety: none; use it on its executor (the session's strand), as Beast does.
// Teardown (the close handshake's end) first sends what is buffered.
#pragma once

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/teardown.hpp>
#include <cassert>
#include <cstddef>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tenantdb::server::ws {

class WriteCoalescingStream {
 public:
  using next_layer_type = boost::beast::tcp_stream;
  using executor_type = next_layer_type::executor_type;

  explicit WriteCoalescingStream(next_layer_type stream,
                                 boost::beast::role_type role = boost::beast::role_type::server,
                                 size_t max_buffered = 64 * 1024)
      : state_(std::make_shared<State>(std::move(stream), role, max_buffered)) {}

  executor_type get_executor() noexcept { return state_->next.get_executor(); }
  next_layer_type& next_layer() noexcept { return state_->next; }
  const next_layer_type& next_layer() const noexcept { return state_->next; }

  // Reads as the socket does, noting whether the read filled the buffer it was given (if
  // not, the socket had nothing more at that moment: see MoreBytesWaiting).
  template <class MutableBuffers, class ReadToken>
  auto async_read_some(const MutableBuffers& buffers, ReadToken&& token) {
    return boost::asio::async_initiate<ReadToken, void(boost::beast::error_code, size_t)>(
        [state = state_](auto handler, const MutableBuffers& buffers) {
          const size_t wanted = boost::asio::buffer_size(buffers);
          auto executor = boost::asio::get_associated_executor(handler, state->next.get_executor());
          state->next.async_read_some(
              buffers, boost::asio::bind_executor(
                           executor, [state, wanted, handler = std::move(handler)](
                                         boost::beast::error_code ec, size_t n) mutable {
                             state->unread = !ec && n == wanted && wanted > 0
                                                 ? BytesWaiting::kUnknown
                                                 : BytesWaiting::kNone;
                             std::move(handler)(ec, n);
                           }));
        },
        token, buffers);
  }

  // Whether the peer's bytes wait in the socket, unread: false without a system call when
  // the last read took less than it asked for (the socket was drained then; what came
  // since is found by the next read), otherwise asked of the socket once per read.
  bool MoreBytesWaiting() {
    if (state_->unread == BytesWaiting::kUnknown) {
      boost::beast::error_code ec;
      const size_t bytes = state_->next.socket().available(ec);
      state_->unread = !ec && bytes > 0 ? BytesWaiting::kSome : BytesWaiting::kNone;
    }
    return state_->unread == BytesWaiting::kSome;
  }

  template <class ConstBuffers, class WriteToken>
  auto async_write_some(const ConstBuffers& buffers, WriteToken&& token) {
    return boost::asio::async_initiate<WriteToken, void(boost::beast::error_code, size_t)>(
        [state = state_](auto handler, const ConstBuffers& buffers) {
          std::string bytes(boost::asio::buffer_size(buffers), '\0');
          boost::asio::buffer_copy(boost::asio::buffer(bytes), buffers);
          auto executor = boost::asio::get_associated_executor(handler, state->next.get_executor());
          auto complete = [executor, handler = std::move(handler)](boost::beast::error_code ec,
                                                                   size_t n) mutable {
            boost::asio::post(executor,
                              boost::beast::bind_front_handler(std::move(handler), ec, n));
          };
          State::Write(state, std::move(bytes), MoveOnlyCompletion(std::move(complete)));
        },
        token, buffers);
  }

  // Frames `payload` as one text message at the end of the buffer (not sent yet).
  void AppendText(std::string_view payload) { state_->AppendText(payload); }
  // Starts sending what is buffered, unless a write is in progress (its completion
  // sends the rest). Call it after a run of AppendText.
  void Send() { State::Send(state_); }
  // Bytes appended or written and not yet taken by the socket.
  size_t buffered_bytes() const { return state_->buffered.size() + state_->sending.size(); }
  // Socket writes started so far (each sends all that was buffered then; tests).
  uint64_t socket_writes() const { return state_->socket_writes; }
  // Calls `done` (on the executor) once every byte appended or written so far was taken
  // by the socket, or with the socket's error.
  void AsyncFlushed(std::function<void(boost::beast::error_code)> done) {
    State::Flushed(state_, std::move(done));
  }

 private:
  // A move-only callable of (error_code, size_t), erased (Beast's handlers are move-only).
  class MoveOnlyCompletion {
   public:
    MoveOnlyCompletion() = default;
    template <class F>
    explicit MoveOnlyCompletion(F f) : impl_(std::make_unique<Impl<F>>(std::move(f))) {}
    explicit operator bool() const { return impl_ != nullptr; }
    void operator()(boost::beast::error_code ec, size_t n) {
      auto impl = std::move(impl_);
      impl->Call(ec, n);
    }

   private:
    struct Base {
      virtual ~Base() = default;
      virtual void Call(boost::beast::error_code ec, size_t n) = 0;
    };
    template <class F>
    struct Impl : Base {
      explicit Impl(F f) : f(std::move(f)) {}
      void Call(boost::beast::error_code ec, size_t n) override { f(ec, n); }
      F f;
    };
    std::unique_ptr<Base> impl_;
  };

  enum class BytesWaiting { kUnknown, kNone, kSome };

  struct State {
    State(next_layer_type stream, boost::beast::role_type r, size_t max)
        : next(std::move(stream)), role(r), max_buffered(max) {}

    void AppendText(std::string_view payload);
    static void Send(const std::shared_ptr<State>& self);

    static void Write(const std::shared_ptr<State>& self, std::string bytes,
                      MoveOnlyCompletion complete);
    static void Flushed(const std::shared_ptr<State>& self,
                        std::function<void(boost::beast::error_code)> done);
    static void StartSending(const std::shared_ptr<State>& self);
    static void OnSent(const std::shared_ptr<State>& self, boost::beast::error_code ec);

    next_layer_type next;
    const boost::beast::role_type role;
    const size_t max_buffered;
    std::unique_ptr<std::mt19937> mask_keys;  // client end only (see AppendText)
    std::string buffered;                     // accepted, not yet handed to the socket
    std::string sending;                      // in the socket write now
    bool in_flight = false;
    uint64_t socket_writes = 0;
    BytesWaiting unread = BytesWaiting::kUnknown;  // in the socket, after the last read
    boost::beast::error_code error;  // the first socket error: fails every later write
    // The write past max_buffered: accepted once the socket took `buffered` (Beast
    // writes one at a time, so there is at most one).
    std::string waiting_bytes;
    MoveOnlyCompletion waiting;
    std::vector<std::function<void(boost::beast::error_code)>> on_flushed;
  };

  std::shared_ptr<State> state_;

  friend void teardown(boost::beast::role_type role, WriteCoalescingStream& stream,
                       boost::beast::error_code& ec);
  template <class TeardownHandler>
  friend void async_teardown(boost::beast::role_type role, WriteCoalescingStream& stream,
                             TeardownHandler&& handler) {
    // Send what is buffered (the close frame), then tear the socket down as Beast does.
    auto state = stream.state_;
    auto shared =
        std::make_shared<std::decay_t<TeardownHandler>>(std::forward<TeardownHandler>(handler));
    State::Flushed(state, [state, role, shared](boost::beast::error_code) {
      boost::beast::websocket::async_teardown(role, state->next.socket(), std::move(*shared));
    });
  }
};

void teardown(boost::beast::role_type role, WriteCoalescingStream& stream,
              boost::beast::error_code& ec);

}  // namespace tenantdb::server::ws
