// INSERT, UPDATE and DELETE statements.
//
// Thread safety: immutable after parsing.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sql/parser/ast/expr.h"
#include "sql/parser/ast/select.h"
#include "sql/parser/ast/statement.h"

namespace tenantdb::sql {

// `column = expr` in UPDATE SET and ON CONFLICT DO UPDATE SET.
struct Assignment {
  std::string column;
  ExprPtr value;  // may be a DefaultExpr
  int location = -1;

  std::string ToString() const;
};

enum class OnConflictAction : uint8_t { kDoNothing, kDoUpdate };

struct OnConflict {
  std::vector<std::string> columns;  // the conflict target; empty when not given
  OnConflictAction action = OnConflictAction::kDoNothing;
  std::vector<Assignment> assignments;  // kDoUpdate
  ExprPtr where;                        // kDoUpdate ... WHERE; null when absent

  std::string ToString() const;
};

struct InsertStmt final : Statement {
  std::unique_ptr<WithClause> with;  // WITH ... before the statement; null when absent
  explicit InsertStmt(int loc = -1) : Statement(StatementKind::kInsert, loc) {}
  std::string ToString() const override;

  TableName table;
  std::string alias;
  std::vector<std::string> columns;  // empty: all columns in order
  // The rows: a VALUES list (source->values) or any query. Null for DEFAULT VALUES.
  std::unique_ptr<SelectStmt> source;
  std::optional<OnConflict> on_conflict;
  std::vector<SelectItem> returning;
};

struct UpdateStmt final : Statement {
  std::unique_ptr<WithClause> with;  // WITH ... before the statement; null when absent
  explicit UpdateStmt(int loc = -1) : Statement(StatementKind::kUpdate, loc) {}
  std::string ToString() const override;

  TableName table;
  std::string alias;
  std::vector<Assignment> assignments;
  ExprPtr where;  // null: every row
  std::vector<SelectItem> returning;
};

struct DeleteStmt final : Statement {
  std::unique_ptr<WithClause> with;  // WITH ... before the statement; null when absent
  explicit DeleteStmt(int loc = -1) : Statement(StatementKind::kDelete, loc) {}
  std::string ToString() const override;

  TableName table;
  std::string alias;
  ExprPtr where;  // null: every row
  std::vector<SelectItem> returning;
};

}  // namespace tenantdb::sql
