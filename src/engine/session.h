// Session: one user's connection to an open Database — the embedded SQL API.
//
//   auto db = Database::Open("./data");
//   Session session(db->get(), UserId::Make("alice").value(), Role::kUser);
//   auto result = session.Execute("SELECT * FROM chat.messages WHERE id = $1",
//                                 {Value::BigInt(7)});
//   auto prepared = session.Prepare("INSERT INTO t VALUES ($1, $2)");
//   session.ExecutePrepared(*prepared.value(), {Value::Int(1), Value::Text("x")});
//
// A session holds the user and role every statement runs as, the current namespace
// (`default` until USE), the open transaction (BEGIN ... COMMIT; otherwise each
// statement commits on its own), named prepared statements (PREPARE / EXECUTE) and a
// plan cache for Prepare(). Statements of a failed explicit transaction are refused
// with invalid_transaction_state until ROLLBACK, as in PostgreSQL.
//
// Each statement runs with a CancelToken (Cancel(), statement_timeout) and a
// MemoryTracker (statement_mem) under the Database's global one (global_mem). Session
// settings the engine enforces:
//   SET statement_mem = '256MB'     per-statement memory (kB/MB/GB/TB; bare number kB)
//   SET statement_timeout = '5s'    per-statement time (us/ms/s/min/h/d; bare number
//                                   ms; 0 disables)
//   SHOW / RESET of either (RESET returns to the Database::Options default)
//
// Errors are Status values with stable codes (common/error_code.h); a failed statement
// changes nothing — a cancelled (query_canceled, 57014) or over-budget (out_of_memory,
// 53200) one included; inside an explicit transaction any failure aborts the
// transaction, as in PostgreSQL. Thread safety: a Session is used by one thread at a
// time, except Cancel(), which any thread may call at any time; any number of sessions
// may run concurrently on one Database.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/role.h"
#include "ids/identifier.h"
#include "sql/exec/query_result.h"
#include "types/value.h"

namespace tenantdb {

class Database;
class SessionState;

// A statement parsed and planned once, executed many times with different parameters.
// Owned by the caller; valid while its Session lives.
class PreparedStatement {
 public:
  virtual ~PreparedStatement() = default;
  // Number of $n parameters the statement takes.
  virtual size_t num_parameters() const = 0;
};

class Session {
 public:
  // `database` must outlive the session.
  Session(Database* database, UserId user, Role role);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Runs every statement of `sql` in order and returns the last one's result (an empty
  // script gives an empty result with tag ""). `params` bind $1, $2, ... Stops at the
  // first error.
  Result<sql::QueryResult> Execute(std::string_view sql, const std::vector<Value>& params = {});
  // Runs every statement and returns each one's result.
  Result<std::vector<sql::QueryResult>> ExecuteScript(std::string_view sql);

  // Parses and plans one statement for repeated execution.
  Result<std::unique_ptr<PreparedStatement>> Prepare(std::string_view sql);
  Result<sql::QueryResult> ExecutePrepared(const PreparedStatement& statement,
                                           const std::vector<Value>& params);

  const UserId& user() const;
  Role role() const;
  // The namespace unqualified names resolve in.
  const std::string& current_namespace() const;
  bool in_transaction() const;

  // Cancels the statement running now (from any thread, e.g. a Ctrl-C watcher): it fails
  // with query_canceled "canceling statement due to user request" at its next check,
  // within milliseconds, and changes nothing. With no statement running it does
  // nothing: the next statement is not affected.
  void Cancel();

 private:
  std::unique_ptr<SessionState> state_;
};

}  // namespace tenantdb
