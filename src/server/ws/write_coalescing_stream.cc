#include "server/ws/write_coalescing_stream.h"

#include <boost/asio/write.hpp>

namespace tenantdb::server::ws {

namespace {
constexpr size_t kKeptCapacity = 4096;
}  // namespace

void WriteCoalescingStream::State::Write(const std::shared_ptr<State>& self, std::string bytes,
                                         MoveOnlyCompletion complete) {
  assert(!self->waiting && "Beast writes one frame at a time");
  if (self->error) {
    complete(self->error, 0);
    return;
  }
  const size_t n = bytes.size();
  if (self->buffered.size() >= self->max_buffered) {
    self->waiting_bytes = std::move(bytes);
    self->waiting = std::move(complete);
    return;  // StartSending's completion accepts it
  }
  self->buffered += bytes;
  complete({}, n);
  Send(self);
}

void WriteCoalescingStream::State::AppendText(std::string_view payload) {
  const bool masked = role == boost::beast::role_type::client;
  const uint64_t n = payload.size();
  buffered.push_back(static_cast<char>(0x81));  // FIN, text
  const char mask_bit = masked ? static_cast<char>(0x80) : 0;
  if (n < 126) {
    buffered.push_back(static_cast<char>(mask_bit | static_cast<char>(n)));
  } else if (n <= 0xffff) {
    buffered.push_back(static_cast<char>(mask_bit | 126));
    buffered.push_back(static_cast<char>(n >> 8));
    buffered.push_back(static_cast<char>(n));
  } else {
    buffered.push_back(static_cast<char>(mask_bit | 127));
    for (int shift = 56; shift >= 0; shift -= 8)
      buffered.push_back(static_cast<char>(n >> shift));
  }
  if (!masked) {
    buffered.append(payload);
    return;
  }
  // RFC 6455 10.3: a client's key must not be predictable by the page's script; this end
  // is tenantdb's own client (bench), never a browser, so a seeded generator serves.
  if (mask_keys == nullptr) mask_keys = std::make_unique<std::mt19937>(std::random_device{}());
  const uint32_t key = (*mask_keys)();
  char k[4] = {static_cast<char>(key >> 24), static_cast<char>(key >> 16),
               static_cast<char>(key >> 8), static_cast<char>(key)};
  buffered.append(k, 4);
  const size_t start = buffered.size();
  buffered.append(payload);
  for (size_t i = 0; i < payload.size(); ++i)
    buffered[start + i] = static_cast<char>(buffered[start + i] ^ k[i % 4]);
}

void WriteCoalescingStream::State::Send(const std::shared_ptr<State>& self) {
  if (!self->in_flight && !self->buffered.empty() && !self->error) StartSending(self);
}

void WriteCoalescingStream::State::StartSending(const std::shared_ptr<State>& self) {
  assert(!self->in_flight && !self->buffered.empty());
  self->in_flight = true;
  ++self->socket_writes;
  self->sending.swap(self->buffered);
  boost::asio::async_write(self->next, boost::asio::buffer(self->sending),
                           [self](boost::beast::error_code ec, size_t) { OnSent(self, ec); });
}

void WriteCoalescingStream::State::OnSent(const std::shared_ptr<State>& self,
                                          boost::beast::error_code ec) {
  self->in_flight = false;
  // An idle connection keeps no burst-sized buffer (100,000 idle subscriptions on 1,000
  // connections would hold tens of megabytes).
  if (self->sending.capacity() > kKeptCapacity) {
    std::string().swap(self->sending);
  } else {
    self->sending.clear();
  }
  if (ec && !self->error) self->error = ec;
  if (self->waiting) {
    MoveOnlyCompletion waiting = std::move(self->waiting);
    std::string bytes = std::move(self->waiting_bytes);
    self->waiting_bytes = std::string();
    if (self->error) {
      waiting(self->error, 0);
    } else {
      const size_t n = bytes.size();
      self->buffered += bytes;
      waiting({}, n);
    }
  }
  if (!self->error && !self->buffered.empty()) {
    StartSending(self);
    return;
  }
  if (self->error) std::string().swap(self->buffered);
  auto on_flushed = std::move(self->on_flushed);
  self->on_flushed.clear();
  for (auto& done : on_flushed)
    done(self->error);
}

void WriteCoalescingStream::State::Flushed(const std::shared_ptr<State>& self,
                                           std::function<void(boost::beast::error_code)> done) {
  Send(self);
  if (!self->in_flight) {
    // Nothing is being sent, so nothing is buffered either.
    boost::asio::post(self->next.get_executor(),
                      [done = std::move(done), ec = self->error] { done(ec); });
    return;
  }
  self->on_flushed.push_back(std::move(done));
}

void teardown(boost::beast::role_type role, WriteCoalescingStream& stream,
              boost::beast::error_code& ec) {
  // Only Beast's synchronous close calls this, which the server never uses: what is
  // buffered cannot be sent without blocking, so the socket is torn down as it is.
  boost::beast::websocket::teardown(role, stream.next_layer().socket(), ec);
}

}  // namespace tenantdb::server::ws
