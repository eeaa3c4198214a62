// Utility statements PostgreSQL's grammar covers: transactions, EXPLAIN, PREPARE/EXECUTE.
//
// Thread safety: immutable after parsing.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sql/parser/ast/dml.h"
#include "sql/parser/ast/expr.h"
#include "sql/parser/ast/statement.h"

namespace tenantdb::sql {

// kSetTransaction is SET TRANSACTION ... (the open transaction's modes); kSetSession is
// SET SESSION CHARACTERISTICS AS TRANSACTION ... (the defaults of later transactions).
enum class TransactionAction : uint8_t { kBegin, kCommit, kRollback, kSetTransaction, kSetSession };

// The modes BEGIN / START TRANSACTION / SET TRANSACTION name; nullopt: not named.
struct TransactionModes {
  std::optional<std::string> isolation;  // lower case as written: "serializable", ...
  std::optional<bool> read_only;         // READ ONLY (true) / READ WRITE (false)
};

struct TransactionStmt final : Statement {
  explicit TransactionStmt(int loc = -1) : Statement(StatementKind::kTransaction, loc) {}
  std::string ToString() const override;
  TransactionAction action = TransactionAction::kBegin;
  TransactionModes modes;  // kBegin, kSetTransaction, kSetSession
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
  // Shared: a session keeps the prepared statement after the PREPARE text is gone.
  std::shared_ptr<Statement> statement;
};

struct ExecuteStmt final : Statement {
  explicit ExecuteStmt(int loc = -1) : Statement(StatementKind::kExecute, loc) {}
  std::string ToString() const override;
  std::string name;
  std::vector<ExprPtr> parameters;
};

// SET [LOCAL] name {TO|=} value, ... / SET name TO DEFAULT / RESET name / RESET ALL.
// PostgreSQL drivers send these when they connect (extra_float_digits, application_name,
// DateStyle, ...); the session decides which it honours. Values are kept as text.
struct SetVariableStmt final : Statement {
  explicit SetVariableStmt(int loc = -1) : Statement(StatementKind::kSetVariable, loc) {}
  std::string ToString() const override;
  std::string name;                 // lower-cased; "all" for RESET ALL
  std::vector<std::string> values;  // empty when `reset`
  bool reset = false;               // SET name TO DEFAULT, RESET name, RESET ALL
  bool is_local = false;            // SET LOCAL
};

// SHOW name (PostgreSQL's; SHOW TABLES and SHOW NAMESPACES are tenantdb's, see tenant.h).
struct ShowVariableStmt final : Statement {
  explicit ShowVariableStmt(int loc = -1) : Statement(StatementKind::kShowVariable, loc) {}
  std::string ToString() const override;
  std::string name;  // lower-cased; "all" for SHOW ALL
};

// DEALLOCATE [PREPARE] name / DEALLOCATE ALL.
struct DeallocateStmt final : Statement {
  explicit DeallocateStmt(int loc = -1) : Statement(StatementKind::kDeallocate, loc) {}
  std::string ToString() const override;
  std::string name;  // empty for ALL
};

// TRUNCATE [TABLE] t1, t2, ...: every row of each table (of a USER table, the session
// user's slice) deleted in one transaction, run as DELETE FROM t (one per table, in order).
struct TruncateStmt final : Statement {
  explicit TruncateStmt(int loc = -1) : Statement(StatementKind::kTruncate, loc) {}
  std::string ToString() const override;
  std::vector<std::unique_ptr<DeleteStmt>> deletes;
};

// VACUUM [...] / ANALYZE [...]: accepted for tools (pgbench -i), does nothing (storage
// compaction is STORAGE COMPACT TABLE); the statement's NOTICE says so.
struct VacuumStmt final : Statement {
  explicit VacuumStmt(int loc = -1) : Statement(StatementKind::kVacuum, loc) {}
  std::string ToString() const override;
  bool is_vacuum = true;  // false: ANALYZE alone
  std::vector<TableName> tables;
};

}  // namespace tenantdb::sql
