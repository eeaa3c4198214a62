// The remote SqlClient: statements sent to a tenantdb server over HTTP
// (`tenantdb shell --url http://127.0.0.1:8080 --user alice`).
//
// Logs in with POST /v1/api/auth/login and sends each statement with
// POST /v1/api/sql under `Authorization: Bearer <access token>`; when the token has
// expired (401) it logs in again with the same password and sends the statement once more
// (a 401 means the server ran nothing). Each request runs in a fresh server session, so
// the client carries what a session would: the namespace a successful `USE ns` chose is
// sent as "namespace_id" with every later statement. Transactions and SET do not carry
// across requests; BEGIN, COMMIT, ROLLBACK and SET are refused here with a message
// saying so rather than silently doing nothing. Ctrl-C (Cancel) drops the connection and
// the server cancels the statement.
//
// Thread safety: as SqlClient. Ownership: keeps the password in memory for re-logins.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cli/remote_http.h"
#include "cli/sql_client.h"

namespace tenantdb::cli {

class RemoteSession final : public SqlClient {
 public:
  // Connects to `url` (ParseHttpUrl) and logs in. Errors: io_error (cannot connect),
  // invalid_password, rate_limited, ... as the server reports them.
  static Result<std::unique_ptr<RemoteSession>> Open(HttpUrl url, std::string user,
                                                     std::string password);

  Result<sql::QueryResult> Run(const std::string& statement) override;
  void Cancel() override { http_->Cancel(); }
  const std::string& user() const override { return user_; }
  std::string role_name() const override { return role_; }
  std::string current_namespace() const override { return namespace_; }
  std::string location() const override { return " on " + http_->url().text; }

 private:
  RemoteSession(std::unique_ptr<HttpClient> http, std::string user, std::string password)
      : http_(std::move(http)), user_(std::move(user)), password_(std::move(password)) {}
  Status Login();
  Result<sql::QueryResult> Send(const std::string& statement);

  std::unique_ptr<HttpClient> http_;
  std::string user_;
  std::string password_;
  std::string token_;
  std::string role_ = "user";
  std::string namespace_ = "default";
};

// What a statement does to the state the client keeps for the server's sessions: the
// namespace `USE ns` names (case-folded unless quoted), or a statement that needs a
// session kept across requests (BEGIN, COMMIT, ROLLBACK, SET, ...).
struct SessionEffect {
  std::optional<std::string> use_namespace;
  bool needs_session = false;
  std::string keyword;  // the statement's first word, upper-cased
};
SessionEffect ClassifyStatement(std::string_view statement);

// The password for `user`: $TENANTDB_PASSWORD when set and not empty, else asked on the
// terminal (/dev/tty, since stdin may be the statements) without echo. Errors:
// invalid_argument when neither is available (no terminal).
Result<std::string> ReadServerPassword(const std::string& user);

}  // namespace tenantdb::cli
