// tenantdb/status.h: how every tenantdb call reports failure (public API).
//
// ErrorCode: a stable, lower-case code name (what clients and tests match on; never renamed
// once shipped) and the five-character PostgreSQL SQLSTATE a wire-protocol client expects.
// Status: OK, or an ErrorCode plus a message written for the user who caused the error.
// Result<T>: a T, or the Status saying why there is none. No tenantdb call throws.
//
// Thread safety: values; copy or move them freely between threads.
// Ownership: a Status owns its message; Result<T> owns its T.
#pragma once

#include <cassert>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

// ---- Error codes ----------------------------------------------------------------------
//
// Each code has a stable name (what clients and tests match on; never renamed once
// shipped) and the PostgreSQL SQLSTATE a wire-protocol client expects for it. Add new
// codes at the end of the list; the numeric values are not persisted anywhere.
namespace tenantdb {

enum class ErrorCode : uint8_t {
  kOk = 0,
  kInvalidArgument,             // a caller passed a value the API does not accept
  kInvalidIdentifier,           // a name with characters or shape the rules forbid
  kNameTooLong,                 // a name over its maximum length
  kReservedName,                // a name kept for the system (e.g. namespace `system`)
  kInvalidPathTemplate,         // a storage path template that cannot be resolved
  kNotFound,                    // a catalog object that does not exist
  kAlreadyExists,               // a catalog object that exists already
  kTypeMismatch,                // a value of the wrong data type
  kNumericOutOfRange,           // a value that does not fit its type
  kInternal,                    // a broken invariant inside tenantdb: always a bug
  kIoError,                     // the operating system or RocksDB failed to read or write
  kCorruption,                  // stored data that does not decode
  kSyntaxError,                 // SQL text the parser cannot read; the message has the position
  kFeatureNotSupported,         // valid SQL that tenantdb does not implement (names the feature)
  kUndefinedTable,              // a table (or namespace) a statement names does not exist
  kUndefinedColumn,             // a column a statement names does not exist
  kAmbiguousColumn,             // a column name that more than one table in scope has
  kUndefinedFunction,           // no function of that name takes those argument types
  kDivisionByZero,              // x / 0, x % 0
  kNotNullViolation,            // NULL written to a NOT NULL column
  kUniqueViolation,             // a row whose primary key another row has
  kInsufficientPrivilege,       // the session's user or role may not do this
  kInvalidTextRepresentation,   // text that does not parse as the type it is cast to
  kGroupingError,               // a column used outside GROUP BY / an aggregate
  kCardinalityViolation,        // a scalar subquery returned more than one row
  kInvalidTransactionState,     // BEGIN inside a transaction, DDL in one, ...
  kDatetimeOverflow,            // a date or timestamp outside the supported range
  kSerializationFailure,        // a concurrent change got there first; retrying may succeed
  kCharacterNotInRepertoire,    // text that is not valid UTF-8
  kDiskFull,                    // the data directory's file system has no space left
  kObjectInUse,                 // a resource another process holds (a data directory)
  kReadOnly,                    // a write to a database opened read-only
  kQueryCanceled,               // the statement was cancelled (Cancel(), statement_timeout)
  kOutOfMemory,                 // a statement would pass statement_mem or global_mem
  kInvalidPassword,             // a login whose user or password is wrong (28P01)
  kInvalidAuthorization,        // missing, malformed, expired or forged credentials (28000)
  kConfigFileError,             // a configuration file or override that cannot be used (F0000)
  kRateLimited,                 // too many requests or logins from one user or address (53400)
  kTooManyConnections,          // the server's statement or connection limit is reached (53300)
  kRequestTooLarge,             // a request body or message over the configured limit (54000)
  kAdminShutdown,               // the server is shutting down; retry elsewhere or later (57P01)
  kInvalidRequest,              // a request the protocol cannot read: bad JSON, bad params (08P01)
  kUndefinedParameter,          // a $n the statement's parameters do not include (42P02)
  kInvalidRecursion,            // WITH RECURSIVE of a shape that cannot recurse (42P19)
  kInvalidColumnReference,      // more column names than a WITH query or alias has (42P10)
  kDuplicateAlias,              // a WITH query name given twice in one clause (42712)
  kWindowingError,              // a window function or frame used where it cannot be (42P20)
  kDeadlockDetected,            // two transactions waited for each other's rows; retry (40P01)
  kLockNotAvailable,            // a row lock was not granted within lock_timeout (55P03)
  kWrongObjectType,             // a view where a table is needed, or the reverse (42809)
  kDependentObjectsStillExist,  // DROP of what a view reads, without CASCADE (2BP01)
  kInvalidObjectDefinition,     // a view that cannot be (re)defined or no longer binds (42P17)
  kDuplicateColumn,             // a column name given twice where names must differ (42701)
  kInvalidPrecedingOrFollowingSize,  // a negative window frame offset (22013)
  kNullValueNotAllowed,              // NULL where a value is required, e.g. a frame offset (22004)
  kDuplicateTable,  // a relation (table or index) name already taken, as CREATE INDEX's (42P07)
  kCheckViolation,  // a row for which a CHECK constraint is false (23514)
  kProgramLimitExceeded,  // a value past what the implementation can represent, e.g. chr(0) (54000)
};

// The last code of the list: a client built against this header knows kOk ..
// kLastErrorCode, and maps codes a newer server adds by their SQLSTATE.
inline constexpr ErrorCode kLastErrorCode = ErrorCode::kProgramLimitExceeded;

// The stable, lower-case name of `code`, e.g. "invalid_identifier".
std::string_view ErrorCodeName(ErrorCode code);

// The five-character PostgreSQL SQLSTATE for `code`, e.g. "42602".
std::string_view ErrorCodeSqlState(ErrorCode code);

}  // namespace tenantdb

// ---- Status and Result ----------------------------------------------------------------
//
// Every fallible function returns a Status (no value) or a Result<T> (a value or the
// Status saying why there is none). Exceptions are not used across layers. An OK Status
// is a null pointer, so returning success costs nothing; an error carries a stable
// ErrorCode and a message written for the user who caused it ("table name 'a b' has a
// space; use letters, digits and _"), not for the developer.
//
// Thread safety: values; copy or move them freely between threads.
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
  // PostgreSQL's DETAIL line (pgwire's 'D' field): more about the error, or empty.
  std::string_view detail() const { return state_ ? std::string_view(state_->detail) : ""; }
  // This error with `detail` added; an OK status stays OK.
  Status WithDetail(std::string detail) &&;
  std::string_view sqlstate() const { return ErrorCodeSqlState(code()); }

  // "invalid_identifier: table name 'a b' ..." (or "ok").
  std::string ToString() const;

 private:
  struct State {
    ErrorCode code;
    std::string message;
    std::string detail;
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
