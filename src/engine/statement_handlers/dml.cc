// INSERT, UPDATE and DELETE: bound by the binder into a write plan (sql/planner/
// binder_dml.cc), optimized, and run by its operator (sql/exec/dml_executor.h) inside
// the session's transaction or an autocommit one; a top-level statement's plan is shared
// through the Engine's PlanCache (RunWriteCached). EXECUTE AS USER runs its statement as
// another (less privileged) user.
#include "engine/ddl_executor.h"
#include "engine/statement_handlers/session_state.h"
#include "sql/exec/dml_executor.h"
#include "sql/optimizer/optimizer.h"

namespace tenantdb {

using sql::QueryResult;

Result<QueryResult> SessionState::RunWrite(const sql::Statement& stmt,
                                           const std::vector<Value>& params, const UserId& user,
                                           Role role) {
  sql::DmlOptions options;
  options.check_now = transaction_ != nullptr;
  return RunData(
      [&](sql::Binder& binder, sql::ExecContext& ctx) -> Result<QueryResult> {
        TDB_ASSIGN_OR_RETURN(sql::PlanPtr plan, sql::PlanWrite(binder, stmt));
        return sql::ExecuteWrite(*plan, ctx, options);
      },
      params, nullptr, user, role);
}

Result<QueryResult> SessionState::RunWritePlan(const sql::PlanNode& plan,
                                               const std::vector<Value>& params,
                                               const std::vector<std::optional<DataType>>& types) {
  if (aborted_) return Aborted();
  sql::DmlOptions options;
  options.check_now = transaction_ != nullptr;
  return RunData(
      [&](sql::Binder&, sql::ExecContext& ctx) -> Result<QueryResult> {
        return sql::ExecuteWrite(plan, ctx, options);
      },
      params, &types, user_, role_);
}

Result<QueryResult> SessionState::RunWriteCached(std::shared_ptr<const sql::Statement> stmt,
                                                 const std::vector<Value>& params) {
  return Guarded([&]() -> Result<QueryResult> {
    if (aborted_) return Aborted();
    TDB_RETURN_IF_ERROR(CheckWritable(*stmt));
    PlanCache& cache = db_->plan_cache();
    // Read before binding: DDL racing with the bind leaves the entry stale, never wrong.
    const uint64_t epoch = db_->schema_epoch();
    std::string key =
        PlanCache::Key(stmt.get(), role_, namespace_, ParameterTypes(params, nullptr));
    std::shared_ptr<const PlanCache::Plan> plan = cache.Find(key, epoch);
    if (plan == nullptr) {
      auto bound = std::make_shared<PlanCache::Plan>();
      bound->parameter_types = ParameterTypes(params, nullptr);
      sql::ExecContext ctx = MakeContext(nullptr, user_, role_);
      sql::Binder binder(BindContextFor(ctx, &bound->parameter_types));
      Result<sql::PlanPtr> planned = sql::PlanWrite(binder, *stmt);
      if (!planned.ok()) {
        if (transaction_) aborted_ = true;  // as any failed statement does
        return planned.status();
      }
      bound->plan = std::shared_ptr<const sql::PlanNode>(std::move(*planned));
      bound->statement = std::move(stmt);
      bound->epoch = epoch;
      plan = bound;
      cache.Insert(std::move(key), std::move(bound));
    }
    return RunWritePlan(*plan->plan, params, plan->parameter_types);
  });
}

Result<std::pair<UserId, Role>> SessionState::ActAs(const sql::ExecuteAsUserStmt& stmt,
                                                    const UserId& user, Role role) {
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
  return std::pair<UserId, Role>(std::move(target), same ? role : target_role);
}

Result<QueryResult> SessionState::ExecuteAs(const sql::ExecuteAsUserStmt& stmt,
                                            const std::vector<Value>& params, const UserId& user,
                                            Role role) {
  TDB_ASSIGN_OR_RETURN(auto as, ActAs(stmt, user, role));
  return RunAs(*stmt.statement, params, as.first, as.second);
}

}  // namespace tenantdb
