#include "engine/engine_session.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <mutex>

#include "catalog/namespace_alias.h"
#include "common/utf8.h"
#include "engine/ddl_executor.h"
#include "engine/engine.h"
#include "engine/session_settings.h"
#include "sql/exec/dml_executor.h"
#include "sql/exec/executor.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/exec/memory_estimate.h"
#include "sql/function/cast.h"
#include "sql/optimizer/optimizer.h"
#include "sql/parser/parser.h"
#include "sql/planner/binder.h"
#include "tables/transaction.h"

namespace tenantdb {

using sql::QueryResult;

namespace {

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
class PreparedImpl final : public EnginePreparedStatement {
 public:
  // A SELECT's from its binding; other statements' from their highest $n.
  size_t num_parameters() const override {
    return std::max(parameter_types.size(), CountParameters(statement->ToString()));
  }

  std::shared_ptr<sql::Statement> statement;
  std::shared_ptr<const sql::PlanNode> plan;  // SELECT only
  std::vector<std::optional<DataType>> parameter_types;
  uint64_t epoch = 0;
  std::string namespace_at_bind;
};

// What one top-level statement runs with: its stop signal and its memory budget (a child
// of the engine's global tracker). Shared: a streamed SELECT's lives as long as its
// stream, and Cancel() may reach it from another thread meanwhile.
// Counted in Engine::running_statements() for as long as it lives.
struct RunningStatement {
  RunningStatement(Engine* db, size_t limit, std::chrono::milliseconds timeout)
      : db(db),
        memory("statement_mem", limit, &db->memory(),
               "raise it with SET statement_mem = '" +
                   FormatMemorySetting(std::min(limit, SIZE_MAX / 2) * 2) +
                   "' or the database option statement_mem") {
    cancel.SetTimeout(timeout, db->clock());
    db->StatementStarted();
  }
  ~RunningStatement() { db->StatementEnded(); }
  RunningStatement(const RunningStatement&) = delete;
  RunningStatement& operator=(const RunningStatement&) = delete;
  Engine* const db;
  CancelToken cancel;
  MemoryTracker memory;
};

// What a streamed SELECT owns while its cursor is open: everything the operator tree
// points into. Members are destroyed bottom-up, so the tree goes before its context,
// plan and transaction.
class SelectStream final : public EngineStatement::Stream {
 public:
  explicit SelectStream(Engine* db, UserId user) : db_(db), user_(std::move(user)) {}

  Result<std::optional<Batch>> Next() override { return root_->Next(); }
  std::shared_ptr<MemoryTracker> memory() const override {
    return std::shared_ptr<MemoryTracker>(running_, &running_->memory);
  }

  Status Finish() override {
    root_.reset();
    if (local_ && !local_->empty()) {
      const auto counts = local_->WriteCounts();
      TDB_RETURN_IF_ERROR(local_->Commit(&db_->tables()));
      for (const auto& [table, n] : counts)
        db_->flush_scheduler().RecordWrites(*table, n);
    }
    return Status::Ok();
  }

  Engine* db_;
  UserId user_;
  // The statement's token and tracker: before everything that charges it, so it is
  // destroyed after them.
  std::shared_ptr<RunningStatement> running_;
  std::shared_ptr<const sql::Statement> statement_;  // the AST the plan was bound from
  std::unique_ptr<Transaction> local_;               // autocommit only
  std::vector<std::optional<DataType>> parameter_types_;
  std::unique_ptr<sql::ExecContext> ctx_;
  std::unique_ptr<sql::Binder> binder_;
  std::shared_ptr<const sql::PlanNode> plan_;
  sql::OperatorPtr root_;
};

// Reads `statement` to its end into one QueryResult.
// What it holds is charged to the statement's statement_mem while it reads, so a huge
// result fails with out_of_memory instead of exhausting the machine.
Result<QueryResult> DrainStatement(EngineStatement& statement) {
  QueryResult result;
  result.schema = statement.schema();
  const std::shared_ptr<MemoryTracker> budget = statement.memory();  // outlives `held`
  MemoryReservation held(budget != nullptr ? budget.get() : &MemoryTracker::Unlimited());
  while (true) {
    TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, statement.Next());
    if (!batch.has_value()) break;
    if (Status charged = held.Grow(sql::BatchBytes(*batch)); !charged.ok()) {
      statement.Abort(charged);
      return charged;
    }
    result.batches.push_back(std::move(*batch));
  }
  result.command_tag = statement.command_tag();
  result.rows_affected = statement.rows_affected();
  return result;
}

}  // namespace

// Everything an EngineSession holds; see engine_session.h.
class SessionState {
 public:
  SessionState(Engine* db, UserId user, Role role) : db_(db), user_(std::move(user)), role_(role) {}

  Result<QueryResult> Run(const sql::Statement& stmt, const std::vector<Value>& params) {
    return Guarded([&] { return RunAs(stmt, params, user_, role_); });
  }

  ~SessionState() { CloseOpen(); }

  // Closes the session's open statement, if any (see engine_session.h).
  void CloseOpen() {
    if (open_ != nullptr) open_->Close();
  }

  // The top-level entry point: a SELECT streams, everything else runs here.
  Result<std::unique_ptr<EngineStatement>> Open(std::shared_ptr<const sql::Statement> stmt,
                                                const std::vector<Value>& params) {
    CloseOpen();
    std::unique_ptr<EngineStatement> statement;
    if (stmt->kind == sql::StatementKind::kSelect) {
      const auto& select = static_cast<const sql::SelectStmt&>(*stmt);
      TDB_ASSIGN_OR_RETURN(statement,
                           OpenSelect(&select, nullptr, stmt, params, nullptr, user_, role_));
    } else {
      TDB_ASSIGN_OR_RETURN(QueryResult result, Run(*stmt, params));
      statement = EngineStatement::Materialized(std::move(result));
    }
    return Register(std::move(statement));
  }

  Result<std::unique_ptr<EngineStatement>> OpenPrepared(const PreparedImpl& prepared,
                                                        const std::vector<Value>& params) {
    if (prepared.plan && prepared.epoch == db_->schema_epoch() &&
        prepared.namespace_at_bind == namespace_) {
      CloseOpen();
      TDB_ASSIGN_OR_RETURN(std::unique_ptr<EngineStatement> statement,
                           OpenSelect(nullptr, prepared.plan, prepared.statement, params,
                                      &prepared.parameter_types, user_, role_));
      return Register(std::move(statement));
    }
    return Open(prepared.statement, params);
  }

  void Cancel() {
    std::lock_guard<std::mutex> lock(running_mu_);
    if (running_ != nullptr) running_->cancel.Cancel();
  }

  Result<std::unique_ptr<PreparedImpl>> Prepare(std::shared_ptr<sql::Statement> stmt) {
    CloseOpen();
    auto prepared = std::make_unique<PreparedImpl>();
    prepared->statement = std::move(stmt);
    if (prepared->statement->kind == sql::StatementKind::kSelect) {
      sql::ExecContext ctx = MakeContext(nullptr, user_, role_);
      sql::Binder binder(BindContextFor(ctx, &prepared->parameter_types));
      TDB_ASSIGN_OR_RETURN(
          sql::PlanPtr plan,
          sql::PlanSelect(binder, static_cast<const sql::SelectStmt&>(*prepared->statement)));
      prepared->plan = std::shared_ptr<const sql::PlanNode>(std::move(plan));
      prepared->epoch = db_->schema_epoch();
      prepared->namespace_at_bind = namespace_;
    }
    return prepared;
  }

  const UserId& user() const { return user_; }
  Role role() const { return role_; }
  size_t statement_mem() const { return statement_mem_.value_or(db_->statement_mem()); }
  const std::string& current_namespace() const { return namespace_; }
  bool in_transaction() const { return transaction_ != nullptr; }

 private:
  std::chrono::milliseconds statement_timeout() const {
    return statement_timeout_.value_or(db_->statement_timeout());
  }

  // Runs `body` as one statement: a fresh token and tracker, published for Cancel()
  // while it runs. Statements nested inside one (EXECUTE, SHOW TABLES' query) share it.
  template <typename Fn>
  Result<QueryResult> Guarded(Fn&& body) {
    if (running_local_ != nullptr) return body();
    std::shared_ptr<RunningStatement> statement = StartStatement();
    Result<QueryResult> result = body();
    running_local_.reset();
    EndStatement(statement);
    return result;
  }

  // A fresh token and tracker for a top-level statement, published for Cancel() and for
  // MakeContext on this thread.
  std::shared_ptr<RunningStatement> StartStatement() {
    auto statement = std::make_shared<RunningStatement>(db_, statement_mem(), statement_timeout());
    {
      std::lock_guard<std::mutex> lock(running_mu_);
      running_ = statement;
    }
    running_local_ = statement;
    return statement;
  }
  void EndStatement(const std::shared_ptr<RunningStatement>& statement) {
    std::lock_guard<std::mutex> lock(running_mu_);
    if (running_ == statement) running_.reset();
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
    ctx.function.now_micros = db_->clock().NowUnixMicros();
    ctx.function.clock = &db_->clock();
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

  // Opens a SELECT as a stream: binds `select` (or takes the prepared `plan`) and builds
  // its operator tree, which runs only as the statement is read. The stream owns what the
  // read needs: the autocommit transaction (or uses the session's open one), the context,
  // the plan and the AST (`keep`).
  Result<std::unique_ptr<EngineStatement>> OpenSelect(
      const sql::SelectStmt* select, std::shared_ptr<const sql::PlanNode> plan,
      std::shared_ptr<const sql::Statement> keep, const std::vector<Value>& params,
      const std::vector<std::optional<DataType>>* fixed_types, const UserId& user, Role role) {
    if (aborted_) return Aborted();
    auto stream = std::make_unique<SelectStream>(db_, user);
    // A top-level SELECT gets its own token and tracker, kept by the stream (and
    // published for Cancel()) until it closes; one nested in a running statement shares
    // that statement's.
    const bool top_level = running_local_ == nullptr;
    stream->running_ = top_level ? StartStatement() : running_local_;
    if (top_level) running_local_.reset();
    stream->statement_ = std::move(keep);
    if (!transaction_) stream->local_ = std::make_unique<Transaction>();
    Transaction* txn = transaction_ ? transaction_.get() : stream->local_.get();
    stream->ctx_ = std::make_unique<sql::ExecContext>(MakeContext(txn, stream->user_, role));
    stream->ctx_->cancel = &stream->running_->cancel;
    stream->ctx_->memory = &stream->running_->memory;
    if (fixed_types == nullptr) fixed_types = parameter_types_override_;
    if (fixed_types != nullptr) {
      stream->parameter_types_ = *fixed_types;
    } else {
      for (const Value& v : params) {
        stream->parameter_types_.push_back(v.is_null() ? std::nullopt
                                                       : std::optional<DataType>(v.type()));
      }
    }
    // The evaluator casts each parameter to the type the binder gave it.
    stream->ctx_->parameters = params;
    Status status = [&]() -> Status {
      if (!plan) {
        stream->binder_ =
            std::make_unique<sql::Binder>(BindContextFor(*stream->ctx_, &stream->parameter_types_));
        TDB_ASSIGN_OR_RETURN(sql::PlanPtr bound, sql::PlanSelect(*stream->binder_, *select));
        plan = std::shared_ptr<const sql::PlanNode>(std::move(bound));
      }
      stream->plan_ = plan;
      TDB_ASSIGN_OR_RETURN(stream->root_, sql::BuildOperator(*plan, *stream->ctx_));
      return Status::Ok();
    }();
    std::shared_ptr<RunningStatement> running = stream->running_;
    if (!status.ok()) {
      if (top_level) EndStatement(running);
      if (transaction_) aborted_ = true;
      return status;
    }
    auto statement = EngineStatement::Streamed(plan->schema, std::move(stream));
    EngineStatement* raw = statement.get();
    // An error while reading fails the explicit transaction, as any failed statement does.
    statement->set_on_close([this, raw, running, top_level](const Status& closed) {
      if (open_ == raw) open_ = nullptr;
      if (top_level) EndStatement(running);
      if (!closed.ok() && transaction_) aborted_ = true;
    });
    return statement;
  }

  // Makes `statement` the session's open one (closed by the next statement or the
  // session's end).
  std::unique_ptr<EngineStatement> Register(std::unique_ptr<EngineStatement> statement) {
    EngineStatement* raw = statement.get();
    if (!raw->closed()) {
      open_ = raw;
      if (!raw->has_on_close()) {
        raw->set_on_close([this, raw](const Status&) {
          if (open_ == raw) open_ = nullptr;
        });
      }
    }
    return statement;
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
      case K::kSelect: {
        // The same stream a cursor reads, drained (one execution path).
        TDB_ASSIGN_OR_RETURN(std::unique_ptr<EngineStatement> select,
                             OpenSelect(&static_cast<const sql::SelectStmt&>(stmt), nullptr,
                                        nullptr, params, nullptr, user, role));
        return DrainStatement(*select);
      }
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
                  sql::PlanSelect(binder, static_cast<const sql::SelectStmt&>(*explain.statement)));
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
        const std::string ns = CanonicalNamespace(use.namespace_name);
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
        const std::string ns = CanonicalNamespace(show.namespace_name.value_or(namespace_));
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
        named_[prepare.name] = prepare.statement;
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
      DdlContext ddl{db_, role, namespace_, &binder, user};
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

  Engine* db_;
  UserId user_;
  Role role_;
  std::string namespace_ = "default";
  std::unique_ptr<Transaction> transaction_;
  bool aborted_ = false;
  std::map<std::string, std::string> settings_;
  std::map<std::string, std::shared_ptr<sql::Statement>> named_;
  const std::vector<std::optional<DataType>>* parameter_types_override_ = nullptr;
  EngineStatement* open_ = nullptr;  // the open statement, not owned (see CloseOpen)
  // SET statement_mem / statement_timeout; nullopt: the engine's default.
  std::optional<size_t> statement_mem_;
  std::optional<std::chrono::milliseconds> statement_timeout_;
  // The statement running now: running_local_ for this session's thread, running_ (under
  // running_mu_) for Cancel() from any thread. A streamed SELECT's stays published (and
  // owned by its stream too) until the stream closes.
  std::shared_ptr<RunningStatement> running_local_;
  std::mutex running_mu_;
  std::shared_ptr<RunningStatement> running_;
};

EngineSession::EngineSession(Engine* database, UserId user, Role role)
    : state_(std::make_unique<SessionState>(database, std::move(user), role)) {}

EngineSession::~EngineSession() = default;

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

Result<QueryResult> EngineSession::Execute(std::string_view sql, const std::vector<Value>& params) {
  TDB_RETURN_IF_ERROR(CheckTextParameters(params));
  TDB_ASSIGN_OR_RETURN(std::vector<sql::StatementPtr> statements, sql::Parse(sql));
  QueryResult last;
  for (auto& stmt : statements) {
    TDB_ASSIGN_OR_RETURN(
        std::unique_ptr<EngineStatement> statement,
        state_->Open(std::shared_ptr<const sql::Statement>(std::move(stmt)), params));
    TDB_ASSIGN_OR_RETURN(last, DrainStatement(*statement));
  }
  return last;
}

Result<std::vector<QueryResult>> EngineSession::ExecuteScript(std::string_view sql) {
  TDB_ASSIGN_OR_RETURN(std::vector<sql::StatementPtr> statements, sql::Parse(sql));
  std::vector<QueryResult> results;
  for (auto& stmt : statements) {
    TDB_ASSIGN_OR_RETURN(std::unique_ptr<EngineStatement> statement,
                         state_->Open(std::shared_ptr<const sql::Statement>(std::move(stmt)), {}));
    TDB_ASSIGN_OR_RETURN(QueryResult r, DrainStatement(*statement));
    results.push_back(std::move(r));
  }
  return results;
}

Result<std::unique_ptr<EngineStatement>> EngineSession::Open(std::string_view sql,
                                                             const std::vector<Value>& params) {
  TDB_RETURN_IF_ERROR(CheckTextParameters(params));
  TDB_ASSIGN_OR_RETURN(std::vector<sql::StatementPtr> statements, sql::Parse(sql));
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
  return state_->Open(std::shared_ptr<const sql::Statement>(std::move(statements[0])), params);
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
  TDB_ASSIGN_OR_RETURN(sql::StatementPtr stmt, sql::ParseStatement(sql));
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<PreparedImpl> prepared,
                       state_->Prepare(std::shared_ptr<sql::Statement>(std::move(stmt))));
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

}  // namespace tenantdb
