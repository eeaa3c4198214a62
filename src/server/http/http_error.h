// How a tenantdb Status becomes an HTTP error: the status code a client branches on and
// the JSON body it reads,
//
//   {"status":"error","error":{"code":"undefined_column","sqlstate":"42703",
//                              "message":"...","position":12}}
//
// `code` and `sqlstate` are the stable names of tenantdb/status.h; `position` (1-based
// character in the request's "sql") only when the error names one. The status codes
// follow PostgreSQL's HTTP front ends (PostgREST) where they have one:
//
//   400  bad SQL or input: syntax_error, undefined_column, type errors, invalid_request,
//        query_canceled (statement_timeout), out_of_memory (statement_mem), ...
//   401  invalid_authorization_specification, invalid_password
//   403  insufficient_privilege, read_only_sql_transaction
//   404  an unknown route; undefined_table and not_found (as PostgREST does for 42P01)
//   409  unique_violation, serialization_failure, deadlock_detected, lock_not_available,
//        already_exists, object_in_use
//   413  request_too_large          429  rate_limited
//   500  internal, io_error, data_corrupted, config_file_error
//   503  admin_shutdown, too_many_connections        507  disk_full
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "tenantdb/status.h"

namespace tenantdb::server::http {

// The HTTP status code for a failed request's `code`.
int HttpStatusFor(ErrorCode code);

// The N of the last "at position N" in an error message (the engine's way of naming
// the character an error is at), if any.
std::optional<size_t> ErrorPosition(std::string_view message);

// The "error" object's JSON text for `status`, with `position` when given.
std::string ErrorObjectJson(const Status& status, std::optional<size_t> position = std::nullopt);

// The whole body of an error response: {"status":"error","error":{...}}.
std::string ErrorBodyJson(const Status& status, std::optional<size_t> position = std::nullopt);

}  // namespace tenantdb::server::http
