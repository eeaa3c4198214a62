#include "server/ws/ws_hub.h"

namespace tenantdb::server::ws {

void Sink::Push(uint64_t subscription, const std::vector<ChangeRecord>& records) {
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (overflowed_) return;
    if (records_ + records.size() > max_records_) {
      // The connection is not keeping up: stop holding its changes (it is told and
      // disconnected on its strand).
      overflowed_ = true;
      pending_.clear();
      records_ = 0;
    } else {
      pending_.push_back(Pending{subscription, records});
      records_ += records.size();
    }
    if (!wake_posted_) {
      wake_posted_ = true;
      wake = true;
    }
  }
  if (wake) wake_();
}

std::deque<Sink::Pending> Sink::Take(bool* overflowed) {
  std::lock_guard<std::mutex> lock(mu_);
  std::deque<Pending> out;
  out.swap(pending_);
  records_ = 0;
  wake_posted_ = false;
  *overflowed = overflowed_;
  return out;
}

WsHub::WsHub(Database* db, WsOptions options) : db_(db), options_(options) {
  listener_ = db_->AddChangeListener([this](const ChangeEvent& event) { OnEvent(event); });
}

WsHub::~WsHub() {
  Stop();
}

void WsHub::Stop() {
  listener_.Reset();
}

std::string WsHub::SliceKey(std::string_view ns, std::string_view table, std::string_view user) {
  std::string key;
  key.reserve(ns.size() + table.size() + user.size() + 2);
  key.append(ns).push_back('\0');
  key.append(table).push_back('\0');
  key.append(user);
  return key;
}

void WsHub::OnEvent(const ChangeEvent& event) {
  const std::string key = SliceKey(event.ns, event.table, event.user);
  std::shared_lock<std::shared_mutex> lock(routes_mu_);
  auto it = by_slice_.find(key);
  if (it == by_slice_.end()) return;
  for (uint64_t id : it->second) {
    const Registration& r = registrations_.at(id);
    r.sink->Push(r.subscription, event.changes);
  }
}

uint64_t WsHub::Add(std::string_view ns, std::string_view table, std::string_view user,
                    std::shared_ptr<Sink> sink, uint64_t subscription) {
  std::string key = SliceKey(ns, table, user);
  std::unique_lock<std::shared_mutex> lock(routes_mu_);
  const uint64_t id = next_registration_++;
  by_slice_[key].push_back(id);
  registrations_.emplace(id, Registration{std::move(key), std::move(sink), subscription});
  return id;
}

void WsHub::Remove(uint64_t registration) {
  std::shared_ptr<Sink> keep;  // released outside the lock
  std::unique_lock<std::shared_mutex> lock(routes_mu_);
  auto it = registrations_.find(registration);
  if (it == registrations_.end()) return;
  keep = std::move(it->second.sink);
  auto slice = by_slice_.find(it->second.slice);
  if (slice != by_slice_.end()) {
    std::erase(slice->second, registration);
    if (slice->second.empty()) by_slice_.erase(slice);
  }
  registrations_.erase(it);
}

Status WsHub::AcquireUserSlot(const std::string& user) {
  std::lock_guard<std::mutex> lock(users_mu_);
  size_t& n = per_user_[user];
  if (n >= options_.max_subscriptions_per_user) {
    if (n == 0) per_user_.erase(user);
    return Status(ErrorCode::kTooManyConnections,
                  "user " + user + " has " + std::to_string(options_.max_subscriptions_per_user) +
                      " subscriptions open ([ws] max_subscriptions_per_user); unsubscribe one "
                      "first");
  }
  ++n;
  return Status::Ok();
}

void WsHub::ReleaseUserSlot(const std::string& user) {
  std::lock_guard<std::mutex> lock(users_mu_);
  auto it = per_user_.find(user);
  if (it == per_user_.end()) return;
  if (--it->second == 0) per_user_.erase(it);
}

uint64_t WsHub::RegisterSession(std::function<void()> close) {
  std::lock_guard<std::mutex> lock(sessions_mu_);
  const uint64_t id = next_session_++;
  sessions_.emplace(id, std::move(close));
  return id;
}

void WsHub::UnregisterSession(uint64_t id) {
  std::lock_guard<std::mutex> lock(sessions_mu_);
  sessions_.erase(id);
}

void WsHub::CloseAll() {
  std::vector<std::function<void()>> closes;
  {
    std::lock_guard<std::mutex> lock(sessions_mu_);
    for (auto& [id, close] : sessions_)
      closes.push_back(close);
  }
  for (auto& close : closes)
    close();
}

size_t WsHub::SessionCount() {
  std::lock_guard<std::mutex> lock(sessions_mu_);
  return sessions_.size();
}

}  // namespace tenantdb::server::ws
