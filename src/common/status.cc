#include "common/status.h"

namespace tenantdb {

Status::Status(ErrorCode code, std::string message) {
  if (code != ErrorCode::kOk) state_ = std::make_unique<State>(State{code, std::move(message), {}});
}

Status Status::WithDetail(std::string detail) && {
  if (state_) state_->detail = std::move(detail);
  return std::move(*this);
}

Status::Status(const Status& other)
    : state_(other.state_ ? std::make_unique<State>(*other.state_) : nullptr) {}

Status& Status::operator=(const Status& other) {
  if (this != &other) state_ = other.state_ ? std::make_unique<State>(*other.state_) : nullptr;
  return *this;
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out(code_name());
  out += ": ";
  out += state_->message;
  return out;
}

}  // namespace tenantdb
