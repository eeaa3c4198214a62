// SessionState::BindLive: a SELECT bound for a live query (engine/live_query.cc) as the
// session's user, with the same context, privileges and parameter typing as a SELECT.
#include "engine/statement_handlers/session_state.h"

namespace tenantdb {

Result<EngineSession::LiveBinding> SessionState::BindLive(
    std::shared_ptr<const sql::Statement> stmt, const std::vector<Value>& params) {
  if (stmt->kind != sql::StatementKind::kSelect) {
    return Status(ErrorCode::kFeatureNotSupported, "a live query must be a SELECT");
  }
  sql::ExecContext ctx = MakeContext(nullptr, user_, role_);
  std::vector<std::optional<DataType>> types = ParameterTypes(params, nullptr);
  sql::Binder binder(BindContextFor(ctx, &types));
  TDB_ASSIGN_OR_RETURN(sql::PlanPtr plan,
                       binder.BindQuery(static_cast<const sql::SelectStmt&>(*stmt)));
  EngineSession::LiveBinding out;
  out.engine = db_;
  out.statement = std::move(stmt);
  out.plan = std::shared_ptr<const sql::PlanNode>(std::move(plan));
  out.user = user_;
  out.role = role_;
  return out;
}

}  // namespace tenantdb
