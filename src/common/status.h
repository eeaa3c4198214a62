// Status and Result<T>: the one error style of tenantdb.
//
// Every fallible function returns a Status (no value) or a Result<T> (a value or the
// Status saying why there is none). Exceptions are not used across layers. An OK Status
// is a null pointer, so returning success costs nothing; an error carries a stable
// ErrorCode and a message written for the user who caused it ("table name 'a b' has a
// space; use letters, digits and _"), not for the developer.
//
// Thread safety: values; copy or move them freely between threads.
#pragma once

#include <cassert>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/error_code.h"

namespace tenantdb {

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(ErrorCode code, std::string message);

  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status Ok() { return Status(); }

  bool ok() const { return state_ == nullptr; }
  ErrorCode code() const { return state_ ? state_->code : ErrorCode::kOk; }
  // Empty for OK.
  std::string_view message() const { return state_ ? std::string_view(state_->message) : ""; }
  std::string_view code_name() const { return ErrorCodeName(code()); }
  std::string_view sqlstate() const { return ErrorCodeSqlState(code()); }

  // "invalid_identifier: table name 'a b' ..." (or "ok").
  std::string ToString() const;

 private:
  struct State {
    ErrorCode code;
    std::string message;
  };
  std::unique_ptr<State> state_;
};

// A T or the Status explaining its absence. Never holds an OK status without a value.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    assert(!status_.ok() && "Result needs a value or an error");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace tenantdb

// Returns early from the enclosing function when `expr` yields a non-OK Status.
#define TDB_RETURN_IF_ERROR(expr)              \
  do {                                         \
    ::tenantdb::Status tdb_status_ = (expr);   \
    if (!tdb_status_.ok()) return tdb_status_; \
  } while (0)

#define TDB_CONCAT_INNER_(a, b) a##b
#define TDB_CONCAT_(a, b) TDB_CONCAT_INNER_(a, b)

// `TDB_ASSIGN_OR_RETURN(auto x, MakeX());` binds the value or returns the error.
#define TDB_ASSIGN_OR_RETURN(lhs, expr) \
  TDB_ASSIGN_OR_RETURN_IMPL_(TDB_CONCAT_(tdb_result_, __LINE__), lhs, expr)
#define TDB_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return tmp.status();              \
  lhs = std::move(tmp).value()
