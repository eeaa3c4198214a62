// BEGIN, COMMIT and ROLLBACK. BEGIN opens the session's transaction (a second BEGIN keeps
// it); COMMIT of a failed transaction rolls it back and says ROLLBACK, as PostgreSQL
// does; COMMIT and ROLLBACK without one succeed and do nothing.
#include "engine/statement_handlers/session_state.h"

namespace tenantdb {

using sql::QueryResult;

Result<QueryResult> SessionState::Transact(sql::TransactionAction action) {
  switch (action) {
    case sql::TransactionAction::kBegin:
      if (!transaction_) transaction_ = std::make_unique<Transaction>();
      return Tag("BEGIN");
    case sql::TransactionAction::kCommit: {
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
    case sql::TransactionAction::kRollback:
      if (transaction_) transaction_->Rollback();
      transaction_.reset();
      aborted_ = false;
      return Tag("ROLLBACK");
  }
  return Status(ErrorCode::kInternal, "unknown transaction action");
}

}  // namespace tenantdb
