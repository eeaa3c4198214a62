// Prepared statements: the API's Prepare() / OpenPrepared() and SQL's PREPARE, EXECUTE
// and DEALLOCATE. A statement is bound once, at PREPARE: its parameters' number and types
// come from the binder (declared types as given, the rest inferred from context), and the
// plan of a SELECT, INSERT, UPDATE or DELETE is kept and reused while it is valid (see
// PreparedImpl). EXPLAIN and EXECUTE AS USER are bound for their parameter types only and
// bound again when they run. Wrong argument counts fail as PostgreSQL's do: EXECUTE with
// syntax_error (42601), a protocol-level open (Bind) with invalid_request (08P01).
#include "engine/statement_handlers/session_state.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/optimizer/optimizer.h"

namespace tenantdb {

using sql::QueryResult;

namespace {

bool IsPlanned(sql::StatementKind kind) {
  using K = sql::StatementKind;
  return kind == K::kSelect || kind == K::kInsert || kind == K::kUpdate || kind == K::kDelete;
}

Result<sql::PlanPtr> Plan(sql::Binder& binder, const sql::Statement& stmt) {
  if (stmt.kind == sql::StatementKind::kSelect) {
    return sql::PlanSelect(binder, static_cast<const sql::SelectStmt&>(stmt));
  }
  return sql::PlanWrite(binder, stmt);
}

// Whether `params` may run `prepared`'s write plan. A write's plan is typed by its
// parameters; values of other types bind the statement again with their own types, as an
// unprepared statement is bound: a string given for a BIGINT column stays TEXT (and fails
// with type_mismatch unless the SQL casts it), which the HTTP API documents and pins. A
// SELECT's values are cast to its parameters' types.
bool ValuesFit(const PreparedImpl& prepared, const std::vector<Value>& params) {
  if (prepared.statement->kind == sql::StatementKind::kSelect) return true;
  for (size_t i = 0; i < params.size(); ++i) {
    const std::optional<DataType>& type = prepared.parameter_types[i];
    if (!params[i].is_null() && type.has_value() && params[i].type() != *type) return false;
  }
  return true;
}

}  // namespace

Result<std::unique_ptr<PreparedImpl>> SessionState::Prepare(
    std::shared_ptr<const sql::Statement> stmt, std::vector<std::optional<DataType>> declared) {
  CloseOpen();
  auto prepared = std::make_unique<PreparedImpl>();
  prepared->statement = std::move(stmt);
  prepared->parameter_types = std::move(declared);
  // The statement whose parameters the binder types, and who it runs as.
  const sql::Statement* bound = prepared->statement.get();
  UserId user = user_;
  Role role = role_;
  if (bound->kind == sql::StatementKind::kExplain) {
    bound = static_cast<const sql::ExplainStmt&>(*bound).statement.get();
  } else if (bound->kind == sql::StatementKind::kExecuteAsUser) {
    const auto& as = static_cast<const sql::ExecuteAsUserStmt&>(*bound);
    TDB_ASSIGN_OR_RETURN(auto target, ActAs(as, user_, role_));
    user = std::move(target.first);
    role = target.second;
    bound = as.statement.get();
  }
  if (!IsPlanned(bound->kind)) return prepared;
  // Read before binding: DDL racing with the bind leaves the plan stale, never wrong.
  const uint64_t epoch = db_->schema_epoch();
  // A statement of the session's own is bound once for every session that prepares it
  // with the same declared types (the PlanCache key of OpenSelectCached, whose count of
  // types keeps it apart from the keys of values, except with no parameters at all, where
  // both bind alike): the HTTP API prepares per request.
  const bool own = bound == prepared->statement.get();
  std::string key;
  if (own) {
    key = PlanCache::Key(bound, role_, namespace_, prepared->parameter_types);
    if (std::shared_ptr<const PlanCache::Plan> hit = db_->plan_cache().Find(key, epoch)) {
      prepared->plan = hit->plan;
      prepared->parameter_types = hit->parameter_types;
      prepared->epoch = hit->epoch;
      prepared->namespace_at_bind = namespace_;
      return prepared;
    }
  }
  sql::ExecContext ctx = MakeContext(nullptr, user, role);
  sql::Binder binder(BindContextFor(ctx, &prepared->parameter_types));
  TDB_ASSIGN_OR_RETURN(sql::PlanPtr plan, Plan(binder, *bound));
  if (own) {
    prepared->plan = std::shared_ptr<const sql::PlanNode>(std::move(plan));
    prepared->epoch = epoch;
    prepared->namespace_at_bind = namespace_;
    auto cached = std::make_shared<PlanCache::Plan>();
    cached->statement = prepared->statement;
    cached->plan = prepared->plan;
    cached->parameter_types = prepared->parameter_types;
    cached->epoch = epoch;
    db_->plan_cache().Insert(std::move(key), std::move(cached));
  }
  return prepared;
}

Status SessionState::Refresh(const PreparedImpl& prepared) {
  if (prepared.plan == nullptr ||
      (prepared.epoch == db_->schema_epoch() && prepared.namespace_at_bind == namespace_)) {
    return Status::Ok();
  }
  const uint64_t epoch = db_->schema_epoch();
  // Every type is known since the first binding, so binding again keeps them.
  std::vector<std::optional<DataType>> types = prepared.parameter_types;
  sql::ExecContext ctx = MakeContext(nullptr, user_, role_);
  sql::Binder binder(BindContextFor(ctx, &types));
  Result<sql::PlanPtr> plan = Plan(binder, *prepared.statement);
  if (!plan.ok()) {
    if (transaction_) aborted_ = true;  // as any failed statement does
    return plan.status();
  }
  prepared.plan = std::shared_ptr<const sql::PlanNode>(std::move(*plan));
  prepared.epoch = epoch;
  prepared.namespace_at_bind = namespace_;
  return Status::Ok();
}

bool SessionState::PlanValid(const PreparedImpl& prepared, const UserId& user, Role role) const {
  // A plan holds what was resolved as the preparing user (CURRENT_USER, privileges) in
  // the namespace of the time, against the tables of the time.
  return prepared.plan != nullptr && prepared.epoch == db_->schema_epoch() &&
         prepared.namespace_at_bind == namespace_ && user == user_ && role == role_;
}

Result<std::unique_ptr<EngineStatement>> SessionState::OpenPrepared(
    const PreparedImpl& prepared, const std::vector<Value>& params) {
  if (params.size() != prepared.num_parameters()) {
    return Status(ErrorCode::kInvalidRequest,
                  std::to_string(params.size()) + " parameter value(s) given, but the prepared " +
                      "statement takes " + std::to_string(prepared.num_parameters()));
  }
  CloseOpen();
  if (!ValuesFit(prepared, params)) return Open(prepared.statement, params);
  TDB_RETURN_IF_ERROR(Refresh(prepared));
  if (PlanValid(prepared, user_, role_) &&
      prepared.statement->kind == sql::StatementKind::kSelect) {
    TDB_ASSIGN_OR_RETURN(std::unique_ptr<EngineStatement> statement,
                         OpenSelect(nullptr, prepared.plan, prepared.statement, params,
                                    &prepared.parameter_types, user_, role_));
    return Register(std::move(statement));
  }
  if (PlanValid(prepared, user_, role_)) {
    TDB_RETURN_IF_ERROR(CheckWritable(*prepared.statement));
    TDB_ASSIGN_OR_RETURN(QueryResult result, Guarded([&] {
                           return RunWritePlan(*prepared.plan, params, prepared.parameter_types);
                         }));
    return Register(EngineStatement::Materialized(std::move(result)));
  }
  // Statements without a kept plan (EXPLAIN, EXECUTE AS USER, utility statements) run
  // as parsed, their parameters typed as prepared.
  parameter_types_override_ = &prepared.parameter_types;
  auto statement = Open(prepared.statement, params);
  parameter_types_override_ = nullptr;
  return statement;
}

Result<QueryResult> SessionState::PrepareNamed(const sql::PrepareStmt& prepare) {
  if (named_.contains(prepare.name)) {
    return Status(ErrorCode::kAlreadyExists,
                  "prepared statement \"" + prepare.name + "\" already exists");
  }
  std::vector<std::optional<DataType>> declared;
  for (const sql::TypeName& t : prepare.parameter_types) {
    TDB_ASSIGN_OR_RETURN(DataType type, sql::ResolveTypeName(t));
    declared.push_back(type);
  }
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<PreparedImpl> prepared,
                       Prepare(prepare.statement, std::move(declared)));
  named_[prepare.name] = std::shared_ptr<const PreparedImpl>(std::move(prepared));
  return Tag("PREPARE");
}

Result<QueryResult> SessionState::Deallocate(const sql::DeallocateStmt& deallocate) {
  if (deallocate.name.empty()) {
    named_.clear();
  } else if (named_.erase(deallocate.name) == 0) {
    return Status(ErrorCode::kNotFound,
                  "prepared statement \"" + deallocate.name + "\" does not exist");
  }
  return Tag("DEALLOCATE");
}

Result<QueryResult> SessionState::ExecuteNamed(const sql::ExecuteStmt& execute, const UserId& user,
                                               Role role) {
  auto it = named_.find(execute.name);
  if (it == named_.end()) {
    return Status(ErrorCode::kNotFound,
                  "prepared statement \"" + execute.name + "\" does not exist");
  }
  // Kept alive while it runs, even if the statement deallocates it.
  const std::shared_ptr<const PreparedImpl> prepared = it->second;
  const size_t expected = prepared->num_parameters();
  if (execute.parameters.size() != expected) {
    return Status(ErrorCode::kSyntaxError, "wrong number of parameters for prepared statement \"" +
                                               execute.name + "\": expected " +
                                               std::to_string(expected) + ", got " +
                                               std::to_string(execute.parameters.size()));
  }
  // The arguments are evaluated as constants; the plan casts each to its parameter's type
  // (an untyped literal such as '2024-01-31' parses as that type).
  std::vector<Value> values;
  sql::ExecContext ctx = MakeContext(nullptr, user, role);
  std::vector<std::optional<DataType>> none;
  sql::Binder binder(BindContextFor(ctx, &none));
  for (const auto& p : execute.parameters) {
    TDB_ASSIGN_OR_RETURN(sql::BoundExprPtr e, binder.BindRowExpr(*p, {}));
    TDB_ASSIGN_OR_RETURN(Value v, sql::EvaluateConstant(*e, ctx));
    values.push_back(std::move(v));
  }
  if (user == user_ && role == role_) TDB_RETURN_IF_ERROR(Refresh(*prepared));
  if (PlanValid(*prepared, user, role)) {
    if (prepared->statement->kind == sql::StatementKind::kSelect) {
      TDB_ASSIGN_OR_RETURN(std::unique_ptr<EngineStatement> select,
                           OpenSelect(nullptr, prepared->plan, prepared->statement, values,
                                      &prepared->parameter_types, user, role));
      return DrainStatement(*select);
    }
    TDB_RETURN_IF_ERROR(CheckWritable(*prepared->statement));
    return RunWritePlan(*prepared->plan, values, prepared->parameter_types);
  }
  parameter_types_override_ = &prepared->parameter_types;
  auto result = RunAs(*prepared->statement, values, user, role);
  parameter_types_override_ = nullptr;
  return result;
}

}  // namespace tenantdb
