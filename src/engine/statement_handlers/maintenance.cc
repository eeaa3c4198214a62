// TRUNCATE and VACUUM / ANALYZE, which tools such as pgbench -i send.
//
// TRUNCATE t1, t2 runs DELETE FROM t for each table, in order, inside the session's
// transaction or one of its own that commits when all succeeded: every row — of a USER
// or STREAM table, the session user's slice only; of a SHARED table, all of them — hot
// and cold, is deleted in the one atomic RocksDB batch of the commit (tombstones cover
// the cold copies), so a crash leaves all or none of it. Unlike PostgreSQL's it costs a
// tombstone per row (and a row lock per row while the transaction runs) and other
// transactions see the rows until it commits (READ COMMITTED, no table lock).
//
// VACUUM does nothing: the hot store and the Parquet files need no vacuuming (STORAGE
// COMPACT TABLE merges cold files). The result carries a NOTICE that says so. ANALYZE
// (analyze.cc) computes the tables' statistics.
#include "engine/statement_handlers/session_state.h"

namespace tenantdb {

using sql::QueryResult;

Result<QueryResult> SessionState::Truncate(const sql::TruncateStmt& truncate,
                                           const std::vector<Value>& params, const UserId& user,
                                           Role role) {
  const bool own = transaction_ == nullptr;
  if (own) transaction_ = std::make_unique<Transaction>(commit_sync_);
  for (const std::unique_ptr<sql::DeleteStmt>& del : truncate.deletes) {
    Result<QueryResult> deleted = RunWrite(*del, params, user, role);
    if (!deleted.ok()) {
      if (own) {
        transaction_.reset();  // rolls back and releases its row locks
        aborted_ = false;
      }
      return deleted.status();
    }
  }
  if (own) {
    TDB_ASSIGN_OR_RETURN(QueryResult committed, Transact(sql::TransactionAction::kCommit));
    if (committed.command_tag != "COMMIT") {
      return Status(ErrorCode::kInternal, "TRUNCATE's own transaction did not commit");
    }
  }
  return Tag("TRUNCATE TABLE");
}

Result<QueryResult> SessionState::Vacuum(const sql::VacuumStmt& vacuum, const UserId& user,
                                         Role role) {
  if (!vacuum.is_vacuum) return Analyze(vacuum, user, role);
  QueryResult result = Tag("VACUUM");
  result.notices.push_back(
      "VACUUM does nothing in tenantdb: its storage needs no vacuuming (STORAGE COMPACT TABLE "
      "merges a table's cold files; ANALYZE refreshes the planner's statistics)");
  return result;
}

}  // namespace tenantdb
