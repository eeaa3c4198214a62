// Utility statements PostgreSQL's grammar covers: transactions, EXPLAIN, PREPARE/EXECUTE.
//
// Thread safety: immutable after parsing.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sql/parser/ast/expr.h"
#include "sql/parser/ast/statement.h"

namespace tenantdb::sql {

enum class TransactionAction : uint8_t { kBegin, kCommit, kRollback };

struct TransactionStmt final : Statement {
  explicit TransactionStmt(int loc = -1) : Statement(StatementKind::kTransaction, loc) {}
  std::string ToString() const override;
  TransactionAction action = TransactionAction::kBegin;
};

struct ExplainStmt final : Statement {
  explicit ExplainStmt(int loc = -1) : Statement(StatementKind::kExplain, loc) {}
  std::string ToString() const override;
  bool analyze = false;
  StatementPtr statement;
};

struct PrepareStmt final : Statement {
  explicit PrepareStmt(int loc = -1) : Statement(StatementKind::kPrepare, loc) {}
  std::string ToString() const override;
  std::string name;
  std::vector<TypeName> parameter_types;  // PREPARE p (int8, text) AS ...; may be empty
  StatementPtr statement;
};

struct ExecuteStmt final : Statement {
  explicit ExecuteStmt(int loc = -1) : Statement(StatementKind::kExecute, loc) {}
  std::string ToString() const override;
  std::string name;
  std::vector<ExprPtr> parameters;
};

}  // namespace tenantdb::sql
