#include "server/http/worker_routes.h"

#include <algorithm>
#include <cctype>

#include "server/http/http_error.h"
#include "server/http/json_body.h"
#include "server/http/json_text.h"
#include "server/http/sql_request.h"

namespace tenantdb::server::http {

namespace {

constexpr size_t kLoggedStatementChars = 300;

// The statement as the slow-statement log shows it: shortened, and never the text of a
// statement that may carry a password (CREATE/ALTER USER ... PASSWORD '...').
std::string LoggableStatement(std::string_view statement) {
  std::string lower(statement.substr(0, 4096));
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.find("password") != std::string::npos || statement.size() > 4096) {
    const size_t first_space = statement.find_first_of(" \t\r\n");
    return std::string(statement.substr(0, std::min<size_t>(first_space, 16))) +
           " ... (text not logged: it may hold a password)";
  }
  std::string text(statement.substr(0, kLoggedStatementChars));
  if (statement.size() > kLoggedStatementChars) text += "...";
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return text;
}

HttpReply JsonReply(std::string body) {
  HttpReply reply;
  reply.body = std::move(body);
  return reply;
}

std::string UserJson(const std::string& user, Role role) {
  std::string out = "{\"id\":";
  AppendJsonString(user, &out);
  out += ",\"role\":";
  AppendJsonString(RoleName(role), &out);
  out += '}';
  return out;
}

std::string LoginJson(const LoginResult& login) {
  std::string out = "{\"access_token\":";
  AppendJsonString(login.access_token, &out);
  out += ",\"refresh_token\":";
  AppendJsonString(login.refresh_token, &out);
  out += ",\"expires_at\":";
  AppendJsonString(IsoTimestamp(login.expires_at * 1'000'000, /*utc=*/true), &out);
  out += ",\"user\":" + UserJson(login.account.user, login.account.role) + "}";
  return out;
}

// Authenticates the request and charges its user's request budget.
Result<Principal> Admit(ServerState& state, const WorkerRequest& request, int* retry_after) {
  TDB_ASSIGN_OR_RETURN(Principal principal,
                       state.authenticator->Authenticate(
                           request.authorization, request.client_address, request.auth_memo));
  if (state.request_limiter != nullptr) {
    const RateLimiter::Decision decision = state.request_limiter->Acquire("user:" + principal.user);
    if (!decision.allowed) {
      *retry_after = static_cast<int>((decision.retry_after_micros + 999'999) / 1'000'000);
      return Status(ErrorCode::kRateLimited,
                    "user " + principal.user + " sent more than " +
                        std::to_string(state.options.requests_per_second_per_user) +
                        " requests per second; retry after " + std::to_string(*retry_after) + "s");
    }
  }
  return principal;
}

WorkerResult HandleSql(ServerState& state, const WorkerRequest& request) {
  WorkerResult result;
  int retry_after = 1;
  Result<Principal> principal = Admit(state, request, &retry_after);
  if (!principal.ok()) {
    result.reply = ErrorReply(principal.status(), retry_after);
    return result;
  }
  result.user = principal->user;
  Result<SqlRequest> sql = ParseSqlRequest(request.body);
  if (!sql.ok()) {
    result.reply = ErrorReply(sql.status());
    return result;
  }
  Result<std::unique_ptr<Session>> session = state.db->Connect(principal->user, principal->role);
  if (!session.ok()) {
    result.reply = ErrorReply(session.status());
    return result;
  }
  // Commits return before the WAL sync: the connection answers once durable
  // (HttpConnection::SendReplyWhenDurable), so no thread waits for a sync per request.
  (*session)->DeferCommitSync(true);
  StatementObserver observer;
  ServerMetrics* metrics = state.metrics;
  observer.started = [metrics] {
    if (metrics != nullptr) metrics->StatementStarted();
  };
  const int64_t slow_ms = state.options.slow_statement_ms;
  std::shared_ptr<spdlog::logger> log = state.log;
  observer.finished = [metrics, slow_ms, log, id = request.request_id, user = principal->user](
                          std::string_view statement, std::chrono::microseconds elapsed,
                          const Status& status) {
    if (metrics != nullptr) metrics->StatementFinished();
    if (slow_ms < 0 || elapsed.count() < slow_ms * 1000) return;
    log->warn("slow_statement request_id={} user={} duration_ms={:.3f} status={} statement=\"{}\"",
              id, user, static_cast<double>(elapsed.count()) / 1000.0,
              status.ok() ? std::string_view("ok") : status.code_name(),
              LoggableStatement(statement));
  };
  SqlExecution::Options options;
  options.chunk_bytes = state.options.chunk_bytes;
  options.request_start = request.start;
  result.execution = std::make_shared<SqlExecution>(std::move(*session), std::move(*sql),
                                                    std::move(observer), options);
  return result;
}

WorkerResult HandleLoginOrRefresh(ServerState& state, const WorkerRequest& request) {
  WorkerResult result;
  const bool login = request.route == RouteId::kLogin;
  Result<LoginResult> issued = [&]() -> Result<LoginResult> {
    if (login) {
      TDB_ASSIGN_OR_RETURN(JsonBody body,
                           JsonBody::Parse(request.body, {"username", "password"},
                                           R"({"username": "alice", "password": "..."})"));
      TDB_ASSIGN_OR_RETURN(std::optional<std::string> user, body.String("username", true));
      TDB_ASSIGN_OR_RETURN(std::optional<std::string> password, body.String("password", true));
      result.user = *user;
      return state.authenticator->Login(*user, *password, request.client_address);
    }
    TDB_ASSIGN_OR_RETURN(JsonBody body, JsonBody::Parse(request.body, {"refresh_token"},
                                                        R"({"refresh_token": "..."})"));
    TDB_ASSIGN_OR_RETURN(std::optional<std::string> token, body.String("refresh_token", true));
    return state.authenticator->Refresh(*token, request.client_address);
  }();
  if (!issued.ok()) {
    result.reply = ErrorReply(issued.status(), 60);
    return result;
  }
  result.user = issued->account.user;
  result.reply = JsonReply(LoginJson(*issued));
  return result;
}

WorkerResult HandleLogout(ServerState& state, const WorkerRequest& request) {
  WorkerResult result;
  Status status = [&]() -> Status {
    TDB_ASSIGN_OR_RETURN(JsonBody body, JsonBody::Parse(request.body, {"refresh_token"},
                                                        R"({"refresh_token": "..."})"));
    TDB_ASSIGN_OR_RETURN(std::optional<std::string> token, body.String("refresh_token", true));
    return state.authenticator->Logout(*token);
  }();
  result.reply = status.ok() ? JsonReply("{\"status\":\"success\"}") : ErrorReply(status);
  return result;
}

WorkerResult HandleMe(ServerState& state, const WorkerRequest& request) {
  WorkerResult result;
  int retry_after = 1;
  Result<Principal> principal = Admit(state, request, &retry_after);
  if (!principal.ok()) {
    result.reply = ErrorReply(principal.status(), retry_after);
    return result;
  }
  result.user = principal->user;
  result.reply = JsonReply("{\"user\":" + UserJson(principal->user, principal->role) + "}");
  return result;
}

}  // namespace

HttpReply ErrorReply(const Status& status, int retry_after_seconds) {
  HttpReply reply;
  reply.status = HttpStatusFor(status.code());
  reply.body = ErrorBodyJson(status);
  if (reply.status == 429 || reply.status == 503) {
    reply.headers.emplace_back("Retry-After", std::to_string(std::max(1, retry_after_seconds)));
  }
  return reply;
}

WorkerResult HandleOnWorker(ServerState& state, const WorkerRequest& request) {
  switch (request.route) {
    case RouteId::kSql:
      return HandleSql(state, request);
    case RouteId::kLogin:
    case RouteId::kRefresh:
      return HandleLoginOrRefresh(state, request);
    case RouteId::kLogout:
      return HandleLogout(state, request);
    case RouteId::kMe:
      return HandleMe(state, request);
    default:
      break;
  }
  WorkerResult result;
  result.reply = ErrorReply(Status(ErrorCode::kInternal, "route has no worker handler"));
  return result;
}

}  // namespace tenantdb::server::http
