#include "storage/hot/rekey_gate.h"

#include <algorithm>
#include <cassert>
#include <string>

namespace tenantdb {

RekeyGate::Pass& RekeyGate::Pass::operator=(Pass&& other) noexcept {
  if (this != &other) {
    Leave();
    gate_ = other.gate_;
    tables_ = std::move(other.tables_);
    other.gate_ = nullptr;
    other.tables_.clear();
  }
  return *this;
}

void RekeyGate::Pass::Leave() {
  if (gate_ == nullptr) return;
  bool last = false;
  {
    std::lock_guard<std::mutex> lock(gate_->mu_);
    for (uint32_t table : tables_) {
      auto it = gate_->inside_.find(table);
      assert(it != gate_->inside_.end() && it->second > 0);
      if (--it->second == 0) {
        gate_->inside_.erase(it);
        last |= gate_->rekeyed_.contains(table);
      }
    }
  }
  // Only a rewrite waits for writers to leave.
  if (last) gate_->changed_.notify_all();
  gate_ = nullptr;
  tables_.clear();
}

Result<RekeyGate::Pass> RekeyGate::Enter(std::span<const Use> uses) {
  Pass pass;
  std::unique_lock<std::mutex> lock(mu_);
  if (!rekeyed_.empty()) {
    auto closed = [&] {
      return std::any_of(uses.begin(), uses.end(), [&](const Use& u) {
        auto it = rekeyed_.find(u.table_number);
        return it != rekeyed_.end() && it->second.rewriting;
      });
    };
    changed_.wait(lock, [&] { return !closed(); });
    for (const Use& u : uses) {
      auto it = rekeyed_.find(u.table_number);
      if (it != rekeyed_.end() && u.schema_version < it->second.new_key_version) {
        return Status(ErrorCode::kSerializationFailure,
                      "could not write: the table's primary key was changed (ALTER TABLE ... ADD "
                      "PRIMARY KEY) after this transaction read it; retry the transaction");
      }
    }
  }
  pass.gate_ = this;
  for (const Use& u : uses) {
    if (std::find(pass.tables_.begin(), pass.tables_.end(), u.table_number) != pass.tables_.end())
      continue;
    pass.tables_.push_back(u.table_number);
    ++inside_[u.table_number];
  }
  return pass;
}

Status RekeyGate::Begin(uint32_t table_number) {
  std::unique_lock<std::mutex> lock(mu_);
  Rekey& rekey = rekeyed_[table_number];
  if (rekey.rewriting) {
    return Status(ErrorCode::kObjectInUse,
                  "the table's primary key is being changed by another statement");
  }
  rekey.rewriting = true;
  changed_.wait(lock, [&] { return !inside_.contains(table_number); });
  return Status::Ok();
}

void RekeyGate::Finish(uint32_t table_number, uint32_t new_key_version) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = rekeyed_.find(table_number);
    assert(it != rekeyed_.end() && it->second.rewriting);
    it->second.rewriting = false;
    if (new_key_version != 0) it->second.new_key_version = new_key_version;
    if (it->second.new_key_version == 0) rekeyed_.erase(it);
  }
  changed_.notify_all();
}

}  // namespace tenantdb
