// DDL statements: CREATE / DROP / ALTER TABLE, CREATE / DROP VIEW and CREATE / DROP
// SCHEMA (alias NAMESPACE).
//
// Nothing here is validated against the catalog; WITH options are kept as text so the
// catalog layer (catalog/table_options.h) owns their meaning and their errors.
//
// Thread safety: immutable after parsing.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "catalog/table_options.h"
#include "sql/parser/ast/expr.h"
#include "sql/parser/ast/select.h"
#include "sql/parser/ast/statement.h"

namespace tenantdb::sql {

// A UNIQUE or CHECK constraint of CREATE TABLE, written on a column or as a table
// element. Names are resolved and checked by the DDL executor (engine/constraint_ddl.h).
struct ConstraintDef {
  enum class Kind : uint8_t { kUnique, kCheck };
  Kind kind = Kind::kUnique;
  std::string name;                  // CONSTRAINT name; empty: PostgreSQL's default name
  std::vector<std::string> columns;  // kUnique: the key columns, in order
  ExprPtr check;                     // kCheck: the condition
  int location = -1;

  std::string ToString() const;
};

struct ColumnDef {
  std::string name;
  TypeName type;
  bool not_null = false;
  bool primary_key = false;  // PRIMARY KEY on the column (implies NOT NULL)
  ExprPtr default_value;     // null when no DEFAULT
  // UNIQUE (columns = {name}) and CHECK written on the column.
  std::vector<ConstraintDef> constraints;
  int location = -1;

  std::string ToString() const;
};

// `key = value` in WITH (...). Keys are upper-cased ("TYPE", "FLUSH_POLICY"); values are
// the text as written (strings unquoted, numbers as digits, a bare key gives "true").
struct TableOption {
  std::string key;
  std::string value;
  int location = -1;
};

struct CreateTableStmt final : Statement {
  explicit CreateTableStmt(int loc = -1) : Statement(StatementKind::kCreateTable, loc) {}
  std::string ToString() const override;

  TableName table;
  bool if_not_exists = false;
  std::vector<ColumnDef> columns;
  std::vector<std::string> primary_key;    // table constraint PRIMARY KEY (a, b)
  std::vector<ConstraintDef> constraints;  // table constraints UNIQUE (a, b), CHECK (...)
  std::vector<TableOption> options;
  // Set by `CREATE USER|SHARED|STREAM TABLE`; WITH (TYPE = ...) stays in `options`.
  std::optional<TableType> table_type;
};

// CREATE [OR REPLACE] VIEW name [(columns)] AS query.
struct CreateViewStmt final : Statement {
  explicit CreateViewStmt(int loc = -1) : Statement(StatementKind::kCreateView, loc) {}
  std::string ToString() const override;

  TableName view;
  bool or_replace = false;
  std::vector<std::string> column_names;  // renames the query's first columns
  std::unique_ptr<SelectStmt> query;
};

// DROP VIEW [IF EXISTS] name, ... [CASCADE].
struct DropViewStmt final : Statement {
  explicit DropViewStmt(int loc = -1) : Statement(StatementKind::kDropView, loc) {}
  std::string ToString() const override;

  std::vector<TableName> views;
  bool if_exists = false;
  bool cascade = false;
};

// CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table (column, ...).
struct CreateIndexStmt final : Statement {
  explicit CreateIndexStmt(int loc = -1) : Statement(StatementKind::kCreateIndex, loc) {}
  std::string ToString() const override;

  std::string name;
  TableName table;
  bool unique = false;
  bool if_not_exists = false;
  std::vector<std::string> columns;
};

// DROP INDEX [IF EXISTS] name, ... (names may be namespace-qualified).
struct DropIndexStmt final : Statement {
  explicit DropIndexStmt(int loc = -1) : Statement(StatementKind::kDropIndex, loc) {}
  std::string ToString() const override;

  std::vector<TableName> indexes;
  bool if_exists = false;
};

struct DropTableStmt final : Statement {
  explicit DropTableStmt(int loc = -1) : Statement(StatementKind::kDropTable, loc) {}
  std::string ToString() const override;

  std::vector<TableName> tables;
  bool if_exists = false;
  bool cascade = false;
};

enum class AlterTableAction : uint8_t {
  kAddColumn,     // column
  kDropColumn,    // column_name, if_exists
  kRenameColumn,  // column_name -> new_name
  kSetDefault,    // column_name, default_value
  kDropDefault,   // column_name
  kSetNotNull,    // column_name
  kDropNotNull,   // column_name
  kRenameTable,   // new_name
  // key_columns
  kAddPrimaryKey,
};

struct AlterTableCommand {
  AlterTableAction action = AlterTableAction::kAddColumn;
  std::optional<ColumnDef> column;  // kAddColumn
  std::string column_name;
  std::string new_name;
  std::vector<std::string> key_columns;  // kAddPrimaryKey
  ExprPtr default_value;
  bool if_exists = false;  // DROP COLUMN IF EXISTS / ADD COLUMN IF NOT EXISTS
  int location = -1;

  std::string ToString() const;
};

struct AlterTableStmt final : Statement {
  explicit AlterTableStmt(int loc = -1) : Statement(StatementKind::kAlterTable, loc) {}
  std::string ToString() const override;

  TableName table;
  bool if_exists = false;
  std::vector<AlterTableCommand> commands;
};

struct CreateSchemaStmt final : Statement {
  explicit CreateSchemaStmt(int loc = -1) : Statement(StatementKind::kCreateSchema, loc) {}
  std::string ToString() const override;

  std::string name;
  bool if_not_exists = false;
};

struct DropSchemaStmt final : Statement {
  explicit DropSchemaStmt(int loc = -1) : Statement(StatementKind::kDropSchema, loc) {}
  std::string ToString() const override;

  std::vector<std::string> names;
  bool if_exists = false;
  bool cascade = false;
};

}  // namespace tenantdb::sql
