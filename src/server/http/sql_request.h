// SqlRequest: the body of POST /v1/api/sql, decoded and checked before anything runs.
//
//   {"sql": "SELECT * FROM chat.messages WHERE id > $1", "params": [7],
//    "namespace_id": "chat", "max_rows": 100}
//
//   sql           required, one or more statements separated by ';'
//   params        optional array binding $1, $2, ... in every statement; JSON values map
//                 to SQL values as
//                   null -> NULL, true/false -> BOOLEAN, an integer -> BIGINT,
//                   another number -> DOUBLE, a string -> TEXT, an array or object ->
//                   JSON (its text)
//                 JSON has no timestamp, bytea or uuid: send them as strings; a SELECT
//                 types each $n from where it is used (the string is cast), other
//                 statements take a cast: $1::TIMESTAMP, $2::BYTEA ('\x00ff'), $3::UUID
//                 (and a BIGINT beyond 2^53 as a string: $1::BIGINT)
//   namespace_id  optional namespace unqualified names resolve in (as USE)
//   max_rows      optional cap on the rows each statement returns; a result cut short
//                 says "truncated": true
//
// Any other field is refused (json_body.h): who a statement runs as comes only from the
// Authorization header. Errors: invalid_request (HTTP 400) naming the field.
//
// Thread safety: pure functions; SqlRequest is a value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tenantdb/status.h"
#include "tenantdb/value.h"

namespace boost::json {
class value;
}

namespace tenantdb::server::http {

// The most $n parameters a request may bind (PostgreSQL's limit).
inline constexpr size_t kMaxSqlParams = 65535;

struct SqlRequest {
  std::string sql;
  std::vector<Value> params;
  std::optional<std::string> namespace_id;
  std::optional<uint64_t> max_rows;
};

Result<SqlRequest> ParseSqlRequest(std::string_view body);

// One JSON value of a params array as a SQL value (the mapping above); `index` names it
// in errors (invalid_request). Shared with the WebSocket subscribe message.
Result<Value> ParamValue(const boost::json::value& json, size_t index);

}  // namespace tenantdb::server::http
