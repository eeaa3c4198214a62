// BEGIN, COMMIT and ROLLBACK, and the isolation level. BEGIN opens the session's
// transaction (a second BEGIN keeps it); COMMIT of a failed transaction rolls it back and
// says ROLLBACK, as PostgreSQL does; COMMIT and ROLLBACK without one succeed and do
// nothing.
//
// Isolation: tenantdb runs every transaction at READ COMMITTED. A client that asks for
// REPEATABLE READ or SERIALIZABLE (BEGIN ISOLATION LEVEL, SET TRANSACTION, SET
// [default_]transaction_isolation) is refused with feature_not_supported rather than
// silently given weaker guarantees than it relies on; READ UNCOMMITTED is accepted and
// runs as READ COMMITTED, as in PostgreSQL. Nothing else is stored, so SHOW
// transaction_isolation always says what runs: "read committed".
#include <cctype>

#include "engine/statement_handlers/session_state.h"

namespace tenantdb {

using sql::QueryResult;

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// OK for the levels tenantdb runs (READ COMMITTED; READ UNCOMMITTED means it in
// PostgreSQL too); feature_not_supported for the stronger ones.
Status CheckIsolation(std::string_view level, std::string_view setting) {
  const std::string lower = Lower(level);
  if (lower == "read committed" || lower == "read uncommitted") return Status::Ok();
  if (lower == "repeatable read" || lower == "serializable") {
    std::string upper = lower;
    for (char& c : upper)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return Status(ErrorCode::kFeatureNotSupported,
                  "isolation level " + upper +
                      " is not supported: tenantdb runs every transaction at READ COMMITTED "
                      "(each statement sees the rows committed before it began); use READ "
                      "COMMITTED, and retry on serialization_failure or deadlock_detected");
  }
  return Status(ErrorCode::kInvalidArgument, "invalid value for parameter \"" +
                                                 std::string(setting) + "\": \"" +
                                                 std::string(level) + "\"; use 'read committed'");
}

QueryResult OutsideTransactionBlock(std::string tag) {
  QueryResult result = Tag(std::move(tag));
  // PostgreSQL's WARNING: the modes would last only until the statement's own end.
  result.notices.push_back("SET TRANSACTION can only be used in transaction blocks");
  return result;
}

}  // namespace

Result<QueryResult> SessionState::Transact(sql::TransactionAction action,
                                           const sql::TransactionModes& modes) {
  using A = sql::TransactionAction;
  if (modes.isolation.has_value()) {
    TDB_RETURN_IF_ERROR(CheckIsolation(*modes.isolation, "transaction_isolation"));
  }
  switch (action) {
    case A::kBegin:
      if (!transaction_) transaction_ = std::make_unique<Transaction>();
      return Tag("BEGIN");
    case A::kSetTransaction:
      if (aborted_) return Aborted();
      if (!transaction_) return OutsideTransactionBlock("SET");
      return Tag("SET");
    case A::kSetSession:
      if (aborted_) return Aborted();
      return Tag("SET");
    case A::kCommit: {
      if (!transaction_) return Tag("COMMIT");
      std::unique_ptr<Transaction> txn = std::move(transaction_);
      if (aborted_) {
        aborted_ = false;
        txn->Rollback();
        return Tag("ROLLBACK");
      }
      const auto counts = txn->WriteCounts();
      TDB_RETURN_IF_ERROR(txn->Commit(&db_->tables()));
      for (const auto& [table, n] : counts)
        db_->flush_scheduler().RecordWrites(*table, n);
      return Tag("COMMIT");
    }
    case A::kRollback:
      if (transaction_) transaction_->Rollback();
      transaction_.reset();
      aborted_ = false;
      return Tag("ROLLBACK");
  }
  return Status(ErrorCode::kInternal, "unknown transaction action");
}

std::optional<Result<QueryResult>> SessionState::TransactionSetting(
    const sql::SetVariableStmt& set) {
  if (set.name != "transaction_isolation" && set.name != "default_transaction_isolation") {
    return std::nullopt;
  }
  if (set.reset) return Result<QueryResult>(Tag("RESET"));
  if (set.values.size() != 1) {
    return Result<QueryResult>(
        Status(ErrorCode::kInvalidArgument, "SET " + set.name + " takes only one argument"));
  }
  // Nothing to keep: every accepted level runs as READ COMMITTED.
  Status checked = CheckIsolation(set.values[0], set.name);
  if (!checked.ok()) return Result<QueryResult>(std::move(checked));
  if (set.name == "transaction_isolation" && !transaction_) {
    return Result<QueryResult>(OutsideTransactionBlock("SET"));
  }
  return Result<QueryResult>(Tag("SET"));
}

}  // namespace tenantdb
