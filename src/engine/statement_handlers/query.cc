// SELECT and EXPLAIN. A SELECT run here (nested: EXECUTE, SHOW TABLES, a script's
// statement) is the same stream a cursor reads, drained: one execution path. EXPLAIN
// binds and optimizes a SELECT, INSERT, UPDATE or DELETE and prints its plan, one node a
// row; it runs nothing. EXPLAIN ANALYZE of a SELECT runs it, discarding its rows, and
// adds to every node what its operator did (sql/exec/operator_stats.h) and, last, the
// execution time.
#include <chrono>
#include <cstdio>

#include "engine/statement_handlers/session_state.h"
#include "sql/exec/executor.h"
#include "sql/exec/operator_stats.h"
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
  if (explain.analyze && inner.kind != K::kSelect) {
    return Status(ErrorCode::kFeatureNotSupported,
                  "EXPLAIN ANALYZE runs SELECT statements only; EXPLAIN (without ANALYZE) "
                  "shows the plan of an INSERT, UPDATE or DELETE");
  }
  return RunData(
      [&](sql::Binder& binder, sql::ExecContext& ctx) -> Result<QueryResult> {
        sql::PlanPtr plan;
        if (inner.kind == K::kSelect) {
          TDB_ASSIGN_OR_RETURN(plan,
                               sql::PlanSelect(binder, static_cast<const sql::SelectStmt&>(inner)));
        } else {
          TDB_ASSIGN_OR_RETURN(plan, sql::PlanWrite(binder, inner));
        }
        std::vector<std::vector<std::string>> rows;
        sql::OperatorStats stats;
        std::string execution_time;
        if (explain.analyze) {
          // Runs the plan as a cursor would, dropping the rows.
          const auto start = std::chrono::steady_clock::now();
          // Set while the plan runs: operators built late (a subquery's, per
          // evaluation) are counted too.
          ctx.stats = &stats;
          struct Unset {
            sql::ExecContext& ctx;
            ~Unset() { ctx.stats = nullptr; }
          } unset{ctx};
          TDB_ASSIGN_OR_RETURN(sql::OperatorPtr op, sql::BuildOperator(*plan, ctx));
          while (true) {
            TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, op->Next());
            if (!batch.has_value()) break;
          }
          char text[64];
          std::snprintf(
              text, sizeof(text), "Execution Time: %.3f ms",
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                  .count());
          execution_time = text;
        }
        const std::string text =
            explain.analyze
                ? plan->Explain(0,
                                [&](const sql::PlanNode& node) { return stats.Annotation(node); })
                : plan->Explain();
        size_t start = 0;
        while (start < text.size()) {
          const size_t end = text.find('\n', start);
          rows.push_back({text.substr(start, end - start)});
          if (end == std::string::npos) break;
          start = end + 1;
        }
        if (!execution_time.empty()) rows.push_back({execution_time});
        return TextRows({"QUERY PLAN"}, rows, "EXPLAIN");
      },
      params, nullptr, user, role);
}

}  // namespace tenantdb
