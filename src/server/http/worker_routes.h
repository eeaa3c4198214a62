// The routes that run on the worker pool: POST /v1/api/sql (sql_execution.h does the
// statements) and the auth routes over Authenticator (auth/authenticator.h):
//
//   POST /v1/api/auth/login    {"username","password"} -> {"access_token","refresh_token",
//                              "expires_at","user":{"id","role"}}   (expires_at: ISO 8601 UTC)
//   POST /v1/api/auth/refresh  {"refresh_token"} -> the same shape, a new pair (the old
//                              refresh token is revoked)
//   POST /v1/api/auth/logout   {"refresh_token"} -> {"status":"success"} (revoked)
//   GET  /v1/api/auth/me       -> {"user":{"id","role"}} of the Authorization header
//
// Every SQL and /me request is authenticated from its Authorization header (Bearer or
// Basic) and then counted against [limits] requests_per_second_per_user (429 past it,
// with Retry-After); its statements run as that principal (Database::Connect), and
// nothing in the body can change it. These handlers know nothing of Beast: a
// WorkerRequest is the few strings they need, so they are tested and fuzzed alone.
//
// Thread safety: called on worker threads, any number at once (ServerState is shared).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "server/auth/authenticator.h"
#include "server/http/route_table.h"
#include "server/http/server_state.h"
#include "server/http/sql_execution.h"
#include "tenantdb/status.h"

namespace tenantdb::server::http {

struct HttpReply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// An error reply: HttpStatusFor(code), the error JSON, Retry-After for 429 and 503.
HttpReply ErrorReply(const Status& status, int retry_after_seconds = 1);

struct WorkerRequest {
  RouteId route = RouteId::kUnknown;
  std::string body;
  std::string authorization;  // the Authorization header, empty when absent
  std::string client_address;
  std::string request_id;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  // The connection's memo of its last Authorization header (Authenticator), or null.
  // Requests of one connection run one at a time, so only this request touches it.
  AuthenticatedHeader* auth_memo = nullptr;
};

struct WorkerResult {
  HttpReply reply;                          // the answer, when `execution` is null
  std::shared_ptr<SqlExecution> execution;  // a SQL request, to be stepped and streamed
  std::string user;                         // who the request ran as (logs); may be empty
};

WorkerResult HandleOnWorker(ServerState& state, const WorkerRequest& request);

}  // namespace tenantdb::server::http
