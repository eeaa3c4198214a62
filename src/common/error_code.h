// Error codes shared by every layer.
//
// Each code has a stable name (what clients and tests match on; never renamed once
// shipped) and the PostgreSQL SQLSTATE a wire-protocol client expects for it. Add new
// codes at the end of the list; the numeric values are not persisted anywhere.
#pragma once

#include <cstdint>
#include <string_view>

namespace tenantdb {

enum class ErrorCode : uint8_t {
  kOk = 0,
  kInvalidArgument,            // a caller passed a value the API does not accept
  kInvalidIdentifier,          // a name with characters or shape the rules forbid
  kNameTooLong,                // a name over its maximum length
  kReservedName,               // a name kept for the system (e.g. namespace `system`)
  kInvalidPathTemplate,        // a storage path template that cannot be resolved
  kNotFound,                   // a catalog object that does not exist
  kAlreadyExists,              // a catalog object that exists already
  kTypeMismatch,               // a value of the wrong data type
  kNumericOutOfRange,          // a value that does not fit its type
  kInternal,                   // a broken invariant inside tenantdb: always a bug
  kIoError,                    // the operating system or RocksDB failed to read or write
  kCorruption,                 // stored data that does not decode
  kSyntaxError,                // SQL text the parser cannot read; the message has the position
  kFeatureNotSupported,        // valid SQL that tenantdb does not implement (names the feature)
  kUndefinedTable,             // a table (or namespace) a statement names does not exist
  kUndefinedColumn,            // a column a statement names does not exist
  kAmbiguousColumn,            // a column name that more than one table in scope has
  kUndefinedFunction,          // no function of that name takes those argument types
  kDivisionByZero,             // x / 0, x % 0
  kNotNullViolation,           // NULL written to a NOT NULL column
  kUniqueViolation,            // a row whose primary key another row has
  kInsufficientPrivilege,      // the session's user or role may not do this
  kInvalidTextRepresentation,  // text that does not parse as the type it is cast to
  kGroupingError,              // a column used outside GROUP BY / an aggregate
  kCardinalityViolation,       // a scalar subquery returned more than one row
  kInvalidTransactionState,    // BEGIN inside a transaction, DDL in one, ...
  kDatetimeOverflow,           // a date or timestamp outside the supported range
  kSerializationFailure,       // a concurrent change got there first; retrying may succeed
  kCharacterNotInRepertoire,   // text that is not valid UTF-8
  kDiskFull,                   // the data directory's file system has no space left
  kObjectInUse,                // a resource another process holds (a data directory)
  kReadOnly,                   // a write to a database opened read-only
  kInvalidPassword,            // a login whose user or password is wrong (28P01)
  kInvalidAuthorization,       // missing, malformed, expired or forged credentials (28000)
  kConfigFileError,            // a configuration file or override that cannot be used (F0000)
};

// The stable, lower-case name of `code`, e.g. "invalid_identifier".
std::string_view ErrorCodeName(ErrorCode code);

// The five-character PostgreSQL SQLSTATE for `code`, e.g. "42602".
std::string_view ErrorCodeSqlState(ErrorCode code);

}  // namespace tenantdb
