// The root of tenantdb's SQL statement AST: the Statement base and the kinds of statement.
//
// Every statement the parser returns derives from Statement; callers switch on `kind` and
// static_cast to the concrete type named in the comment. Statements own their children.
// `location` is the 1-based character position where the statement starts in the SQL
// text (as every AST node's: what an error names).
//
// Thread safety: immutable after parsing.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace tenantdb::sql {

enum class StatementKind : uint8_t {
  kSelect,          // SelectStmt (select.h)
  kInsert,          // InsertStmt (dml.h)
  kUpdate,          // UpdateStmt (dml.h)
  kDelete,          // DeleteStmt (dml.h)
  kCreateTable,     // CreateTableStmt (ddl.h)
  kDropTable,       // DropTableStmt (ddl.h)
  kAlterTable,      // AlterTableStmt (ddl.h)
  kCreateSchema,    // CreateSchemaStmt (ddl.h); also CREATE NAMESPACE
  kDropSchema,      // DropSchemaStmt (ddl.h); also DROP NAMESPACE
  kTransaction,     // TransactionStmt (utility.h)
  kExplain,         // ExplainStmt (utility.h)
  kPrepare,         // PrepareStmt (utility.h)
  kExecute,         // ExecuteStmt (utility.h)
  kUse,             // UseStmt (tenant.h)
  kCreateUser,      // CreateUserStmt (tenant.h)
  kStorageFlush,    // StorageFlushStmt (tenant.h)
  kStorageCompact,  // StorageCompactStmt (tenant.h)
  kCreateStorage,   // CreateStorageStmt (tenant.h)
  kShowNamespaces,  // ShowNamespacesStmt (tenant.h)
  kShowTables,      // ShowTablesStmt (tenant.h)
  kDescribeTable,   // DescribeTableStmt (tenant.h)
  kExecuteAsUser,   // ExecuteAsUserStmt (tenant.h)
  kSetVariable,     // SetVariableStmt (utility.h): SET / RESET of a session setting
  kShowVariable,    // ShowVariableStmt (utility.h): SHOW of a session setting
  kDeallocate,      // DeallocateStmt (utility.h): DEALLOCATE [PREPARE] name | ALL
  kAlterUser,       // AlterUserStmt (tenant.h)
  kDropUser,        // DropUserStmt (tenant.h)
  // ShowCreateTableStmt (tenant.h)
  kShowCreateTable,
  kCopy,         // CopyStmt (copy.h)
  kTruncate,     // TruncateStmt (utility.h): TRUNCATE [TABLE] t, ...
  kVacuum,       // VacuumStmt (utility.h): VACUUM / ANALYZE, accepted as a no-op
  kCreateView,   // CreateViewStmt (ddl.h)
  kDropView,     // DropViewStmt (ddl.h)
  kCreateIndex,  // CreateIndexStmt (ddl.h)
  kDropIndex,    // DropIndexStmt (ddl.h)
};

// "SELECT", "CREATE TABLE", "EXECUTE AS USER", ...
std::string_view StatementKindName(StatementKind kind);

struct Statement {
  explicit Statement(StatementKind k, int loc = -1) : kind(k), location(loc) {}
  virtual ~Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Canonical SQL for the statement (parses back to an equal tree).
  virtual std::string ToString() const = 0;

  const StatementKind kind;
  int location;  // 1-based character position in the SQL text; -1 if unknown
};

using StatementPtr = std::unique_ptr<Statement>;

// A possibly schema-qualified table name as written; `public` is kept as written (the
// binder maps it to `default`).
struct TableName {
  std::string schema;  // empty when unqualified
  std::string name;
  int location = -1;

  std::string ToString() const;
};

}  // namespace tenantdb::sql
