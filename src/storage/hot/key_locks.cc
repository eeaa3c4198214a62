#include "storage/hot/key_locks.h"

#include <algorithm>
#include <functional>

namespace tenantdb {

KeyLocks::Guard::Guard(Guard&& other) noexcept
    : owner_(other.owner_), stripes_(std::move(other.stripes_)) {
  other.owner_ = nullptr;
  other.stripes_.clear();
}

KeyLocks::Guard& KeyLocks::Guard::operator=(Guard&& other) noexcept {
  if (this != &other) {
    Release();
    owner_ = other.owner_;
    stripes_ = std::move(other.stripes_);
    other.owner_ = nullptr;
    other.stripes_.clear();
  }
  return *this;
}

KeyLocks::Guard::~Guard() {
  Release();
}

void KeyLocks::Guard::Release() {
  if (owner_ == nullptr) return;
  for (auto it = stripes_.rbegin(); it != stripes_.rend(); ++it)
    owner_->mutexes_[*it].unlock();
  owner_ = nullptr;
  stripes_.clear();
}

KeyLocks::Guard KeyLocks::Lock(std::span<const std::string> keys) {
  Guard g;
  g.owner_ = this;
  g.stripes_.reserve(keys.size());
  for (const std::string& k : keys)
    g.stripes_.push_back(std::hash<std::string_view>()(k) % kStripes);
  std::sort(g.stripes_.begin(), g.stripes_.end());
  g.stripes_.erase(std::unique(g.stripes_.begin(), g.stripes_.end()), g.stripes_.end());
  for (size_t s : g.stripes_)
    mutexes_[s].lock();
  return g;
}

KeyLocks::Guard KeyLocks::Lock(std::string_view key) {
  const std::string k(key);
  return Lock(std::span<const std::string>(&k, 1));
}

}  // namespace tenantdb
