// SessionState: everything an EngineSession holds (engine/engine_session.h), and the
// statement handlers its dispatcher calls — one file per statement family in this folder:
//
//   session_state.cc  the statement lifecycle: opening, streaming a SELECT, running a
//                     statement in the session's transaction or its own, cancellation
//   query.cc          SELECT and EXPLAIN
//   dml.cc            INSERT, UPDATE, DELETE and EXECUTE AS USER
//   transaction.cc    BEGIN, COMMIT, ROLLBACK; isolation level and READ ONLY
//   set_show.cc       SET / RESET / SHOW, USE, SHOW NAMESPACES / TABLES, DESCRIBE
//   prepare.cc        PREPARE / EXECUTE / DEALLOCATE and the API's Prepare()
//   ddl.cc            DDL, delegated to engine/ddl_executor.h
//   copy.cc           COPY (copy_load.h: the COPY FROM sink)
//   maintenance.cc    TRUNCATE, VACUUM
//   analyze.cc        ANALYZE (table statistics)
//
// engine/engine_session.cc dispatches a statement to its handler (RunAs) and builds each
// statement's ExecContext (MakeContext). A handler returns the statement's materialized
// result; only a top-level SELECT streams (Open).
//
// Thread safety: one thread at a time, except Cancel() (any thread); see
// engine_session.h.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/cancel_token.h"
#include "common/memory_tracker.h"
#include "engine/engine.h"
#include "engine/engine_session.h"
#include "engine/engine_statement.h"
#include "sql/exec/executor.h"
#include "sql/exec/query_result.h"
#include "sql/parser/ast/all.h"
#include "sql/planner/binder.h"
#include "tables/transaction.h"

namespace tenantdb {

// A statement prepared once and run many times (Prepare(), PREPARE): its plan is bound
// at PREPARE and kept while it is valid (no DDL since, same namespace, run as the
// session's own user); otherwise the statement is bound again, with the same parameter
// types. The parameters' number and types come from the binder: declared ones (PREPARE
// p (INT, TEXT)) as given, the others inferred from where they are used (TEXT when
// nothing says).
class PreparedImpl final : public EnginePreparedStatement {
 public:
  size_t num_parameters() const override { return parameter_types.size(); }
  const std::vector<std::optional<DataType>>& ParameterTypes() const override {
    return parameter_types;
  }
  std::shared_ptr<const Schema> ResultSchema() const override {
    if (plan == nullptr || statement->kind != sql::StatementKind::kSelect) return nullptr;
    return plan->schema;
  }

  std::shared_ptr<const sql::Statement> statement;
  std::vector<std::optional<DataType>> parameter_types;
  // SELECT, INSERT, UPDATE, DELETE: the plan and when it was bound. Mutable: a stale
  // plan is replaced by one bound again (SessionState::Refresh); only the owning
  // session's thread runs the statement.
  mutable std::shared_ptr<const sql::PlanNode> plan;
  mutable uint64_t epoch = 0;
  mutable std::string namespace_at_bind;
};

// What one top-level statement runs with: its stop signal and its memory budget (a child
// of the engine's global tracker). Shared: a streamed SELECT's lives as long as its
// stream, and Cancel() may reach it from another thread meanwhile.
// Counted in Engine::running_statements() for as long as it lives.
struct RunningStatement {
  RunningStatement(Engine* db, size_t limit, std::chrono::milliseconds timeout);
  ~RunningStatement();
  RunningStatement(const RunningStatement&) = delete;
  RunningStatement& operator=(const RunningStatement&) = delete;
  Engine* const db;
  CancelToken cancel;
  MemoryTracker memory;
};

// Reads `statement` to its end into one QueryResult. What it holds is charged to the
// statement's statement_mem while it reads, so a huge result fails with out_of_memory
// instead of exhausting the machine.
Result<sql::QueryResult> DrainStatement(EngineStatement& statement);

// Results of utility statements.
sql::QueryResult Tag(std::string tag);
sql::QueryResult TextRows(const std::vector<std::string>& names,
                          const std::vector<std::vector<std::string>>& rows, std::string tag);
std::string QuoteLiteral(std::string_view s);

class SessionState {
 public:
  SessionState(Engine* db, UserId user, Role role);
  ~SessionState();

  // ---- the lifecycle (session_state.cc) ----

  // Runs one statement as the session's user, materialized.
  Result<sql::QueryResult> Run(const sql::Statement& stmt, const std::vector<Value>& params);
  // The top-level entry point: a SELECT streams, everything else runs here.
  Result<std::unique_ptr<EngineStatement>> Open(std::shared_ptr<const sql::Statement> stmt,
                                                const std::vector<Value>& params);
  // Closes the session's open statement, if any (see engine_session.h).
  void CloseOpen();
  void Cancel();

  const UserId& user() const { return user_; }
  Role role() const { return role_; }
  size_t statement_mem() const { return statement_mem_.value_or(db_->statement_mem()); }
  sql::StatementCache& statement_cache() { return db_->statement_cache(); }
  const std::string& current_namespace() const { return namespace_; }
  // USE `name` (the namespace's stored name, `public` meaning `default`), without a
  // statement: undefined_table when no such namespace exists.
  Status UseNamespace(std::string_view name);
  bool in_transaction() const { return transaction_ != nullptr; }
  // When commits sync the write-ahead log (Session::DeferCommitSync).
  void set_commit_sync(WalSync sync) { commit_sync_ = sync; }
  WalSync commit_sync() const { return commit_sync_; }

  // ---- prepared statements (prepare.cc) ----

  // Binds `stmt` for repeated execution (Prepare() and PREPARE).
  Result<std::unique_ptr<PreparedImpl>> Prepare(std::shared_ptr<const sql::Statement> stmt,
                                                std::vector<std::optional<DataType>> declared);
  // Opens a prepared statement with `params`; invalid_request (08P01, as PostgreSQL's
  // Bind) when their number is not the statement's.
  // ---- live queries (live_bind.cc): see EngineSession::BindLive ----
  Result<EngineSession::LiveBinding> BindLive(std::shared_ptr<const sql::Statement> stmt,
                                              const std::vector<Value>& params);
  Result<std::unique_ptr<EngineStatement>> OpenPrepared(const PreparedImpl& prepared,
                                                        const std::vector<Value>& params);

 private:
  friend class EngineSession;
  friend class CopyLoad;

  // ---- the dispatcher and the context (engine_session.cc) ----
  Result<sql::QueryResult> RunAs(const sql::Statement& stmt, const std::vector<Value>& params,
                                 const UserId& user, Role role);
  sql::ExecContext MakeContext(Transaction* txn, const UserId& user, Role role);

  // ---- the lifecycle (session_state.cc) ----
  std::chrono::milliseconds statement_timeout() const {
    return statement_timeout_.value_or(db_->statement_timeout());
  }
  // How long a row lock wait may last (SET lock_timeout; 0, the default: no limit).
  std::chrono::milliseconds lock_timeout() const {
    return lock_timeout_.value_or(std::chrono::milliseconds(0));
  }
  // Runs `body` as one statement: a fresh token and tracker, published for Cancel()
  // while it runs. Statements nested inside one (EXECUTE, SHOW TABLES' query) share it.
  Result<sql::QueryResult> Guarded(const std::function<Result<sql::QueryResult>()>& body);
  std::shared_ptr<RunningStatement> StartStatement();
  void EndStatement(const std::shared_ptr<RunningStatement>& statement);
  Status Aborted() const;
  sql::BindContext BindContextFor(const sql::ExecContext& ctx,
                                  std::vector<std::optional<DataType>>* parameter_types);
  // The types $n take: `fixed` (a prepared statement's), else those of the values.
  std::vector<std::optional<DataType>> ParameterTypes(
      const std::vector<Value>& params, const std::vector<std::optional<DataType>>* fixed) const;
  // Opens a SELECT as a stream: binds `select` (or takes the prepared `plan`) and builds
  // its operator tree, which runs only as the statement is read. The stream owns what the
  // read needs: the autocommit transaction (or uses the session's open one), the context,
  // the plan and the AST (`keep`). When `bound` is set and the SELECT was bound here, it
  // receives the plan and its parameter types (for the PlanCache).
  Result<std::unique_ptr<EngineStatement>> OpenSelect(
      const sql::SelectStmt* select, std::shared_ptr<const sql::PlanNode> plan,
      std::shared_ptr<const sql::Statement> keep, const std::vector<Value>& params,
      const std::vector<std::optional<DataType>>* fixed_types, const UserId& user, Role role,
      PlanCache::Plan* bound = nullptr);
  // A top-level SELECT of the session's own: its plan from the Engine's PlanCache when
  // one was bound for the same statement, role, namespace and parameter types at the
  // current schema epoch; else bound by OpenSelect and offered to the cache.
  Result<std::unique_ptr<EngineStatement>> OpenSelectCached(
      std::shared_ptr<const sql::Statement> stmt, const std::vector<Value>& params);
  // Makes `statement` the session's open one (closed by the next statement or the
  // session's end).
  std::unique_ptr<EngineStatement> Register(std::unique_ptr<EngineStatement> statement);
  // Runs a statement that reads or writes rows inside the open transaction, or in one of
  // its own that commits when it succeeds.
  using DataBody = std::function<Result<sql::QueryResult>(sql::Binder&, sql::ExecContext&)>;
  Result<sql::QueryResult> RunData(const DataBody& body, const std::vector<Value>& params,
                                   const std::vector<std::optional<DataType>>* fixed_types,
                                   const UserId& user, Role role);
  // Runs SQL text the session builds itself (SHOW TABLES' query).
  Result<sql::QueryResult> RunText(const std::string& text, const UserId& user, Role role);

  // ---- handlers ----
  // query.cc
  Result<sql::QueryResult> RunSelect(const sql::SelectStmt& select,
                                     const std::vector<Value>& params, const UserId& user,
                                     Role role);
  Result<sql::QueryResult> Explain(const sql::ExplainStmt& explain,
                                   const std::vector<Value>& params, const UserId& user, Role role);
  // dml.cc
  Result<sql::QueryResult> RunWrite(const sql::Statement& stmt, const std::vector<Value>& params,
                                    const UserId& user, Role role);
  Result<sql::QueryResult> RunWritePlan(const sql::PlanNode& plan, const std::vector<Value>& params,
                                        const std::vector<std::optional<DataType>>& types);
  // A top-level INSERT, UPDATE or DELETE of the session's own, as RunWrite runs it, its
  // plan from the Engine's PlanCache under the same key as a SELECT's
  // (OpenSelectCached); else bound here and offered to the cache.
  Result<sql::QueryResult> RunWriteCached(std::shared_ptr<const sql::Statement> stmt,
                                          const std::vector<Value>& params);
  // The user and role EXECUTE AS USER runs its statement as; insufficient_privilege when
  // `role` may not act for that user.
  Result<std::pair<UserId, Role>> ActAs(const sql::ExecuteAsUserStmt& stmt, const UserId& user,
                                        Role role);
  Result<sql::QueryResult> ExecuteAs(const sql::ExecuteAsUserStmt& stmt,
                                     const std::vector<Value>& params, const UserId& user,
                                     Role role);
  // transaction.cc: BEGIN / COMMIT / ROLLBACK / SET TRANSACTION / SET SESSION
  // CHARACTERISTICS, and the isolation and read-only settings (nullopt for other names).
  Result<sql::QueryResult> Transact(sql::TransactionAction action,
                                    const sql::TransactionModes& modes = {});
  std::optional<Result<sql::QueryResult>> TransactionSetting(const sql::SetVariableStmt& set);
  // Whether transactions begin READ ONLY (SET default_transaction_read_only).
  bool DefaultReadOnly() const;
  // Whether the statement about to run is in a read-only transaction (the open one's
  // mode, else the default every autocommit statement takes).
  bool ReadOnlyNow() const;
  // read_only_sql_transaction when `stmt` writes and ReadOnlyNow(); fails the open
  // transaction then, as any error does.
  Status CheckWritable(const sql::Statement& stmt);
  // Mirrors ReadOnlyNow() into settings_ for current_setting() and pg_settings.
  void SyncTransactionSettings();
  // set_show.cc
  Result<sql::QueryResult> Use(const sql::UseStmt& use);
  Result<sql::QueryResult> ShowNamespaces(const UserId& user, Role role);
  Result<sql::QueryResult> ShowTables(const sql::ShowTablesStmt& show, const UserId& user,
                                      Role role);
  // SHOW CREATE TABLE: one row (table_name, create_statement); show_create.cc.
  Result<sql::QueryResult> ShowCreateTable(const sql::ShowCreateTableStmt& show, const UserId& user,
                                           Role role);
  Result<sql::QueryResult> Describe(const sql::DescribeTableStmt& describe, const UserId& user,
                                    Role role);
  Result<sql::QueryResult> SetVariable(const sql::SetVariableStmt& set);
  Result<sql::QueryResult> ShowVariable(const sql::ShowVariableStmt& show);
  std::optional<Result<sql::QueryResult>> EngineSetting(const sql::SetVariableStmt& set);
  // prepare.cc
  Result<sql::QueryResult> PrepareNamed(const sql::PrepareStmt& prepare);
  Result<sql::QueryResult> Deallocate(const sql::DeallocateStmt& deallocate);
  Result<sql::QueryResult> ExecuteNamed(const sql::ExecuteStmt& execute, const UserId& user,
                                        Role role);
  // Binds `prepared` again when its plan is stale (DDL since, or another namespace),
  // with the same parameter types, and keeps the new plan.
  Status Refresh(const PreparedImpl& prepared);
  // Whether `prepared`'s plan may run now as `user` / `role`.
  bool PlanValid(const PreparedImpl& prepared, const UserId& user, Role role) const;
  // copy.cc: COPY FROM STDIN / TO STDOUT open a statement the caller feeds or reads;
  // with a file the COPY runs to its end (RunCopy, dba and system roles only).
  Result<std::unique_ptr<EngineStatement>> OpenCopy(
      const std::shared_ptr<const sql::Statement>& stmt, const std::vector<Value>& params);
  Result<std::unique_ptr<EngineStatement>> OpenCopySource(
      const sql::CopyStmt& copy, const std::shared_ptr<const sql::Statement>& stmt,
      const std::vector<Value>& params);
  Result<sql::QueryResult> RunCopy(const sql::CopyStmt& copy, const std::vector<Value>& params,
                                   const UserId& user, Role role);
  // ddl.cc
  Result<sql::QueryResult> RunDdl(const sql::Statement& stmt, const UserId& user, Role role);
  // maintenance.cc: TRUNCATE (a DELETE of every row per table, in one transaction) and
  // VACUUM (a no-op with a NOTICE); ANALYZE goes to analyze.cc.
  Result<sql::QueryResult> Truncate(const sql::TruncateStmt& truncate,
                                    const std::vector<Value>& params, const UserId& user,
                                    Role role);
  Result<sql::QueryResult> Vacuum(const sql::VacuumStmt& vacuum, const UserId& user, Role role);
  // analyze.cc: ANALYZE [table, ...] computes and stores table statistics.
  Result<sql::QueryResult> Analyze(const sql::VacuumStmt& analyze, const UserId& user, Role role);

  Engine* db_;
  UserId user_;
  Role role_;
  std::string namespace_ = "default";
  std::unique_ptr<Transaction> transaction_;
  WalSync commit_sync_ = WalSync::kBeforeReturn;  // of every transaction this session makes
  // The open transaction's READ ONLY mode (BEGIN READ ONLY, SET TRANSACTION, or
  // default_transaction_read_only when it began); false without one.
  bool transaction_read_only_ = false;
  bool aborted_ = false;
  std::map<std::string, std::string> settings_;
  std::map<std::string, std::shared_ptr<const PreparedImpl>> named_;
  // EXECUTE of a prepared statement bound again: the types its parameters keep.
  const std::vector<std::optional<DataType>>* parameter_types_override_ = nullptr;
  EngineStatement* open_ = nullptr;  // the open statement, not owned (see CloseOpen)
  // SET statement_mem / statement_timeout; nullopt: the engine's default.
  std::optional<size_t> statement_mem_;
  std::optional<std::chrono::milliseconds> statement_timeout_;
  std::optional<std::chrono::milliseconds> lock_timeout_;
  // The statement running now: running_local_ for this session's thread, running_ (under
  // running_mu_) for Cancel() from any thread. A streamed SELECT's stays published (and
  // owned by its stream too) until the stream closes.
  std::shared_ptr<RunningStatement> running_local_;
  std::mutex running_mu_;
  std::shared_ptr<RunningStatement> running_;
};

}  // namespace tenantdb
