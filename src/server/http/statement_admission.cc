#include "server/http/statement_admission.h"

#include <utility>

namespace tenantdb::server::http {

StatementAdmission::Ticket::~Ticket() {
  owner_->Release();
}

bool StatementAdmission::Admit(Admitted admitted) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (running_ >= max_running_) {
      if (waiting_.size() >= max_waiting_) return false;
      waiting_.push_back(std::move(admitted));
      return true;
    }
    ++running_;
  }
  admitted(std::make_unique<Ticket>(shared_from_this()));
  return true;
}

void StatementAdmission::Release() {
  Admitted next;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (waiting_.empty()) {
      --running_;
      return;
    }
    // The slot passes straight to the first waiter: `running_` stays the same.
    next = std::move(waiting_.front());
    waiting_.pop_front();
  }
  next(std::make_unique<Ticket>(shared_from_this()));
}

size_t StatementAdmission::running() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return running_;
}

size_t StatementAdmission::waiting() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return waiting_.size();
}

}  // namespace tenantdb::server::http
