// EngineSession's API over its SessionState, and the statement dispatcher: each statement
// kind goes to its handler in engine/statement_handlers/ (one file per family).
#include "engine/engine_session.h"

#include <chrono>

#include "common/utf8.h"
#include "engine/ddl_executor.h"
#include "engine/engine.h"
#include "engine/statement_handlers/session_state.h"
#include "sql/parser/parser.h"

namespace tenantdb {

using sql::QueryResult;

namespace {

// Bound parameters enter as values, past the parser's check of the SQL text: their text
// must be UTF-8 too, or it would be stored and printed as raw bytes.
Status CheckTextParameters(const std::vector<Value>& params) {
  for (size_t i = 0; i < params.size(); ++i) {
    const Value& v = params[i];
    if (v.is_null() || (v.type() != DataType::kText && v.type() != DataType::kJson)) continue;
    TDB_RETURN_IF_ERROR(CheckUtf8(v.as_bytes(), "parameter $" + std::to_string(i + 1)));
  }
  return Status::Ok();
}

}  // namespace

sql::ExecContext SessionState::MakeContext(Transaction* txn, const UserId& user, Role role) {
  sql::ExecContext ctx;
  if (running_local_ != nullptr) {
    ctx.cancel = &running_local_->cancel;
    ctx.memory = &running_local_->memory;
  }
  ctx.request.user = &user;
  ctx.request.role = role;
  ctx.request.store = &db_->tables();
  ctx.request.transaction = txn;
  ctx.request.row_locks = &db_->row_locks();
  ctx.request.lock_timeout = lock_timeout();
  ctx.request.system = &db_->system_sources();
  ctx.request.current_namespace = &namespace_;
  SyncTransactionSettings();
  ctx.request.settings = &settings_;
  ctx.function.now_micros = db_->clock().NowUnixMicros();
  ctx.function.clock = &db_->clock();
  ctx.function.current_user = user.str();
  ctx.function.request = ctx.request;  // for the catalog functions (pg_catalog_functions.cc)
  return ctx;
}

// The dispatcher: one statement, run as `user` with `role`, to its handler.
Result<QueryResult> SessionState::RunAs(const sql::Statement& stmt,
                                        const std::vector<Value>& params, const UserId& user,
                                        Role role) {
  using K = sql::StatementKind;
  if (aborted_ && stmt.kind != K::kTransaction) return Aborted();
  TDB_RETURN_IF_ERROR(CheckWritable(stmt));
  switch (stmt.kind) {
    case K::kTransaction: {
      const auto& transaction = static_cast<const sql::TransactionStmt&>(stmt);
      return Transact(transaction.action, transaction.modes);
    }
    case K::kSelect:
      return RunSelect(static_cast<const sql::SelectStmt&>(stmt), params, user, role);
    case K::kInsert:
    case K::kUpdate:
    case K::kDelete:
      return RunWrite(stmt, params, user, role);
    case K::kExplain:
      return Explain(static_cast<const sql::ExplainStmt&>(stmt), params, user, role);
    case K::kExecuteAsUser:
      return ExecuteAs(static_cast<const sql::ExecuteAsUserStmt&>(stmt), params, user, role);
    case K::kUse:
      return Use(static_cast<const sql::UseStmt&>(stmt));
    case K::kShowNamespaces:
      return ShowNamespaces(user, role);
    case K::kShowTables:
      return ShowTables(static_cast<const sql::ShowTablesStmt&>(stmt), user, role);
    case K::kDescribeTable:
      return Describe(static_cast<const sql::DescribeTableStmt&>(stmt), user, role);
    case K::kShowCreateTable:
      return ShowCreateTable(static_cast<const sql::ShowCreateTableStmt&>(stmt), user, role);
    case K::kSetVariable:
      return SetVariable(static_cast<const sql::SetVariableStmt&>(stmt));
    case K::kShowVariable:
      return ShowVariable(static_cast<const sql::ShowVariableStmt&>(stmt));
    case K::kPrepare:
      return PrepareNamed(static_cast<const sql::PrepareStmt&>(stmt));
    case K::kDeallocate:
      return Deallocate(static_cast<const sql::DeallocateStmt&>(stmt));
    case K::kExecute:
      return ExecuteNamed(static_cast<const sql::ExecuteStmt&>(stmt), user, role);
    case K::kCopy:
      return RunCopy(static_cast<const sql::CopyStmt&>(stmt), params, user, role);
    case K::kTruncate:
      return Truncate(static_cast<const sql::TruncateStmt&>(stmt), params, user, role);
    case K::kVacuum:
      return Vacuum(static_cast<const sql::VacuumStmt&>(stmt), user, role);
    default:
      break;
  }
  if (IsDdl(stmt.kind)) return RunDdl(stmt, user, role);
  return Status(ErrorCode::kFeatureNotSupported,
                std::string(sql::StatementKindName(stmt.kind)) + " is not supported");
}

EngineSession::EngineSession(Engine* database, UserId user, Role role)
    : state_(std::make_unique<SessionState>(database, std::move(user), role)) {}

EngineSession::~EngineSession() = default;

Result<std::shared_ptr<const sql::SharedStatements>> EngineSession::Parse(std::string_view sql) {
  return state_->statement_cache().Parse(sql);
}

Result<QueryResult> EngineSession::Execute(std::string_view sql, const std::vector<Value>& params) {
  TDB_RETURN_IF_ERROR(CheckTextParameters(params));
  TDB_ASSIGN_OR_RETURN(std::shared_ptr<const sql::SharedStatements> statements, Parse(sql));
  QueryResult last;
  for (const std::shared_ptr<const sql::Statement>& stmt : *statements) {
    TDB_ASSIGN_OR_RETURN(std::unique_ptr<EngineStatement> statement, state_->Open(stmt, params));
    TDB_ASSIGN_OR_RETURN(last, DrainStatement(*statement));
  }
  return last;
}

Result<std::vector<QueryResult>> EngineSession::ExecuteScript(std::string_view sql) {
  TDB_ASSIGN_OR_RETURN(std::shared_ptr<const sql::SharedStatements> statements, Parse(sql));
  std::vector<QueryResult> results;
  for (const std::shared_ptr<const sql::Statement>& stmt : *statements) {
    TDB_ASSIGN_OR_RETURN(std::unique_ptr<EngineStatement> statement, state_->Open(stmt, {}));
    TDB_ASSIGN_OR_RETURN(QueryResult r, DrainStatement(*statement));
    results.push_back(std::move(r));
  }
  return results;
}

Result<std::unique_ptr<EngineStatement>> EngineSession::Open(std::string_view sql,
                                                             const std::vector<Value>& params) {
  TDB_RETURN_IF_ERROR(CheckTextParameters(params));
  TDB_ASSIGN_OR_RETURN(std::shared_ptr<const sql::SharedStatements> parsed, Parse(sql));
  const sql::SharedStatements& statements = *parsed;
  if (statements.size() > 1) {
    return Status(ErrorCode::kSyntaxError,
                  "cannot run " + std::to_string(statements.size()) +
                      " statements as one query; run them one at a time, or as a script");
  }
  if (statements.empty()) {
    // Only blanks and comments: an empty result, as PostgreSQL's EmptyQueryResponse.
    state_->CloseOpen();
    return EngineStatement::Materialized(QueryResult());
  }
  return state_->Open(statements[0], params);
}

Result<std::unique_ptr<EngineStatement>> EngineSession::OpenParsed(
    std::shared_ptr<const sql::Statement> stmt, const std::vector<Value>& params) {
  TDB_RETURN_IF_ERROR(CheckTextParameters(params));
  return state_->Open(std::move(stmt), params);
}

Result<std::unique_ptr<EngineStatement>> EngineSession::OpenPrepared(
    const EnginePreparedStatement& statement, const std::vector<Value>& params) {
  TDB_RETURN_IF_ERROR(CheckTextParameters(params));
  return state_->OpenPrepared(static_cast<const PreparedImpl&>(statement), params);
}

Result<std::unique_ptr<EnginePreparedStatement>> EngineSession::Prepare(std::string_view sql) {
  TDB_ASSIGN_OR_RETURN(std::shared_ptr<const sql::SharedStatements> statements, Parse(sql));
  if (statements->size() != 1) {
    return Status(ErrorCode::kSyntaxError,
                  "expected one statement, found " + std::to_string(statements->size()));
  }
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<PreparedImpl> prepared,
                       state_->Prepare((*statements)[0], {}));
  return std::unique_ptr<EnginePreparedStatement>(std::move(prepared));
}

Result<QueryResult> EngineSession::ExecutePrepared(const EnginePreparedStatement& statement,
                                                   const std::vector<Value>& params) {
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<EngineStatement> open, OpenPrepared(statement, params));
  return DrainStatement(*open);
}

const UserId& EngineSession::user() const {
  return state_->user();
}
Role EngineSession::role() const {
  return state_->role();
}
const std::string& EngineSession::current_namespace() const {
  return state_->current_namespace();
}
bool EngineSession::in_transaction() const {
  return state_->in_transaction();
}
size_t EngineSession::statement_mem() const {
  return state_->statement_mem();
}

void EngineSession::Cancel() {
  state_->Cancel();
}

Status EngineSession::Use(std::string_view name) {
  return state_->UseNamespace(name);
}

void EngineSession::DeferCommitSync(bool defer) {
  state_->set_commit_sync(defer ? WalSync::kDeferred : WalSync::kBeforeReturn);
}

Status EngineSession::CheckParameters(const std::vector<Value>& params) {
  return CheckTextParameters(params);
}

Result<EngineSession::LiveBinding> EngineSession::BindLive(std::string_view sql,
                                                           const std::vector<Value>& params) {
  TDB_RETURN_IF_ERROR(CheckTextParameters(params));
  TDB_ASSIGN_OR_RETURN(std::shared_ptr<const sql::SharedStatements> statements, Parse(sql));
  if (statements->size() != 1) {
    return Status(ErrorCode::kSyntaxError, "a live query is one SELECT statement, found " +
                                               std::to_string(statements->size()));
  }
  return state_->BindLive((*statements)[0], params);
}

}  // namespace tenantdb
