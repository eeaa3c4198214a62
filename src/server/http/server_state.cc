#include "server/http/server_state.h"

#include <cstdio>

namespace tenantdb::server::http {

std::string ServerState::NextRequestId() {
  const uint64_t n = id_counter.fetch_add(1, std::memory_order_relaxed);
  // 16 hex digits: the server's prefix (low 32 bits), then the counter's (no printf on
  // every request).
  const uint64_t id = (id_prefix << 32) | (n & 0xffffffffull);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15, shift = 0; i >= 0; --i, shift += 4)
    out[static_cast<size_t>(i)] = kHex[(id >> shift) & 0xF];
  return out;
}

void ServerState::WorkStarted() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++in_flight_;
}

void ServerState::WorkEnded() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (--in_flight_ == 0) idle_.notify_all();
}

bool ServerState::WaitForIdle(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mutex_);
  return idle_.wait_until(lock, deadline, [this] { return in_flight_ == 0; });
}

uint64_t ServerState::RegisterConnection(std::weak_ptr<HttpConnection> connection) {
  std::lock_guard<std::mutex> lock(mutex_);
  const uint64_t id = ++next_connection_id_;
  connections_.emplace(id, std::move(connection));
  return id;
}

void ServerState::UnregisterConnection(uint64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  connections_.erase(id);
}

std::vector<std::shared_ptr<HttpConnection>> ServerState::Connections() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::shared_ptr<HttpConnection>> out;
  out.reserve(connections_.size());
  for (auto& [id, weak] : connections_) {
    if (auto connection = weak.lock()) out.push_back(std::move(connection));
  }
  return out;
}

size_t ServerState::ConnectionCount() {
  std::lock_guard<std::mutex> lock(mutex_);
  return connections_.size();
}

int64_t ServerState::InFlight() {
  std::lock_guard<std::mutex> lock(mutex_);
  return in_flight_;
}

}  // namespace tenantdb::server::http
