#include "server/http/server_state.h"

#include <cstdio>

namespace tenantdb::server::http {

std::string ServerState::NextRequestId() {
  const uint64_t n = id_counter.fetch_add(1, std::memory_order_relaxed);
  char buf[24];
  std::snprintf(buf, sizeof(buf), "%08llx%08llx",
                static_cast<unsigned long long>(id_prefix & 0xffffffffull),
                static_cast<unsigned long long>(n & 0xffffffffull));
  return buf;
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
