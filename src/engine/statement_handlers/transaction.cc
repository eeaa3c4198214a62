// BEGIN, COMMIT and ROLLBACK, the transaction modes (isolation level, READ ONLY) and the
// settings that carry them. BEGIN opens the session's transaction (a second BEGIN keeps
// it); COMMIT of a failed transaction rolls it back and says ROLLBACK, as PostgreSQL
// does; COMMIT and ROLLBACK without one succeed and do nothing.
//
// Isolation: tenantdb runs every transaction at READ COMMITTED. A client that asks for
// REPEATABLE READ or SERIALIZABLE (BEGIN ISOLATION LEVEL, SET TRANSACTION, SET
// [default_]transaction_isolation) is refused with feature_not_supported rather than
// silently given weaker guarantees than it relies on; READ UNCOMMITTED is accepted and
// runs as READ COMMITTED, as in PostgreSQL. Nothing else is stored, so SHOW
// transaction_isolation always says what runs: "read committed".
//
// READ ONLY (BEGIN / START TRANSACTION READ ONLY, SET TRANSACTION READ ONLY, SET
// transaction_read_only, and default_transaction_read_only for each transaction begun
// later and each autocommit statement): statements that write rows or the catalog fail
// with read_only_sql_transaction (25006), as in PostgreSQL.
#include <cctype>

#include "engine/ddl_executor.h"
#include "engine/statement_handlers/session_state.h"

namespace tenantdb {

using sql::QueryResult;

namespace {

constexpr std::string_view kDefaultReadOnly = "default_transaction_read_only";
constexpr std::string_view kReadOnly = "transaction_read_only";

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

// PostgreSQL's boolean setting values.
Result<bool> ParseBoolSetting(std::string_view name, std::string_view text) {
  const std::string lower = Lower(text);
  if (lower == "on" || lower == "true" || lower == "yes" || lower == "1") return true;
  if (lower == "off" || lower == "false" || lower == "no" || lower == "0") return false;
  return Status(ErrorCode::kInvalidArgument, "parameter \"" + std::string(name) +
                                                 "\" requires a Boolean value (on or off), not \"" +
                                                 std::string(text) + "\"");
}

QueryResult OutsideTransactionBlock(std::string tag) {
  QueryResult result = Tag(std::move(tag));
  // PostgreSQL's WARNING: the modes would last only until the statement's own end.
  result.notices.push_back("SET TRANSACTION can only be used in transaction blocks");
  return result;
}

// Whether `stmt` writes rows or the catalog. STORAGE FLUSH / COMPACT TABLE move rows
// between hot and cold storage without changing what any query reads: like PostgreSQL's
// CHECKPOINT and VACUUM they may run in a read-only transaction.
bool Writes(const sql::Statement& stmt) {
  using K = sql::StatementKind;
  switch (stmt.kind) {
    case K::kInsert:
    case K::kUpdate:
    case K::kDelete:
    case K::kTruncate:
      return true;
    case K::kCopy:
      return static_cast<const sql::CopyStmt&>(stmt).is_from;
    case K::kStorageFlush:
    case K::kStorageCompact:
      return false;
    default:
      return IsDdl(stmt.kind);
  }
}

}  // namespace

bool SessionState::DefaultReadOnly() const {
  auto it = settings_.find(std::string(kDefaultReadOnly));
  return it != settings_.end() && it->second == "on";
}

bool SessionState::ReadOnlyNow() const {
  return transaction_ ? transaction_read_only_ : DefaultReadOnly();
}

Status SessionState::CheckWritable(const sql::Statement& stmt) {
  if (!ReadOnlyNow() || !Writes(stmt)) return Status::Ok();
  const std::string what = stmt.kind == sql::StatementKind::kCopy
                               ? "COPY FROM"
                               : std::string(sql::StatementKindName(stmt.kind));
  // Any error fails an explicit transaction, this one too (as in PostgreSQL).
  if (transaction_) aborted_ = true;
  return Status(
      ErrorCode::kReadOnly,
      "cannot execute " + what + " in a read-only transaction; " +
          (transaction_ ? "write in a transaction begun with BEGIN READ WRITE"
                        : "SET default_transaction_read_only = off to write, or BEGIN READ WRITE"));
}

void SessionState::SyncTransactionSettings() {
  // current_setting() and pg_settings read the settings map: keep the open transaction's
  // mode there. Absent means the built-in "off".
  if (ReadOnlyNow()) {
    settings_[std::string(kReadOnly)] = "on";
  } else {
    settings_.erase(std::string(kReadOnly));
  }
}

Result<QueryResult> SessionState::Transact(sql::TransactionAction action,
                                           const sql::TransactionModes& modes) {
  using A = sql::TransactionAction;
  if (modes.isolation.has_value()) {
    TDB_RETURN_IF_ERROR(CheckIsolation(*modes.isolation, "transaction_isolation"));
  }
  switch (action) {
    case A::kBegin:
      if (!transaction_) {
        transaction_ = std::make_unique<Transaction>(commit_sync_);
        transaction_read_only_ = modes.read_only.value_or(DefaultReadOnly());
      }
      return Tag("BEGIN");
    case A::kSetTransaction:
      if (aborted_) return Aborted();
      if (!transaction_) return OutsideTransactionBlock("SET");
      if (modes.read_only.has_value()) transaction_read_only_ = *modes.read_only;
      return Tag("SET");
    case A::kSetSession:
      if (aborted_) return Aborted();
      if (modes.read_only.has_value()) {
        settings_[std::string(kDefaultReadOnly)] = *modes.read_only ? "on" : "off";
      }
      return Tag("SET");
    case A::kCommit: {
      if (!transaction_) return Tag("COMMIT");
      std::unique_ptr<Transaction> txn = std::move(transaction_);
      transaction_read_only_ = false;
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
      transaction_read_only_ = false;
      aborted_ = false;
      return Tag("ROLLBACK");
  }
  return Status(ErrorCode::kInternal, "unknown transaction action");
}

std::optional<Result<QueryResult>> SessionState::TransactionSetting(
    const sql::SetVariableStmt& set) {
  const bool isolation =
      set.name == "transaction_isolation" || set.name == "default_transaction_isolation";
  if (!isolation && set.name != kReadOnly && set.name != kDefaultReadOnly) return std::nullopt;
  if (set.reset) {
    if (set.name == kDefaultReadOnly) settings_.erase(std::string(kDefaultReadOnly));
    if (set.name == kReadOnly && transaction_) transaction_read_only_ = DefaultReadOnly();
    return Result<QueryResult>(Tag("RESET"));
  }
  if (set.values.size() != 1) {
    return Result<QueryResult>(
        Status(ErrorCode::kInvalidArgument, "SET " + set.name + " takes only one argument"));
  }
  if (isolation) {
    // Nothing to keep: every accepted level runs as READ COMMITTED.
    Status checked = CheckIsolation(set.values[0], set.name);
    if (!checked.ok()) return Result<QueryResult>(std::move(checked));
    if (set.name == "transaction_isolation" && !transaction_) {
      return Result<QueryResult>(OutsideTransactionBlock("SET"));
    }
    return Result<QueryResult>(Tag("SET"));
  }
  Result<bool> on = ParseBoolSetting(set.name, set.values[0]);
  if (!on.ok()) return Result<QueryResult>(on.status());
  if (set.name == kDefaultReadOnly) {
    settings_[std::string(kDefaultReadOnly)] = *on ? "on" : "off";
    return Result<QueryResult>(Tag("SET"));
  }
  if (!transaction_) return Result<QueryResult>(OutsideTransactionBlock("SET"));
  transaction_read_only_ = *on;
  return Result<QueryResult>(Tag("SET"));
}

}  // namespace tenantdb
