// tenantdb's own statements, which PostgreSQL has no grammar for (parsed by
// sql/parser/tenant_statements.h, not libpg_query).
//
//   USE ns
//   CREATE USER name [WITH] [PASSWORD 'p'] [ROLE r]
//   ALTER USER name [SET | WITH] {PASSWORD 'p' | ROLE r} ...
//   DROP USER [IF EXISTS] name
//   STORAGE FLUSH TABLE [ns.]t
//   CREATE STORAGE id BASE_DIRECTORY '...' [USER_TABLES_TEMPLATE '...']
//                                          [SHARED_TABLES_TEMPLATE '...']
//   SHOW NAMESPACES
//   SHOW TABLES [IN ns]
//   DESCRIBE TABLE [ns.]t
//   EXECUTE AS USER 'id' ( statement )
//
// CREATE/DROP NAMESPACE produce CreateSchemaStmt/DropSchemaStmt and
// CREATE USER|SHARED|STREAM TABLE a CreateTableStmt with table_type (ddl.h).
//
// Thread safety: immutable after parsing.
#pragma once

#include <optional>
#include <string>

#include "sql/parser/ast/statement.h"

namespace tenantdb::sql {

struct UseStmt final : Statement {
  explicit UseStmt(int loc = -1) : Statement(StatementKind::kUse, loc) {}
  std::string ToString() const override;
  std::string namespace_name;
};

struct CreateUserStmt final : Statement {
  explicit CreateUserStmt(int loc = -1) : Statement(StatementKind::kCreateUser, loc) {}
  std::string ToString() const override;
  std::string name;
  std::optional<std::string> password;
  std::string role;  // as written, lower-cased when unquoted; empty when not given
};

// ToString() of the user statements shows PASSWORD '***', never the password: a
// statement's text may end up in logs and error reports.
struct AlterUserStmt final : Statement {
  explicit AlterUserStmt(int loc = -1) : Statement(StatementKind::kAlterUser, loc) {}
  std::string ToString() const override;
  std::string name;
  std::optional<std::string> password;
  std::string role;  // empty when not given
};

struct DropUserStmt final : Statement {
  explicit DropUserStmt(int loc = -1) : Statement(StatementKind::kDropUser, loc) {}
  std::string ToString() const override;
  std::string name;
  bool if_exists = false;
};

struct StorageFlushStmt final : Statement {
  explicit StorageFlushStmt(int loc = -1) : Statement(StatementKind::kStorageFlush, loc) {}
  std::string ToString() const override;
  TableName table;
};

// STORAGE COMPACT TABLE t: rewrite t's cold files (storage/compaction.h).
struct StorageCompactStmt final : Statement {
  explicit StorageCompactStmt(int loc = -1) : Statement(StatementKind::kStorageCompact, loc) {}
  std::string ToString() const override;
  TableName table;
};

struct CreateStorageStmt final : Statement {
  explicit CreateStorageStmt(int loc = -1) : Statement(StatementKind::kCreateStorage, loc) {}
  std::string ToString() const override;
  std::string storage_id;
  std::string base_directory;
  std::optional<std::string> user_tables_template;
  std::optional<std::string> shared_tables_template;
};

struct ShowNamespacesStmt final : Statement {
  explicit ShowNamespacesStmt(int loc = -1) : Statement(StatementKind::kShowNamespaces, loc) {}
  std::string ToString() const override;
};

struct ShowTablesStmt final : Statement {
  explicit ShowTablesStmt(int loc = -1) : Statement(StatementKind::kShowTables, loc) {}
  std::string ToString() const override;
  std::optional<std::string> namespace_name;
};

struct DescribeTableStmt final : Statement {
  explicit DescribeTableStmt(int loc = -1) : Statement(StatementKind::kDescribeTable, loc) {}
  std::string ToString() const override;
  TableName table;
};

// SHOW CREATE TABLE t: the CREATE TABLE statement that makes `t` as it is now, with its
// type, access level, flush policy, TTL and storage spelled out.
struct ShowCreateTableStmt final : Statement {
  explicit ShowCreateTableStmt(int loc = -1) : Statement(StatementKind::kShowCreateTable, loc) {}
  std::string ToString() const override;
  TableName table;
};

struct ExecuteAsUserStmt final : Statement {
  explicit ExecuteAsUserStmt(int loc = -1) : Statement(StatementKind::kExecuteAsUser, loc) {}
  std::string ToString() const override;
  std::string user_id;
  StatementPtr statement;
};

}  // namespace tenantdb::sql
