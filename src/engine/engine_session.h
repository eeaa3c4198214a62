// EngineSession: one user's connection to an open Engine — the embedded SQL API.
//
//   auto db = Engine::Open("./data");
//   EngineSession session(db->get(), UserId::Make("alice").value(), Role::kUser);
//   auto result = session.Execute("SELECT * FROM chat.messages WHERE id = $1",
//                                 {Value::BigInt(7)});
//   auto prepared = session.Prepare("INSERT INTO t VALUES ($1, $2)");
//   session.ExecutePrepared(*prepared.value(), {Value::Int(1), Value::Text("x")});
//
// A session holds the user and role every statement runs as, the current namespace
// (`default` until USE), the open transaction (BEGIN ... COMMIT; otherwise each
// statement commits on its own) and named prepared statements (PREPARE / EXECUTE).
// Statements of a failed explicit transaction are refused with invalid_transaction_state
// until ROLLBACK, as in PostgreSQL. Each statement kind is run by a small handler
// (engine/statement_handlers/, one file per family); engine_session.cc dispatches.
//
// Prepared statements (Prepare(), PREPARE) are bound once: the binder gives their
// parameters' number and types (declared ones as given, the rest inferred from context)
// and the plan of a SELECT, INSERT, UPDATE or DELETE is kept until DDL or USE makes it
// stale, then bound again with the same parameter types.
//
// Statements stream: Open() returns an EngineStatement whose SELECT rows are pulled from
// the operator tree only as the caller asks (engine/engine_statement.h); Execute() and
// ExecutePrepared() open the same way and drain, so there is one execution path. A
// session has at most one open statement: opening another (Open*, Execute*, Prepare)
// closes it first, and so does destroying the session.
//
// Each statement runs with a CancelToken (Cancel(), statement_timeout) and a
// MemoryTracker (statement_mem) under the Engine's global one (global_mem). Session
// settings the engine enforces:
//   SET statement_mem = '256MB'     per-statement memory (kB/MB/GB/TB; bare number kB)
//   SET statement_timeout = '5s'    per-statement time (us/ms/s/min/h/d; bare number
//                                   ms; 0 disables)
//   SHOW / RESET of either (RESET returns to the Engine::Options default)
//
// Errors are Status values with stable codes (common/error_code.h); a failed statement
// changes nothing — a cancelled (query_canceled, 57014) or over-budget (out_of_memory,
// 53200) one included; inside an explicit transaction any failure aborts the
// transaction, as in PostgreSQL. Thread safety: an EngineSession is used by one thread at
// a time, except Cancel(), which any thread may call at any time; any number of sessions
// may run concurrently on one Engine.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/role.h"
#include "engine/engine_statement.h"
#include "ids/identifier.h"
#include "sql/exec/query_result.h"
#include "sql/parser/statement_cache.h"
#include "types/value.h"

namespace tenantdb {

class Engine;
class SessionState;
namespace sql {
struct Statement;
struct PlanNode;
}  // namespace sql

// A statement parsed and planned once, executed many times with different parameters.
// Owned by the caller; valid while its EngineSession lives.
class EnginePreparedStatement {
 public:
  virtual ~EnginePreparedStatement() = default;
  // Number of $n parameters the statement takes (the highest $n the binder saw).
  virtual size_t num_parameters() const = 0;
  // Each $n's type (nullopt where the binder could not tell).
  virtual const std::vector<std::optional<DataType>>& ParameterTypes() const = 0;
  // The schema a SELECT's rows have; null for statements without a kept plan.
  virtual std::shared_ptr<const Schema> ResultSchema() const = 0;
};

class EngineSession {
 public:
  // `database` must outlive the session.
  EngineSession(Engine* database, UserId user, Role role);
  ~EngineSession();
  EngineSession(const EngineSession&) = delete;
  EngineSession& operator=(const EngineSession&) = delete;

  // Runs every statement of `sql` in order and returns the last one's result (an empty
  // script gives an empty result with tag ""). `params` bind $1, $2, ... Stops at the
  // first error.
  Result<sql::QueryResult> Execute(std::string_view sql, const std::vector<Value>& params = {});
  // Runs every statement and returns each one's result.
  Result<std::vector<sql::QueryResult>> ExecuteScript(std::string_view sql);

  // Opens the one statement in `sql` (syntax_error when it holds more; text with no
  // statement gives an empty result with command "") as a stream; see engine_statement.h. The
  // statement must be closed or destroyed before the session.
  Result<std::unique_ptr<EngineStatement>> Open(std::string_view sql,
                                                const std::vector<Value>& params = {});
  // Opens a statement already parsed (one of a script's); the statement keeps it alive.
  Result<std::unique_ptr<EngineStatement>> OpenParsed(std::shared_ptr<const sql::Statement> stmt,
                                                      const std::vector<Value>& params);
  Result<std::unique_ptr<EngineStatement>> OpenPrepared(const EnginePreparedStatement& statement,
                                                        const std::vector<Value>& params);

  // The statements of `sql`, parsed (or found in the Engine's statement cache: a tree
  // depends only on the text). The same errors as sql::Parse.
  Result<std::shared_ptr<const sql::SharedStatements>> Parse(std::string_view sql);

  // Parses and plans one statement for repeated execution. Errors: those of parsing and
  // binding it (undefined_table, ...). OpenPrepared / ExecutePrepared fail with
  // invalid_request (08P01) when `params` are not num_parameters() values.
  Result<std::unique_ptr<EnginePreparedStatement>> Prepare(std::string_view sql);
  // Binds the one SELECT in `sql` with `params` as this session's user, NOT optimized
  // (live_query.cc reads its plain Project / Filter / Scan shape). Errors: those of
  // parsing and binding; feature_not_supported for a statement that is not a SELECT.
  struct LiveBinding {
    Engine* engine = nullptr;
    std::shared_ptr<const sql::Statement> statement;  // what the plan refers to
    std::shared_ptr<const sql::PlanNode> plan;
    UserId user;
    Role role = Role::kUser;
  };
  Result<LiveBinding> BindLive(std::string_view sql, const std::vector<Value>& params);
  // The checks every statement makes of its parameter values (text must be UTF-8), for a
  // caller reusing a binding with new values. Error: character_not_in_repertoire.
  static Status CheckParameters(const std::vector<Value>& params);
  Result<sql::QueryResult> ExecutePrepared(const EnginePreparedStatement& statement,
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

  // USE `name` without parsing a statement (SessionState::UseNamespace).
  Status Use(std::string_view name);
  // Commits from now on return before the WAL sync (Session::DeferCommitSync).
  void DeferCommitSync(bool defer);

  // The statement_mem in effect (SET statement_mem, or the Engine's default), in bytes.
  size_t statement_mem() const;

 private:
  std::unique_ptr<SessionState> state_;
};

}  // namespace tenantdb
