#include "server/pgwire/pg_server_state.h"

#include <random>

namespace tenantdb::server::pgwire {

int32_t PgServerState::Register(std::weak_ptr<PgConnection> connection, int32_t* secret_key) {
  // The secret is what makes a CancelRequest legitimate: unpredictable to other clients.
  thread_local std::mt19937 random(std::random_device{}());
  std::lock_guard<std::mutex> lock(mutex_);
  if (next_process_id_ == 0) next_process_id_ = static_cast<int32_t>(1000 + random() % 100000);
  int32_t id = next_process_id_++;
  if (next_process_id_ <= 0) next_process_id_ = 1;
  while (connections_.contains(id))
    id = next_process_id_++;
  *secret_key = static_cast<int32_t>(random());
  connections_[id] = Entry{std::move(connection), *secret_key};
  return id;
}

void PgServerState::Unregister(int32_t process_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  connections_.erase(process_id);
}

std::shared_ptr<PgConnection> PgServerState::Find(int32_t process_id, int32_t secret_key) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = connections_.find(process_id);
  if (it == connections_.end() || it->second.secret_key != secret_key) return nullptr;
  return it->second.connection.lock();
}

std::vector<std::shared_ptr<PgConnection>> PgServerState::Connections() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::shared_ptr<PgConnection>> out;
  for (auto& [id, entry] : connections_) {
    if (auto c = entry.connection.lock()) out.push_back(std::move(c));
  }
  return out;
}

size_t PgServerState::ConnectionCount() {
  std::lock_guard<std::mutex> lock(mutex_);
  return connections_.size();
}

void PgServerState::WorkStarted() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++busy_;
}

void PgServerState::WorkEnded() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (--busy_ == 0) idle_.notify_all();
}

bool PgServerState::WaitForIdle(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mutex_);
  return idle_.wait_until(lock, deadline, [this] { return busy_ == 0; });
}

}  // namespace tenantdb::server::pgwire
