// ANALYZE [table, ...]: counts each table's rows (every user's, for USER and STREAM
// tables) and estimates its columns' distinct values, NULL fraction and min / max
// (storage/table_analyzer.h), then stores them as the table's statistics
// (storage/table_statistics_store.h) for the planner and system.table_statistics.
//
// Privileges: ANALYZE reads every user's rows, so it needs a role that acts for users
// (service, dba, system) — as STORAGE FLUSH TABLE does — and read access to each table
// (a PRIVATE SHARED table: dba). Named tables the role may not analyze fail with
// insufficient_privilege; without names, ANALYZE takes every table of the session's
// namespace the role may analyze and skips the others with a NOTICE, as PostgreSQL's
// database-wide ANALYZE skips tables with a WARNING (bounded to one namespace, where
// PostgreSQL takes the whole database). SYSTEM tables keep no statistics: skipped.
//
// Each table runs as an "analyze" job (listed in system.jobs while it runs). Cached
// plans bind again afterwards (the schema epoch moves), so they use the new figures.
#include <string>
#include <vector>

#include "catalog/namespace_alias.h"
#include "engine/statement_handlers/session_state.h"
#include "storage/table_analyzer.h"

namespace tenantdb {

using sql::QueryResult;

namespace {

Status AnalyzePrivilege(Role role) {
  if (role >= Role::kService) return Status::Ok();
  return Status(ErrorCode::kInsufficientPrivilege,
                "ANALYZE needs role service, dba or system: it reads every user's rows");
}

}  // namespace

Result<QueryResult> SessionState::Analyze(const sql::VacuumStmt& analyze, const UserId& user,
                                          Role role) {
  QueryResult result = Tag("ANALYZE");
  sql::ExecContext ctx = MakeContext(nullptr, user, role);
  std::vector<TableProviderRef> tables;
  if (!analyze.tables.empty()) {
    TDB_RETURN_IF_ERROR(AnalyzePrivilege(role));
    sql::Binder binder(BindContextFor(ctx, nullptr));
    for (const sql::TableName& name : analyze.tables) {
      TDB_ASSIGN_OR_RETURN(TableProviderRef table, binder.ResolveTable(name));
      if (table->type() == TableType::kSystem) {
        result.notices.push_back("skipping \"" + table->id().ToString() +
                                 "\": system tables keep no statistics");
        continue;
      }
      TDB_RETURN_IF_ERROR(table->CheckRead(ctx.request));
      tables.push_back(std::move(table));
    }
  } else {
    if (!AnalyzePrivilege(role).ok()) {
      result.notices.push_back("ANALYZE skipped every table: it needs role service, dba or system");
      return result;
    }
    TDB_ASSIGN_OR_RETURN(NamespaceId ns, NamespaceId::Make(CanonicalNamespace(namespace_)));
    TDB_ASSIGN_OR_RETURN(std::vector<TableDefinition> defs, db_->catalog().ListTables(ns));
    for (const TableDefinition& def : defs) {
      auto entry = db_->cache().Get(def.id);
      if (!entry.ok()) {
        if (entry.status().code() == ErrorCode::kNotFound) continue;  // dropped meanwhile
        return entry.status();
      }
      auto table = TableProviderRef(static_cast<const TableProvider*>(entry->get()));
      if (!table->CheckRead(ctx.request).ok()) {
        result.notices.push_back("skipping \"" + def.id.ToString() +
                                 "\": this role may not read it");
        continue;
      }
      tables.push_back(std::move(table));
    }
  }

  CancelToken* cancel = ctx.cancel;
  for (const TableProviderRef& table : tables) {
    TDB_RETURN_IF_ERROR(
        db_->jobs()
            .RunNow("analyze",
                    [&]() -> Result<std::string> {
                      TDB_ASSIGN_OR_RETURN(
                          TableAnalysis analysis,
                          AnalyzeTable(db_->tables(), db_->catalog(), *table,
                                       db_->clock().NowUnixMicros(), [cancel]() -> Status {
                                         return cancel != nullptr ? cancel->Check() : Status::Ok();
                                       }));
                      const int64_t rows = analysis.record.rows;
                      TDB_RETURN_IF_ERROR(db_->tables().statistics().Install(
                          *table, std::move(analysis.record), std::move(analysis.slices)));
                      return "ANALYZE " + table->id().ToString() + ": " + std::to_string(rows) +
                             " rows";
                    })
            .status());
  }
  if (!tables.empty()) db_->BumpSchemaEpoch();
  return result;
}

}  // namespace tenantdb
