// The JSON the shell exchanges with a tenantdb server (issue 11, KalamDB's shape), read
// into what the embedded shell prints — a sql::QueryResult per statement, a Status per
// error — so both paths print alike.
//
//   POST /v1/api/sql         {"sql": "...", "namespace_id": "chat"}
//     success  {"status":"success","results":[{"schema":[{"name","data_type","index"}],
//               "rows":[[...]],"row_count":n,"message":"INSERT 0 1"}],"took":ms}
//     error    {"status":"error","results":[...completed...],
//               "error":{"code","sqlstate","message","position"}}   ("results" optional)
//   POST /v1/api/auth/login  {"username","password"}
//     success  {"access_token","refresh_token","expires_at","user":{"id","role"}}
//
// Cells are converted to the column's type: numbers and booleans as they come, BIGINT
// beyond 2^53 as the string the server sends, BYTEA from base64, JSON columns from any
// JSON value, other strings through the engine's text input (timestamps in ISO 8601). A
// column whose cells cannot all be converted is shown as TEXT, as the server wrote it,
// rather than failing the statement.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sql/exec/query_result.h"

namespace tenantdb::cli {

std::string SqlRequestJson(std::string_view sql, std::string_view namespace_id);
std::string LoginRequestJson(std::string_view user, std::string_view password);

// The results of a POST /v1/api/sql answer with HTTP status `http_status`. Errors: the
// statement's error as the server reported it (code, message, " at position N"),
// invalid_request when the body is not the documented shape.
Result<std::vector<sql::QueryResult>> ParseSqlResponse(int http_status, std::string_view body);

// A POST /v1/api/sql answer whole, success or error: the results of the statements that
// completed, in order (a result the error cut off is left out), and the error that
// stopped the request (OK when none did). A request of several statements needs both:
// which statement failed is the one after the last result. Errors (of the function):
// invalid_request when the body is not the documented shape.
struct SqlAnswer {
  std::vector<sql::QueryResult> results;
  Status error;
};
Result<SqlAnswer> ParseSqlAnswer(int http_status, std::string_view body);

struct LoginAnswer {
  std::string access_token;
  std::string user;
  std::string role;
};
// A POST /v1/api/auth/login answer. Errors: the server's (invalid_password, ...),
// invalid_request when the body is not the documented shape.
Result<LoginAnswer> ParseLoginResponse(int http_status, std::string_view body);

// The Status an error answer carries: its "code" mapped to the ErrorCode of that name (or
// of its SQLSTATE; internal_error naming the server's code when this client knows
// neither), the message, and " at position N" when the server gave a position. A body
// that is not JSON gives a Status from the HTTP status alone.
Status ErrorFromResponse(int http_status, std::string_view body);

// The ErrorCode a server names `name` (e.g. "undefined_table"), else the one with
// `sqlstate`; nullopt for a code this client does not know.
std::optional<ErrorCode> ErrorCodeNamed(std::string_view name, std::string_view sqlstate = {});

}  // namespace tenantdb::cli
