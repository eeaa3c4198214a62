// Session settings and introspection: SET / RESET / SHOW (statement_mem and
// statement_timeout are enforced; SET ROLE / SESSION AUTHORIZATION are refused; other
// names are kept as text for drivers), USE, SHOW NAMESPACES, SHOW TABLES and DESCRIBE
// (queries over the SYSTEM tables).
#include "catalog/namespace_alias.h"
#include "engine/constraint_ddl.h"
#include "engine/index_ddl.h"
#include "engine/session_settings.h"
#include "engine/statement_handlers/session_state.h"
#include "tables/pg_catalog/pg_settings.h"

namespace tenantdb {

using sql::QueryResult;

namespace {

// SET ROLE / SET SESSION AUTHORIZATION would be stored as a setting and change nothing,
// while the client believes it now acts as someone else: refuse them. RESET (and SET
// ... TO DEFAULT) are accepted: they ask for the session's own identity, which it has.
Status CheckSettable(const sql::SetVariableStmt& set) {
  if (set.reset || (set.name != "role" && set.name != "session_authorization")) {
    return Status::Ok();
  }
  const std::string what = set.name == "role" ? "SET ROLE" : "SET SESSION AUTHORIZATION";
  return Status(ErrorCode::kFeatureNotSupported,
                what +
                    " is not supported: a session keeps the user and role it was opened "
                    "with; to act for another user, run EXECUTE AS USER 'id' (statement)");
}

}  // namespace

Result<QueryResult> SessionState::Use(const sql::UseStmt& use) {
  TDB_RETURN_IF_ERROR(UseNamespace(use.namespace_name));
  return Tag("USE");
}

Status SessionState::UseNamespace(std::string_view name) {
  const std::string ns = CanonicalNamespace(name);
  const NamespaceId id = [&] {
    auto m = NamespaceId::Make(ns);
    return m.ok() ? *m : NamespaceId();
  }();
  if (ns != "system" && (id.empty() || !db_->catalog().NamespaceExists(id).ok())) {
    return Status(ErrorCode::kUndefinedTable, "namespace \"" + ns + "\" does not exist");
  }
  namespace_ = ns;
  return Status::Ok();
}

Result<QueryResult> SessionState::ShowNamespaces(const UserId& user, Role role) {
  return RunText("SELECT namespace_id FROM system.namespaces ORDER BY namespace_id", user, role);
}

Result<QueryResult> SessionState::ShowTables(const sql::ShowTablesStmt& show, const UserId& user,
                                             Role role) {
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

Result<QueryResult> SessionState::Describe(const sql::DescribeTableStmt& describe,
                                           const UserId& user, Role role) {
  sql::ExecContext ctx = MakeContext(nullptr, user, role);
  sql::Binder binder(BindContextFor(ctx, nullptr));
  TDB_ASSIGN_OR_RETURN(TableProviderRef table, binder.ResolveTable(describe.table));
  TDB_ASSIGN_OR_RETURN(QueryResult result,
                       RunText("SELECT column_name, data_type, is_nullable, column_default "
                               "FROM system.columns WHERE namespace_id = " +
                                   QuoteLiteral(table->id().ns().str()) +
                                   " AND table_name = " + QuoteLiteral(table->id().table().str()) +
                                   " AND column_name <> '_rowid' ORDER BY ordinal_position",
                               user, role));
  // The table's indexes and constraints, as psql's \d lists them under the columns.
  for (const std::string& index : IndexDefinitions(*db_, *table))
    result.notices.push_back(index);
  for (const std::string& constraint : ConstraintDefinitions(*db_, *table))
    result.notices.push_back(constraint);
  return result;
}

Result<QueryResult> SessionState::SetVariable(const sql::SetVariableStmt& set) {
  TDB_RETURN_IF_ERROR(CheckSettable(set));
  if (auto handled = EngineSetting(set); handled.has_value()) return std::move(*handled);
  if (auto handled = TransactionSetting(set); handled.has_value()) return std::move(*handled);
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

Result<QueryResult> SessionState::ShowVariable(const sql::ShowVariableStmt& show) {
  if (show.name == "statement_mem") {
    return TextRows({show.name}, {{FormatMemorySetting(statement_mem())}}, "SHOW");
  }
  if (show.name == "statement_timeout") {
    return TextRows({show.name}, {{FormatDurationSetting(statement_timeout())}}, "SHOW");
  }
  if (show.name == "lock_timeout") {
    return TextRows({show.name}, {{FormatDurationSetting(lock_timeout())}}, "SHOW");
  }
  if (show.name == "transaction_read_only") {
    return TextRows({show.name}, {{ReadOnlyNow() ? "on" : "off"}}, "SHOW");
  }
  auto it = settings_.find(show.name);
  std::string value = it != settings_.end() ? it->second : "";
  if (it == settings_.end()) {
    // The defaults pg_settings and current_setting() report (tables/pg_catalog/).
    std::optional<std::string> fallback = PgSettingDefault(show.name, namespace_);
    if (!fallback.has_value()) {
      return Status(ErrorCode::kNotFound,
                    "unrecognized configuration parameter \"" + show.name + "\"");
    }
    value = std::move(*fallback);
  }
  return TextRows({show.name}, {{value}}, "SHOW");
}

// SET / RESET / SHOW of the settings the engine enforces; nullopt for other names.
std::optional<Result<QueryResult>> SessionState::EngineSetting(const sql::SetVariableStmt& set) {
  const bool all = set.reset && set.name == "all";
  if (!all && set.name != "statement_mem" && set.name != "statement_timeout" &&
      set.name != "lock_timeout") {
    return std::nullopt;
  }
  if (set.reset) {
    if (all || set.name == "statement_mem") statement_mem_.reset();
    if (all || set.name == "statement_timeout") statement_timeout_.reset();
    if (all || set.name == "lock_timeout") lock_timeout_.reset();
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
    (set.name == "lock_timeout" ? lock_timeout_ : statement_timeout_) = *ms;
  }
  return Result<QueryResult>(Tag("SET"));
}

}  // namespace tenantdb
