// The statement lifecycle of a session: opening a statement (a SELECT streams, the rest
// runs materialized), the RunningStatement each top-level statement gets (cancel token,
// memory tracker), and running reads and writes in the session's transaction or an
// autocommit one. See session_state.h.
#include "engine/statement_handlers/session_state.h"

#include <algorithm>

#include "engine/session_settings.h"
#include "sql/exec/memory_estimate.h"
#include "sql/optimizer/optimizer.h"
#include "sql/parser/parser.h"

namespace tenantdb {

using sql::QueryResult;

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

RunningStatement::RunningStatement(Engine* db, size_t limit, std::chrono::milliseconds timeout)
    : db(db),
      memory("statement_mem", limit, &db->memory(),
             "raise it with SET statement_mem = '" +
                 FormatMemorySetting(std::min(limit, SIZE_MAX / 2) * 2) +
                 "' or the database option statement_mem") {
  cancel.SetTimeout(timeout, db->clock());
  db->StatementStarted();
}

RunningStatement::~RunningStatement() {
  db->StatementEnded();
}

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
  result.notices = statement.notices();
  return result;
}

namespace {

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

}  // namespace

SessionState::SessionState(Engine* db, UserId user, Role role)
    : db_(db), user_(std::move(user)), role_(role) {}

SessionState::~SessionState() {
  CloseOpen();
}

void SessionState::CloseOpen() {
  if (open_ != nullptr) open_->Close();
}

Result<QueryResult> SessionState::Run(const sql::Statement& stmt,
                                      const std::vector<Value>& params) {
  return Guarded([&] { return RunAs(stmt, params, user_, role_); });
}

Result<std::unique_ptr<EngineStatement>> SessionState::Open(
    std::shared_ptr<const sql::Statement> stmt, const std::vector<Value>& params) {
  CloseOpen();
  std::unique_ptr<EngineStatement> statement;
  if (stmt->kind == sql::StatementKind::kSelect) {
    TDB_ASSIGN_OR_RETURN(statement, OpenSelectCached(stmt, params));
  } else if (stmt->kind == sql::StatementKind::kCopy) {
    TDB_ASSIGN_OR_RETURN(statement, OpenCopy(stmt, params));
  } else if ((stmt->kind == sql::StatementKind::kInsert ||
              stmt->kind == sql::StatementKind::kUpdate ||
              stmt->kind == sql::StatementKind::kDelete) &&
             parameter_types_override_ == nullptr) {
    TDB_ASSIGN_OR_RETURN(QueryResult result, RunWriteCached(std::move(stmt), params));
    statement = EngineStatement::Materialized(std::move(result));
  } else {
    TDB_ASSIGN_OR_RETURN(QueryResult result, Run(*stmt, params));
    statement = EngineStatement::Materialized(std::move(result));
  }
  return Register(std::move(statement));
}

void SessionState::Cancel() {
  std::lock_guard<std::mutex> lock(running_mu_);
  if (running_ != nullptr) running_->cancel.Cancel();
}

Result<QueryResult> SessionState::Guarded(const std::function<Result<QueryResult>()>& body) {
  if (running_local_ != nullptr) return body();
  std::shared_ptr<RunningStatement> statement = StartStatement();
  Result<QueryResult> result = body();
  running_local_.reset();
  EndStatement(statement);
  return result;
}

std::shared_ptr<RunningStatement> SessionState::StartStatement() {
  auto statement = std::make_shared<RunningStatement>(db_, statement_mem(), statement_timeout());
  {
    std::lock_guard<std::mutex> lock(running_mu_);
    running_ = statement;
  }
  running_local_ = statement;
  return statement;
}

void SessionState::EndStatement(const std::shared_ptr<RunningStatement>& statement) {
  std::lock_guard<std::mutex> lock(running_mu_);
  if (running_ == statement) running_.reset();
}

Status SessionState::Aborted() const {
  return Status(ErrorCode::kInvalidTransactionState,
                "current transaction is aborted, commands ignored until end of transaction "
                "block; run ROLLBACK");
}

sql::BindContext SessionState::BindContextFor(
    const sql::ExecContext& ctx, std::vector<std::optional<DataType>>* parameter_types) {
  sql::BindContext bind;
  bind.cache = &db_->cache();
  bind.current_namespace = namespace_;
  bind.current_user = std::string(ctx.function.current_user);
  bind.request = &ctx.request;
  bind.parameter_types = parameter_types;
  bind.defaults = &db_->column_defaults();
  bind.views = &db_->views();
  bind.names = &db_->relation_names();
  bind.indexes = &db_->tables().hot().indexes();
  bind.checks = &db_->checks();
  return bind;
}

std::vector<std::optional<DataType>> SessionState::ParameterTypes(
    const std::vector<Value>& params, const std::vector<std::optional<DataType>>* fixed) const {
  if (fixed == nullptr) fixed = parameter_types_override_;
  if (fixed != nullptr) return *fixed;
  std::vector<std::optional<DataType>> types;
  types.reserve(params.size());
  for (const Value& v : params)
    types.push_back(v.is_null() ? std::nullopt : std::optional<DataType>(v.type()));
  return types;
}

Result<std::unique_ptr<EngineStatement>> SessionState::OpenSelectCached(
    std::shared_ptr<const sql::Statement> stmt, const std::vector<Value>& params) {
  const auto& select = static_cast<const sql::SelectStmt&>(*stmt);
  PlanCache& cache = db_->plan_cache();
  if (parameter_types_override_ != nullptr) {
    return OpenSelect(&select, nullptr, stmt, params, nullptr, user_, role_);
  }
  // Read before binding: DDL racing with the bind leaves the entry stale, never wrong.
  const uint64_t epoch = db_->schema_epoch();
  std::string key = PlanCache::Key(stmt.get(), role_, namespace_, ParameterTypes(params, nullptr));
  if (std::shared_ptr<const PlanCache::Plan> hit = cache.Find(key, epoch)) {
    return OpenSelect(nullptr, hit->plan, hit->statement, params, &hit->parameter_types, user_,
                      role_);
  }
  auto bound = std::make_shared<PlanCache::Plan>();
  TDB_ASSIGN_OR_RETURN(
      std::unique_ptr<EngineStatement> statement,
      OpenSelect(&select, nullptr, stmt, params, nullptr, user_, role_, bound.get()));
  bound->statement = std::move(stmt);
  bound->epoch = epoch;
  cache.Insert(std::move(key), std::move(bound));
  return statement;
}

Result<std::unique_ptr<EngineStatement>> SessionState::OpenSelect(
    const sql::SelectStmt* select, std::shared_ptr<const sql::PlanNode> plan,
    std::shared_ptr<const sql::Statement> keep, const std::vector<Value>& params,
    const std::vector<std::optional<DataType>>* fixed_types, const UserId& user, Role role,
    PlanCache::Plan* bound) {
  if (aborted_) return Aborted();
  auto stream = std::make_unique<SelectStream>(db_, user);
  // A top-level SELECT gets its own token and tracker, kept by the stream (and
  // published for Cancel()) until it closes; one nested in a running statement shares
  // that statement's.
  const bool top_level = running_local_ == nullptr;
  stream->running_ = top_level ? StartStatement() : running_local_;
  if (top_level) running_local_.reset();
  stream->statement_ = std::move(keep);
  if (!transaction_) stream->local_ = std::make_unique<Transaction>(commit_sync_);
  Transaction* txn = transaction_ ? transaction_.get() : stream->local_.get();
  stream->ctx_ = std::make_unique<sql::ExecContext>(MakeContext(txn, stream->user_, role));
  stream->ctx_->cancel = &stream->running_->cancel;
  stream->ctx_->memory = &stream->running_->memory;
  stream->parameter_types_ = ParameterTypes(params, fixed_types);
  // The evaluator casts each parameter to the type the binder gave it.
  stream->ctx_->parameters = params;
  Status status = [&]() -> Status {
    if (!plan) {
      stream->binder_ =
          std::make_unique<sql::Binder>(BindContextFor(*stream->ctx_, &stream->parameter_types_));
      TDB_ASSIGN_OR_RETURN(sql::PlanPtr planned, sql::PlanSelect(*stream->binder_, *select));
      plan = std::shared_ptr<const sql::PlanNode>(std::move(planned));
      if (bound != nullptr) {
        bound->plan = plan;
        bound->parameter_types = stream->parameter_types_;
      }
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

std::unique_ptr<EngineStatement> SessionState::Register(
    std::unique_ptr<EngineStatement> statement) {
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

Result<QueryResult> SessionState::RunData(const DataBody& body, const std::vector<Value>& params,
                                          const std::vector<std::optional<DataType>>* fixed_types,
                                          const UserId& user, Role role) {
  Transaction local(commit_sync_);
  Transaction* txn = transaction_ ? transaction_.get() : &local;
  sql::ExecContext ctx = MakeContext(txn, user, role);
  std::vector<std::optional<DataType>> types = ParameterTypes(params, fixed_types);
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

Result<QueryResult> SessionState::RunText(const std::string& text, const UserId& user, Role role) {
  TDB_ASSIGN_OR_RETURN(sql::StatementPtr stmt, sql::ParseStatement(text));
  return RunAs(*stmt, {}, user, role);
}

}  // namespace tenantdb
