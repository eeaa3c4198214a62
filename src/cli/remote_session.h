// The remote SqlClient: statements sent to a tenantdb server over HTTP
// (`tenantdb shell --url http://127.0.0.1:8080 --user alice`).
//
// Logs in with POST /v1/api/auth/login and sends statements with POST /v1/api/sql under
// `Authorization: Bearer <access token>`; when the token has expired (401) it logs in
// again with the same password and sends the request once more (a 401 means the server
// ran nothing). Ctrl-C (Cancel) drops the connection and the server cancels the request.
//
// Each request runs in a fresh server session (HTTP offers no session across requests),
// so the client carries what a session would, and behaves like the embedded shell as
// far as one request per statement allows:
//   USE ns          remembered; sent as "namespace_id" with every later request.
//   SET / RESET     sent alone first (so a bad value fails at once, as it would
//                   embedded); once it succeeded, remembered and replayed in front of
//                   every later request ("SET a = 1; SET b = 2; <statement>"), the
//                   replayed statements' results dropped, so SHOW reads the value back
//                   from the server. SET LOCAL and SET TRANSACTION are not remembered
//                   (they end with their transaction). RESET name / RESET ALL forget.
//   PREPARE         sent alone first (a syntax error or a name in use fails at once);
//                   remembered, and replayed in front of any later request whose
//                   EXECUTE, DEALLOCATE or PREPARE names it, so EXECUTE runs the
//                   statement as prepared, with the tables as they are then.
//                   DEALLOCATE [ALL] forgets.
//   BEGIN           (START TRANSACTION) opens a client-side transaction: it and the
//                   statements after it are held, not sent, until
//   COMMIT / END    sends them, BEGIN through COMMIT, as ONE request, which the server runs
//                   in one transaction; every statement's result is returned then, in
//                   order. The first error stops it and the server rolls back: its
//                   outcome is that error, followed by a ROLLBACK tag for the COMMIT (as
//                   PostgreSQL answers COMMIT in a failed transaction); the statements
//                   after the failed one did not run and have no outcome.
//   ROLLBACK/ABORT  inside a held transaction drops it without a request (nothing of it
//                   ran on the server) and answers ROLLBACK, as the server would.
// What cannot be made the same: inside a transaction, results (and errors) appear only at
// COMMIT, so a statement cannot depend on the client seeing an earlier one's result;
// SET, PREPARE and USE inside a transaction take effect for later requests only if it
// commits; a connection lost during COMMIT leaves unknown whether the server committed
// (as with any database client). Run() sends one statement as one request and holds
// nothing (a BEGIN alone is then refused by the server: a request must end its
// transaction).
//
// Thread safety: as SqlClient. Ownership: keeps the password in memory for re-logins.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/remote_http.h"
#include "cli/remote_subscription.h"
#include "cli/sql_client.h"

namespace tenantdb::cli {

// What a statement does to the session state the client carries (the first words of the
// statement, read with the SQL tokenizer, so comments and quoting are understood).
struct SessionEffect {
  enum class Kind : unsigned char {
    kOther,       // runs as it is
    kUse,         // USE ns (`name`: the namespace)
    kBegin,       // BEGIN, START TRANSACTION
    kCommit,      // COMMIT, END
    kRollback,    // ROLLBACK, ABORT (not ROLLBACK TO SAVEPOINT)
    kSet,         // SET [SESSION] name ... (`name`: the setting, lower case)
    kReset,       // RESET name / RESET ALL (`name`: "all")
    kPrepare,     // PREPARE name ... (`name`: the prepared statement's)
    kExecute,     // EXECUTE name[(...)] (not EXECUTE AS USER)
    kDeallocate,  // DEALLOCATE [PREPARE] name | ALL (`name`: "" for ALL)
  };
  Kind kind = Kind::kOther;
  std::string name;
  std::string keyword;  // the statement's first word, upper-cased
  // USE's namespace (case-folded unless quoted), for kUse.
  std::optional<std::string> use_namespace;
};
SessionEffect ClassifyStatement(std::string_view statement);

class RemoteSession final : public SqlClient {
 public:
  // Connects to `url` (ParseHttpUrl) and logs in. Errors: io_error (cannot connect),
  // invalid_password, rate_limited, ... as the server reports them.
  static Result<std::unique_ptr<RemoteSession>> Open(HttpUrl url, std::string user,
                                                     std::string password);

  Result<sql::QueryResult> Run(const std::string& statement) override;
  std::vector<StatementOutcome> Submit(const std::string& statement) override;
  bool in_transaction() const override { return !transaction_.empty(); }
  std::string EndOfInput() override;
  void Cancel() override;
  Status Subscribe(const std::string& sql,
                   const std::function<void(std::string_view line)>& print) override;
  const std::string& user() const override { return user_; }
  std::string role_name() const override { return role_; }
  std::string current_namespace() const override { return namespace_; }
  std::string location() const override { return " on " + http_->url().text; }

 private:
  RemoteSession(std::unique_ptr<HttpClient> http, std::string user, std::string password)
      : http_(std::move(http)), user_(std::move(user)), password_(std::move(password)) {}
  Status Login();
  // Sends `statements` as one request behind the replayed SETs and PREPAREs they need;
  // returns their outcomes up to and including the first error (none after it).
  std::vector<StatementOutcome> SendRequest(const std::vector<std::string>& statements);
  // What a statement that ran (and did not fail) leaves for later requests.
  void Remember(const std::string& statement, const SessionEffect& effect);
  std::vector<StatementOutcome> Commit();

  std::unique_ptr<HttpClient> http_;
  // The `\subscribe` running, for Cancel() from the Ctrl-C watcher thread.
  std::mutex live_mu_;
  RemoteSubscription* live_ = nullptr;
  std::string user_;
  std::string password_;
  std::string token_;
  std::string role_ = "user";
  std::string namespace_ = "default";
  // SET statements to replay, in the order given, one per setting name.
  std::vector<std::pair<std::string, std::string>> settings_;
  // PREPARE statements by name.
  std::map<std::string, std::string> prepared_;
  // The held transaction: BEGIN and the statements after it; empty when none is open.
  std::vector<std::string> transaction_;
  // Whether the last SendRequest got the server's answer (false: the connection failed
  // or was cancelled, and what the server did is unknown).
  bool answered_ = false;
};

// The password for `user`: $TENANTDB_PASSWORD when set and not empty, else asked on the
// terminal (/dev/tty, since stdin may be the statements) without echo. Errors:
// invalid_argument when neither is available (no terminal).
Result<std::string> ReadServerPassword(const std::string& user);

}  // namespace tenantdb::cli
