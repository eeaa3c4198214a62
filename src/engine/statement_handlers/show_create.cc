// SHOW CREATE TABLE: the statement that would make a table as it is now, on one line (so
// every client shows it as one value). Everything
// CREATE TABLE would otherwise default is spelled out (TYPE, ACCESS_LEVEL, STORAGE_ID,
// FLUSH_POLICY, TTL_SECONDS), so what a forgotten option made of a table is visible.
// A SHARED table's generated `_rowid` key is left out: CREATE TABLE adds it again. The
// table's UNIQUE and CHECK constraints are table constraints inside the column list; its
// indexes follow as CREATE INDEX statements, separated by "; ".
#include "engine/constraint_ddl.h"
#include "engine/index_ddl.h"
#include "engine/statement_handlers/session_state.h"
#include "sql/parser/ast/expr.h"
#include "sql/planner/binder.h"
#include "tables/table_provider.h"

namespace tenantdb {

using sql::QueryResult;

namespace {

std::string CreateStatement(const TableEntry& table, const std::vector<std::string>& constraints) {
  const Schema& schema = *table.schema();
  std::vector<std::string> key;
  for (size_t i : schema.PrimaryKeyIndices()) {
    if (schema.field(i).name != kRowIdColumn) key.push_back(schema.field(i).name);
  }
  std::string out = "CREATE TABLE " + sql::QuoteIdentifier(std::string(table.id().ns().str())) +
                    "." + sql::QuoteIdentifier(std::string(table.id().table().str())) + " (";
  bool first = true;
  for (const Field& f : schema.fields()) {
    if (f.name == kRowIdColumn) continue;
    out += first ? "" : ", ";
    first = false;
    out += sql::QuoteIdentifier(f.name) + " " + std::string(DataTypeName(f.type));
    if (f.numeric_precision != 0) {  // NUMERIC(p,s)
      out +=
          "(" + std::to_string(f.numeric_precision) + "," + std::to_string(f.numeric_scale) + ")";
    }
    if (!f.nullable && !f.primary_key) out += " NOT NULL";
    if (!f.default_expr.empty()) out += " DEFAULT " + f.default_expr;
  }
  if (!key.empty()) {
    out += ", PRIMARY KEY (";
    for (size_t i = 0; i < key.size(); ++i)
      out += (i == 0 ? "" : ", ") + sql::QuoteIdentifier(key[i]);
    out += ")";
  }
  for (const std::string& c : constraints)
    out += ", " + c;
  out += ") WITH (TYPE = '" + std::string(TableTypeName(table.type())) + "'";
  if (table.type() == TableType::kShared) {
    out += ", ACCESS_LEVEL = '" + std::string(AccessLevelName(table.access_level())) + "'";
  }
  out += ", STORAGE_ID = '" + std::string(table.storage_id().str()) + "'";
  if (!table.flush_policy().empty()) {
    out += ", FLUSH_POLICY = '" + table.flush_policy().ToString() + "'";
  }
  if (table.type() == TableType::kStream) {
    out += ", TTL_SECONDS = " + std::to_string(table.ttl_seconds());
  }
  return out + ")";
}

}  // namespace

Result<QueryResult> SessionState::ShowCreateTable(const sql::ShowCreateTableStmt& show,
                                                  const UserId& user, Role role) {
  sql::ExecContext ctx = MakeContext(nullptr, user, role);
  sql::Binder binder(BindContextFor(ctx, nullptr));
  TDB_ASSIGN_OR_RETURN(TableProviderRef table, binder.ResolveTable(show.table));
  if (table->type() == TableType::kSystem) {
    return Status(
        ErrorCode::kFeatureNotSupported,
        "SHOW CREATE TABLE does not apply to the built-in table " + table->id().ToString());
  }
  std::string statement = CreateStatement(*table, ConstraintDefinitions(*db_, *table));
  for (const std::string& index : IndexDefinitions(*db_, *table))
    statement += "; " + index;
  return TextRows({"table_name", "create_statement"}, {{table->id().ToString(), statement}},
                  "SHOW");
}

}  // namespace tenantdb
