// SELECT and EXPLAIN. A SELECT run here (nested: EXECUTE, SHOW TABLES, a script's
// statement) is the same stream a cursor reads, drained: one execution path. EXPLAIN
// binds and optimizes a SELECT, INSERT, UPDATE or DELETE and prints its plan, one node a
// row; it runs nothing.
#include "engine/statement_handlers/session_state.h"
#include "sql/optimizer/optimizer.h"

namespace tenantdb {

using sql::QueryResult;

Result<QueryResult> SessionState::RunSelect(const sql::SelectStmt& select,
                                            const std::vector<Value>& params, const UserId& user,
                                            Role role) {
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<EngineStatement> statement,
                       OpenSelect(&select, nullptr, nullptr, params, nullptr, user, role));
  return DrainStatement(*statement);
}

Result<QueryResult> SessionState::Explain(const sql::ExplainStmt& explain,
                                          const std::vector<Value>& params, const UserId& user,
                                          Role role) {
  using K = sql::StatementKind;
  const sql::Statement& inner = *explain.statement;
  if (inner.kind != K::kSelect && inner.kind != K::kInsert && inner.kind != K::kUpdate &&
      inner.kind != K::kDelete) {
    return Status(ErrorCode::kFeatureNotSupported,
                  "EXPLAIN supports SELECT, INSERT, UPDATE and DELETE statements");
  }
  return RunData(
      [&](sql::Binder& binder, sql::ExecContext&) -> Result<QueryResult> {
        sql::PlanPtr plan;
        if (inner.kind == K::kSelect) {
          TDB_ASSIGN_OR_RETURN(plan,
                               sql::PlanSelect(binder, static_cast<const sql::SelectStmt&>(inner)));
        } else {
          TDB_ASSIGN_OR_RETURN(plan, sql::PlanWrite(binder, inner));
        }
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

}  // namespace tenantdb
