#include "server/ws/ws_hub.h"

#include <chrono>
#include <unordered_set>

#include "tenantdb/live_query.h"

namespace tenantdb::server::ws {

void Sink::Push(uint64_t subscription,
                const std::shared_ptr<const std::vector<ChangeRecord>>& records) {
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (overflowed_) return;
    if (records_ + records->size() > max_records_) {
      // The connection is not keeping up: stop holding its changes (it is told and
      // disconnected on its strand).
      overflowed_ = true;
      pending_.clear();
      records_ = 0;
    } else {
      pending_.push_back(Pending{subscription, records});
      records_ += records->size();
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
  checker_ = std::thread([this] { CheckLoop(); });
}

WsHub::~WsHub() {
  Stop();
}

void WsHub::Stop() {
  {
    std::lock_guard<std::mutex> lock(check_mu_);
    stopping_ = true;
  }
  check_cv_.notify_all();
  if (checker_.joinable() && checker_.get_id() != std::this_thread::get_id()) checker_.join();
  listener_.Reset();
}

void WsHub::CheckLoop() {
  const auto interval = std::chrono::milliseconds(std::max<uint32_t>(1, options_.catalog_check_ms));
  std::unique_lock<std::mutex> lock(check_mu_);
  while (!stopping_) {
    if (check_cv_.wait_for(lock, interval, [this] { return stopping_; })) break;
    lock.unlock();
    CheckCatalog();
    lock.lock();
  }
}

void WsHub::CheckCatalog() {
  std::lock_guard<std::mutex> run(check_run_mu_);
  std::vector<TableKey> tables;
  {
    std::shared_lock<std::shared_mutex> lock(routes_mu_);
    for (const auto& [key, count] : tables_)
      tables.push_back(key);
  }
  std::vector<CatalogNotice> notices;
  for (const auto& [ns, table, generation] : tables) {
    Result<LiveQuery::TableState> state = LiveQuery::CheckTable(*db_, ns, table, generation);
    if (!state.ok() || *state == LiveQuery::TableState::kSame) continue;  // errors: next round
    CatalogNotice n;
    n.ns = ns;
    n.table = table;
    n.generation = generation;
    if (*state == LiveQuery::TableState::kDropped) {
      n.code = "table_dropped";
      n.message = "table " + ns + "." + table + " was dropped; the subscription ended";
    } else {
      n.code = "schema_changed";
      n.message = "table " + ns + "." + table +
                  " was altered (ALTER TABLE); subscribe again to follow its new columns";
    }
    notices.push_back(std::move(n));
  }
  std::unordered_map<std::string, std::optional<Account>> current;
  {
    std::lock_guard<std::mutex> lock(sessions_mu_);
    for (const auto& [id, entry] : sessions_) {
      if (entry.account.has_value() && !entry.account_notified) {
        current.emplace(entry.account->user, std::nullopt);
      }
    }
  }
  std::unordered_set<std::string> unreadable;
  for (auto& [user, account] : current) {
    Result<std::optional<Account>> found = db_->FindAccount(user);
    if (!found.ok()) {
      unreadable.insert(user);  // try again next round
      continue;
    }
    account = std::move(found).value();
  }
  std::vector<std::pair<std::function<void(const CatalogNotice&)>, CatalogNotice>> sends;
  {
    std::lock_guard<std::mutex> lock(sessions_mu_);
    for (auto& [id, entry] : sessions_) {
      for (const CatalogNotice& n : notices)
        sends.emplace_back(entry.notify, n);
      if (!entry.account.has_value() || entry.account_notified) continue;
      const Account& bound = *entry.account;
      auto it = current.find(bound.user);
      if (it == current.end() || unreadable.count(bound.user) != 0) continue;
      CatalogNotice n;
      n.kind = CatalogNotice::Kind::kAccount;
      if (!it->second.has_value()) {
        n.code = "user_dropped";
        n.message = "user " + bound.user + " was dropped; the connection closes";
      } else if (it->second->role != bound.role) {
        n.code = "role_changed";
        n.message = "the role of user " + bound.user + " changed to " +
                    std::string(RoleName(it->second->role)) +
                    "; log in again (tokens issued before are revoked) and subscribe again";
      } else if (it->second->credentials_version != bound.credentials_version) {
        n.code = "credentials_changed";
        n.message = "the password of user " + bound.user +
                    " changed; log in again (tokens issued before are revoked) and subscribe "
                    "again";
      } else {
        continue;
      }
      entry.account_notified = true;
      sends.emplace_back(entry.notify, std::move(n));
    }
  }
  for (auto& [notify, notice] : sends)
    notify(notice);
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
  auto records = std::make_shared<const std::vector<ChangeRecord>>(event.changes);
  for (uint64_t id : it->second) {
    const Registration& r = registrations_.at(id);
    r.sink->Push(r.subscription, records);
  }
}

uint64_t WsHub::Add(std::string_view ns, std::string_view table, std::string_view user,
                    uint64_t generation, std::shared_ptr<Sink> sink, uint64_t subscription) {
  std::string key = SliceKey(ns, table, user);
  TableKey table_key{std::string(ns), std::string(table), generation};
  std::unique_lock<std::shared_mutex> lock(routes_mu_);
  const uint64_t id = next_registration_++;
  by_slice_[key].push_back(id);
  ++tables_[table_key];
  registrations_.emplace(
      id, Registration{std::move(key), std::move(table_key), std::move(sink), subscription});
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
  auto table = tables_.find(it->second.table);
  if (table != tables_.end() && --table->second == 0) tables_.erase(table);
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

uint64_t WsHub::RegisterSession(std::function<void()> close,
                                std::function<void(const CatalogNotice&)> notify) {
  std::lock_guard<std::mutex> lock(sessions_mu_);
  const uint64_t id = next_session_++;
  sessions_.emplace(id, SessionEntry{std::move(close), std::move(notify), std::nullopt, false});
  return id;
}

void WsHub::SetSessionAccount(uint64_t id, Account account) {
  std::lock_guard<std::mutex> lock(sessions_mu_);
  auto it = sessions_.find(id);
  if (it != sessions_.end()) it->second.account = std::move(account);
}

void WsHub::UnregisterSession(uint64_t id) {
  std::lock_guard<std::mutex> lock(sessions_mu_);
  sessions_.erase(id);
}

void WsHub::CloseAll() {
  std::vector<std::function<void()>> closes;
  {
    std::lock_guard<std::mutex> lock(sessions_mu_);
    for (auto& [id, entry] : sessions_)
      closes.push_back(entry.close);
  }
  for (auto& close : closes)
    close();
}

size_t WsHub::SessionCount() {
  std::lock_guard<std::mutex> lock(sessions_mu_);
  return sessions_.size();
}

}  // namespace tenantdb::server::ws
