#include "engine/session.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <mutex>

#include "common/utf8.h"
#include "engine/database.h"
#include "engine/ddl_executor.h"
#include "engine/session_settings.h"
#include "sql/exec/dml_executor.h"
#include "sql/exec/executor.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/exec/scalar/cast.h"
#include "sql/parser/parser.h"
#include "sql/planner/binder.h"
#include "tables/transaction.h"

namespace tenantdb {

using sql::QueryResult;

namespace {

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

QueryResult Tag(std::string tag) {
  QueryResult r;
  r.command_tag = std::move(tag);
  return r;
}

QueryResult TextRows(const std::vector<std::string>& names,
                     const std::vector<std::vector<std::string>>& rows, std::string tag) {
  QueryResult r;
  std::vector<Field> fields;
  for (const std::string& n : names)
    fields.push_back(Field{n, DataType::kText, true, false, ""});
  r.schema = std::make_shared<const Schema>(std::move(fields), SchemaMetadata{});
  Batch b(r.schema);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c)
      b.mutable_column(c).AppendBytes(row[c]);
  }
  r.rows_affected = rows.size();
  r.command_tag = std::move(tag);
  if (b.num_rows() > 0) r.batches.push_back(std::move(b));
  return r;
}

std::string QuoteLiteral(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// The highest $n in canonical SQL text (string literals skipped).
size_t CountParameters(const std::string& text) {
  size_t highest = 0;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\'') {
      quoted = !quoted;
      continue;
    }
    if (quoted || c != '$') continue;
    size_t n = 0, j = i + 1;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) {
      n = n * 10 + static_cast<size_t>(text[j] - '0');
      ++j;
    }
    highest = std::max(highest, n);
  }
  return highest;
}

// The statement a prepared SELECT runs: its plan, bound once, re-bound after DDL.
class PreparedImpl final : public PreparedStatement {
 public:
  size_t num_parameters() const override { return parameter_types.size(); }

  std::shared_ptr<sql::Statement> statement;
  std::shared_ptr<const sql::PlanNode> plan;  // SELECT only
  std::vector<std::optional<DataType>> parameter_types;
  uint64_t epoch = 0;
  std::string namespace_at_bind;
};

}  // namespace

// What one top-level statement runs with: its stop signal and its memory budget (a child
// of the database's global tracker).
struct RunningStatement {
  RunningStatement(MemoryTracker* global, size_t limit, std::chrono::milliseconds timeout)
      : memory("statement_mem", limit, global,
               "raise it with SET statement_mem = '" + FormatMemorySetting(std::min(limit, SIZE_MAX / 2) * 2) +
                   "' or the database option statement_mem") {
    cancel.SetTimeout(timeout);
  }
  CancelToken cancel;
  MemoryTracker memory;
};

// Everything a Session holds; see session.h.
class SessionState {
 public:
  SessionState(Database* db, UserId user, Role role)
      : db_(db), user_(std::move(user)), role_(role) {}

  Result<QueryResult> Run(const sql::Statement& stmt, const std::vector<Value>& params) {
    return Guarded([&] { return RunAs(stmt, params, user_, role_); });
  }

  Result<QueryResult> RunPrepared(const PreparedImpl& prepared, const std::vector<Value>& params) {
    return Guarded([&] { return RunPreparedGuarded(prepared, params); });
  }

  void Cancel() {
    std::lock_guard<std::mutex> lock(running_mu_);
    if (running_ != nullptr) running_->cancel.Cancel();
  }

  Result<QueryResult> RunPreparedGuarded(const PreparedImpl& prepared,
                                         const std::vector<Value>& params) {
    if (aborted_) return Aborted();
    if (prepared.plan && prepared.epoch == db_->schema_epoch() &&
        prepared.namespace_at_bind == namespace_) {
      auto result = RunData(
          [&](sql::Binder&, sql::ExecContext& ctx) -> Result<QueryResult> {
            return Select(*prepared.plan, ctx);
          },
          params, &prepared.parameter_types, user_, role_);
      return result;
    }
    return Run(*prepared.statement, params);
  }

  Result<std::unique_ptr<PreparedImpl>> Prepare(std::shared_ptr<sql::Statement> stmt) {
    auto prepared = std::make_unique<PreparedImpl>();
    prepared->statement = std::move(stmt);
    if (prepared->statement->kind == sql::StatementKind::kSelect) {
      sql::ExecContext ctx = MakeContext(nullptr, user_, role_);
      sql::Binder binder(BindContextFor(ctx, &prepared->parameter_types));
      TDB_ASSIGN_OR_RETURN(
          sql::PlanPtr plan,
          binder.BindQuery(static_cast<const sql::SelectStmt&>(*prepared->statement)));
      prepared->plan = std::shared_ptr<const sql::PlanNode>(std::move(plan));
      prepared->epoch = db_->schema_epoch();
      prepared->namespace_at_bind = namespace_;
    }
    return prepared;
  }

  const UserId& user() const { return user_; }
  Role role() const { return role_; }
  const std::string& current_namespace() const { return namespace_; }
  bool in_transaction() const { return transaction_ != nullptr; }

 private:
  size_t statement_mem() const { return statement_mem_.value_or(db_->statement_mem()); }
  std::chrono::milliseconds statement_timeout() const {
    return statement_timeout_.value_or(db_->statement_timeout());
  }

  // Runs `body` as one statement: a fresh token and tracker, published for Cancel()
  // while it runs. Statements nested inside one (EXECUTE, SHOW TABLES' query) share it.
  template <typename Fn>
  Result<QueryResult> Guarded(Fn&& body) {
    if (running_local_ != nullptr) return body();
    RunningStatement statement(&db_->memory(), statement_mem(), statement_timeout());
    {
      std::lock_guard<std::mutex> lock(running_mu_);
      running_ = &statement;
    }
    running_local_ = &statement;
    Result<QueryResult> result = body();
    running_local_ = nullptr;
    {
      std::lock_guard<std::mutex> lock(running_mu_);
      running_ = nullptr;
    }
    return result;
  }

  // SET / RESET / SHOW of the settings the engine enforces; nullopt for other names.
  std::optional<Result<QueryResult>> EngineSetting(const sql::SetVariableStmt& set) {
    const bool all = set.reset && set.name == "all";
    if (!all && set.name != "statement_mem" && set.name != "statement_timeout") {
      return std::nullopt;
    }
    if (set.reset) {
      if (all || set.name == "statement_mem") statement_mem_.reset();
      if (all || set.name == "statement_timeout") statement_timeout_.reset();
      // RESET ALL also clears the plain settings: the caller goes on.
      if (all) return std::nullopt;
      return Result<QueryResult>(Tag("RESET"));
    }
    if (set.values.size() != 1) {
      return Result<QueryResult>(
          Status(ErrorCode::kInvalidArgument, "SET " + set.name + " takes only one argument"));
    }
    if (set.name == "statement_mem") {
      Result<size_t> bytes = ParseMemorySetting(set.name, set.values[0]);
      if (!bytes.ok()) return Result<QueryResult>(bytes.status());
      statement_mem_ = *bytes;
    } else {
      Result<std::chrono::milliseconds> ms = ParseDurationSetting(set.name, set.values[0]);
      if (!ms.ok()) return Result<QueryResult>(ms.status());
      statement_timeout_ = *ms;
    }
    return Result<QueryResult>(Tag("SET"));
  }

  Status Aborted() const {
    return Status(ErrorCode::kInvalidTransactionState,
                  "current transaction is aborted, commands ignored until end of transaction "
                  "block; run ROLLBACK");
  }

  sql::ExecContext MakeContext(Transaction* txn, const UserId& user, Role role) {
    sql::ExecContext ctx;
    if (running_local_ != nullptr) {
      ctx.cancel = &running_local_->cancel;
      ctx.memory = &running_local_->memory;
    }
    ctx.request.user = &user;
    ctx.request.role = role;
    ctx.request.store = &db_->tables();
    ctx.request.transaction = txn;
    ctx.request.system = &db_->system_sources();
    ctx.function.now_micros = NowMicros();
    ctx.function.current_user = user.str();
    return ctx;
  }

  sql::BindContext BindContextFor(const sql::ExecContext& ctx,
                                  std::vector<std::optional<DataType>>* parameter_types) {
    sql::BindContext bind;
    bind.cache = &db_->cache();
    bind.current_namespace = namespace_;
    bind.current_user = std::string(ctx.function.current_user);
    bind.request = &ctx.request;
    bind.parameter_types = parameter_types;
    return bind;
  }

  static Result<QueryResult> Select(const sql::PlanNode& plan, sql::ExecContext& ctx) {
    QueryResult result;
    result.schema = plan.schema;
    TDB_ASSIGN_OR_RETURN(result.batches, sql::RunPlan(plan, ctx));
    result.rows_affected = result.num_rows();
    result.command_tag = "SELECT " + std::to_string(result.rows_affected);
    return result;
  }

  // Runs a statement that reads or writes rows inside the open transaction, or in one of
  // its own that commits when it succeeds.
  template <typename Fn>
  Result<QueryResult> RunData(Fn&& body, const std::vector<Value>& params,
                              const std::vector<std::optional<DataType>>* fixed_types,
                              const UserId& user, Role role) {
    Transaction local;
    Transaction* txn = transaction_ ? transaction_.get() : &local;
    sql::ExecContext ctx = MakeContext(txn, user, role);
    std::vector<std::optional<DataType>> types;
    if (fixed_types == nullptr) fixed_types = parameter_types_override_;
    if (fixed_types != nullptr) {
      types = *fixed_types;
    } else {
      for (const Value& v : params)
        types.push_back(v.is_null() ? std::nullopt : std::optional<DataType>(v.type()));
    }
    // The evaluator casts each parameter to the type the binder gave it.
    ctx.parameters = params;
    sql::Binder binder(BindContextFor(ctx, &types));
    Result<QueryResult> result = body(binder, ctx);
    if (!result.ok()) {
      if (transaction_) {
        aborted_ = true;
      }
      return result;
    }
    if (!transaction_) {
      const auto counts = local.WriteCounts();
      TDB_RETURN_IF_ERROR(local.Commit(&db_->tables()));
      for (const auto& [table, n] : counts)
        db_->flush_scheduler().RecordWrites(*table, n);
    }
    return result;
  }

  Result<QueryResult> RunAs(const sql::Statement& stmt, const std::vector<Value>& params,
                            const UserId& user, Role role) {
    using K = sql::StatementKind;
    if (aborted_ && stmt.kind != K::kTransaction) return Aborted();
    switch (stmt.kind) {
      case K::kTransaction:
        return Transact(static_cast<const sql::TransactionStmt&>(stmt).action);
      case K::kSelect:
        return RunData(
            [&](sql::Binder& binder, sql::ExecContext& ctx) -> Result<QueryResult> {
              TDB_ASSIGN_OR_RETURN(sql::PlanPtr plan,
                                   binder.BindQuery(static_cast<const sql::SelectStmt&>(stmt)));
              return Select(*plan, ctx);
            },
            params, nullptr, user, role);
      case K::kInsert:
      case K::kUpdate:
      case K::kDelete: {
        sql::DmlOptions options;
        options.check_now = transaction_ != nullptr;
        return RunData(
            [&](sql::Binder& binder, sql::ExecContext& ctx) -> Result<QueryResult> {
              if (stmt.kind == K::kInsert) {
                return sql::ExecuteInsert(static_cast<const sql::InsertStmt&>(stmt), binder, ctx,
                                          options);
              }
              if (stmt.kind == K::kUpdate) {
                return sql::ExecuteUpdate(static_cast<const sql::UpdateStmt&>(stmt), binder, ctx,
                                          options);
              }
              return sql::ExecuteDelete(static_cast<const sql::DeleteStmt&>(stmt), binder, ctx,
                                        options);
            },
            params, nullptr, user, role);
      }
      case K::kExplain: {
        const auto& explain = static_cast<const sql::ExplainStmt&>(stmt);
        if (explain.statement->kind != K::kSelect) {
          return Status(ErrorCode::kFeatureNotSupported, "EXPLAIN supports SELECT statements");
        }
        return RunData(
            [&](sql::Binder& binder, sql::ExecContext&) -> Result<QueryResult> {
              TDB_ASSIGN_OR_RETURN(
                  sql::PlanPtr plan,
                  binder.BindQuery(static_cast<const sql::SelectStmt&>(*explain.statement)));
              std::vector<std::vector<std::string>> rows;
              const std::string text = plan->Explain();
              size_t start = 0;
              while (start < text.size()) {
                const size_t end = text.find('\n', start);
                rows.push_back({text.substr(start, end - start)});
                if (end == std::string::npos) break;
                start = end + 1;
              }
              return TextRows({"QUERY PLAN"}, rows, "EXPLAIN");
            },
            params, nullptr, user, role);
      }
      case K::kExecuteAsUser:
        return ExecuteAs(static_cast<const sql::ExecuteAsUserStmt&>(stmt), params, user, role);
      case K::kUse: {
        const auto& use = static_cast<const sql::UseStmt&>(stmt);
        std::string ns = use.namespace_name == "public" ? "default" : use.namespace_name;
        const NamespaceId id = [&] {
          auto m = NamespaceId::Make(ns);
          return m.ok() ? *m : NamespaceId();
        }();
        if (ns != "system" && (id.empty() || !db_->catalog().GetNamespace(id).ok())) {
          return Status(ErrorCode::kUndefinedTable, "namespace \"" + ns + "\" does not exist");
        }
        namespace_ = ns;
        return Tag("USE");
      }
      case K::kShowNamespaces:
        return RunText("SELECT namespace_id FROM system.namespaces ORDER BY namespace_id", user,
                       role);
      case K::kShowTables: {
        const auto& show = static_cast<const sql::ShowTablesStmt&>(stmt);
        std::string ns = show.namespace_name.value_or(namespace_);
        if (ns == "public") ns = "default";
        if (ns != "system") {
          auto id = NamespaceId::Make(ns);
          if (!id.ok() || !db_->catalog().GetNamespace(*id).ok()) {
            return Status(ErrorCode::kUndefinedTable, "namespace \"" + ns + "\" does not exist");
          }
        }
        return RunText("SELECT table_name, table_type FROM system.tables WHERE namespace_id = " +
                           QuoteLiteral(ns) + " ORDER BY table_name",
                       user, role);
      }
      case K::kDescribeTable: {
        const auto& describe = static_cast<const sql::DescribeTableStmt&>(stmt);
        sql::ExecContext ctx = MakeContext(nullptr, user, role);
        sql::Binder binder(BindContextFor(ctx, nullptr));
        TDB_ASSIGN_OR_RETURN(TableProviderRef table, binder.ResolveTable(describe.table));
        return RunText(
            "SELECT column_name, data_type, is_nullable, column_default "
            "FROM system.columns WHERE namespace_id = " +
                QuoteLiteral(table->id().ns().str()) +
                " AND table_name = " + QuoteLiteral(table->id().table().str()) +
                " AND column_name <> '_rowid' ORDER BY ordinal_position",
            user, role);
      }
      case K::kSetVariable: {
        const auto& set = static_cast<const sql::SetVariableStmt&>(stmt);
        TDB_RETURN_IF_ERROR(CheckSettable(set));
        if (auto handled = EngineSetting(set); handled.has_value()) return std::move(*handled);
        if (set.reset) {
          if (set.name == "all") {
            settings_.clear();
          } else {
            settings_.erase(set.name);
          }
        } else {
          std::string value;
          for (const std::string& v : set.values)
            value += (value.empty() ? "" : ", ") + v;
          settings_[set.name] = value;
        }
        return Tag(set.reset ? "RESET" : "SET");
      }
      case K::kShowVariable: {
        const auto& show = static_cast<const sql::ShowVariableStmt&>(stmt);
        if (show.name == "statement_mem") {
          return TextRows({show.name}, {{FormatMemorySetting(statement_mem())}}, "SHOW");
        }
        if (show.name == "statement_timeout") {
          return TextRows({show.name}, {{FormatDurationSetting(statement_timeout())}}, "SHOW");
        }
        auto it = settings_.find(show.name);
        std::string value = it != settings_.end() ? it->second : "";
        if (it == settings_.end()) {
          if (show.name == "server_version") {
            value = "15.0 (tenantdb 0.1)";
          } else if (show.name == "timezone") {
            value = "UTC";
          } else if (show.name == "search_path") {
            value = namespace_;
          } else {
            return Status(ErrorCode::kNotFound,
                          "unrecognized configuration parameter \"" + show.name + "\"");
          }
        }
        return TextRows({show.name}, {{value}}, "SHOW");
      }
      case K::kPrepare: {
        const auto& prepare = static_cast<const sql::PrepareStmt&>(stmt);
        if (named_.contains(prepare.name)) {
          return Status(ErrorCode::kAlreadyExists,
                        "prepared statement \"" + prepare.name + "\" already exists");
        }
        // Keep the inner statement alive by re-parsing its text.
        TDB_ASSIGN_OR_RETURN(sql::StatementPtr inner,
                             sql::ParseStatement(prepare.statement->ToString()));
        named_[prepare.name] = std::shared_ptr<sql::Statement>(std::move(inner));
        return Tag("PREPARE");
      }
      case K::kDeallocate: {
        const auto& deallocate = static_cast<const sql::DeallocateStmt&>(stmt);
        if (deallocate.name.empty()) {
          named_.clear();
        } else if (named_.erase(deallocate.name) == 0) {
          return Status(ErrorCode::kNotFound,
                        "prepared statement \"" + deallocate.name + "\" does not exist");
        }
        return Tag("DEALLOCATE");
      }
      case K::kExecute: {
        const auto& execute = static_cast<const sql::ExecuteStmt&>(stmt);
        auto it = named_.find(execute.name);
        if (it == named_.end()) {
          return Status(ErrorCode::kNotFound,
                        "prepared statement \"" + execute.name + "\" does not exist");
        }
        const size_t expected = CountParameters(it->second->ToString());
        if (execute.parameters.size() != expected) {
          return Status(ErrorCode::kSyntaxError,
                        "wrong number of parameters for prepared statement \"" + execute.name +
                            "\": expected " + std::to_string(expected) + ", got " +
                            std::to_string(execute.parameters.size()));
        }
        std::vector<Value> values;
        std::vector<std::optional<DataType>> types;
        sql::ExecContext ctx = MakeContext(nullptr, user, role);
        std::vector<std::optional<DataType>> none;
        sql::Binder binder(BindContextFor(ctx, &none));
        for (const auto& p : execute.parameters) {
          TDB_ASSIGN_OR_RETURN(sql::BoundExprPtr e, binder.BindRowExpr(*p, {}));
          TDB_ASSIGN_OR_RETURN(Value v, sql::EvaluateConstant(*e, ctx));
          // An untyped literal ('2024-01-31') takes the type the statement gives $n.
          types.push_back(e->unknown_type ? std::nullopt : std::optional<DataType>(v.type()));
          values.push_back(std::move(v));
        }
        std::shared_ptr<sql::Statement> keep = it->second;
        parameter_types_override_ = &types;
        auto result = RunAs(*keep, values, user, role);
        parameter_types_override_ = nullptr;
        return result;
      }
      default:
        break;
    }
    if (IsDdl(stmt.kind)) {
      if (transaction_) {
        aborted_ = true;
        return Status(ErrorCode::kInvalidTransactionState,
                      std::string(sql::StatementKindName(stmt.kind)) +
                          " cannot run inside a transaction block in tenantdb; COMMIT first");
      }
      sql::ExecContext ctx = MakeContext(nullptr, user, role);
      std::vector<std::optional<DataType>> none;
      sql::Binder binder(BindContextFor(ctx, &none));
      DdlContext ddl{db_, role, namespace_, &binder};
      auto result = ExecuteDdl(stmt, ddl);
      db_->BumpSchemaEpoch();
      return result;
    }
    return Status(ErrorCode::kFeatureNotSupported,
                  std::string(sql::StatementKindName(stmt.kind)) + " is not supported");
  }

  // SET ROLE / SET SESSION AUTHORIZATION would be stored as a setting and change nothing,
  // while the client believes it now acts as someone else: refuse them. RESET (and SET
  // ... TO DEFAULT) are accepted: they ask for the session's own identity, which it has.
  static Status CheckSettable(const sql::SetVariableStmt& set) {
    if (set.reset || (set.name != "role" && set.name != "session_authorization")) {
      return Status::Ok();
    }
    const std::string what = set.name == "role" ? "SET ROLE" : "SET SESSION AUTHORIZATION";
    return Status(ErrorCode::kFeatureNotSupported,
                  what +
                      " is not supported: a session keeps the user and role it was opened "
                      "with; to act for another user, run EXECUTE AS USER 'id' (statement)");
  }

  Result<QueryResult> RunText(const std::string& text, const UserId& user, Role role) {
    TDB_ASSIGN_OR_RETURN(sql::StatementPtr stmt, sql::ParseStatement(text));
    return RunAs(*stmt, {}, user, role);
  }

  Result<QueryResult> ExecuteAs(const sql::ExecuteAsUserStmt& stmt,
                                const std::vector<Value>& params, const UserId& user, Role role) {
    TDB_ASSIGN_OR_RETURN(UserId target, UserId::Make(stmt.user_id));
    TDB_ASSIGN_OR_RETURN(std::optional<Role> stored, db_->catalog().GetUserRole(target));
    const Role target_role = stored.value_or(Role::kUser);
    const bool same = target == user;
    if (!CanActAs(role, target_role, same)) {
      return Status(ErrorCode::kInsufficientPrivilege,
                    "role " + std::string(RoleName(role)) + " may not execute as " +
                        std::string(RoleName(target_role)) + " user '" + stmt.user_id +
                        "'; EXECUTE AS USER only acts for less privileged users");
    }
    if (IsDdl(stmt.statement->kind)) {
      return Status(ErrorCode::kFeatureNotSupported,
                    "EXECUTE AS USER runs queries and writes, not DDL");
    }
    return RunAs(*stmt.statement, params, target, same ? role : target_role);
  }

  Result<QueryResult> Transact(sql::TransactionAction action) {
    switch (action) {
      case sql::TransactionAction::kBegin:
        if (!transaction_) transaction_ = std::make_unique<Transaction>();
        return Tag("BEGIN");
      case sql::TransactionAction::kCommit: {
        if (!transaction_) return Tag("COMMIT");
        std::unique_ptr<Transaction> txn = std::move(transaction_);
        if (aborted_) {
          aborted_ = false;
          txn->Rollback();
          return Tag("ROLLBACK");
        }
        const auto counts = txn->WriteCounts();
        TDB_RETURN_IF_ERROR(txn->Commit(&db_->tables()));
        for (const auto& [table, n] : counts)
          db_->flush_scheduler().RecordWrites(*table, n);
        return Tag("COMMIT");
      }
      case sql::TransactionAction::kRollback:
        if (transaction_) transaction_->Rollback();
        transaction_.reset();
        aborted_ = false;
        return Tag("ROLLBACK");
    }
    return Status(ErrorCode::kInternal, "unknown transaction action");
  }

  Database* db_;
  UserId user_;
  Role role_;
  std::string namespace_ = "default";
  std::unique_ptr<Transaction> transaction_;
  bool aborted_ = false;
  std::map<std::string, std::string> settings_;
  std::map<std::string, std::shared_ptr<sql::Statement>> named_;
  const std::vector<std::optional<DataType>>* parameter_types_override_ = nullptr;
  // SET statement_mem / statement_timeout; nullopt: the database's default.
  std::optional<size_t> statement_mem_;
  std::optional<std::chrono::milliseconds> statement_timeout_;
  // The statement running now: running_local_ for this session's thread, running_ (under
  // running_mu_) for Cancel() from any thread. Both point at a RunningStatement on the
  // running thread's stack, unpublished before it is destroyed.
  RunningStatement* running_local_ = nullptr;
  std::mutex running_mu_;
  RunningStatement* running_ = nullptr;
};

Session::Session(Database* database, UserId user, Role role)
    : state_(std::make_unique<SessionState>(database, std::move(user), role)) {}

Session::~Session() = default;

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

Result<QueryResult> Session::Execute(std::string_view sql, const std::vector<Value>& params) {
  TDB_RETURN_IF_ERROR(CheckTextParameters(params));
  TDB_ASSIGN_OR_RETURN(std::vector<sql::StatementPtr> statements, sql::Parse(sql));
  QueryResult last;
  for (const auto& stmt : statements) {
    TDB_ASSIGN_OR_RETURN(last, state_->Run(*stmt, params));
  }
  return last;
}

Result<std::vector<QueryResult>> Session::ExecuteScript(std::string_view sql) {
  TDB_ASSIGN_OR_RETURN(std::vector<sql::StatementPtr> statements, sql::Parse(sql));
  std::vector<QueryResult> results;
  for (const auto& stmt : statements) {
    TDB_ASSIGN_OR_RETURN(QueryResult r, state_->Run(*stmt, {}));
    results.push_back(std::move(r));
  }
  return results;
}

Result<std::unique_ptr<PreparedStatement>> Session::Prepare(std::string_view sql) {
  TDB_ASSIGN_OR_RETURN(sql::StatementPtr stmt, sql::ParseStatement(sql));
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<PreparedImpl> prepared,
                       state_->Prepare(std::shared_ptr<sql::Statement>(std::move(stmt))));
  return std::unique_ptr<PreparedStatement>(std::move(prepared));
}

Result<QueryResult> Session::ExecutePrepared(const PreparedStatement& statement,
                                             const std::vector<Value>& params) {
  TDB_RETURN_IF_ERROR(CheckTextParameters(params));
  return state_->RunPrepared(static_cast<const PreparedImpl&>(statement), params);
}

const UserId& Session::user() const {
  return state_->user();
}
Role Session::role() const {
  return state_->role();
}
const std::string& Session::current_namespace() const {
  return state_->current_namespace();
}
bool Session::in_transaction() const {
  return state_->in_transaction();
}
void Session::Cancel() {
  state_->Cancel();
}

}  // namespace tenantdb
