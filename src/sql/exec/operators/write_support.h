// What the write operators (insert.cc, update.cc, delete.cc) share: NOT NULL and CHECK
// constraints, a
// row's primary key, and RETURNING over the rows written.
#pragma once

#include <optional>
#include <vector>

#include "sql/exec/dml_executor.h"

namespace tenantdb::sql {

// not_null_violation for the first NULL in a NOT NULL column of `row` (table layout).
Status CheckNotNull(const TableEntry& table, const std::vector<Value>& row);

// check_violation (23514) for the first of `checks` (a table's bound CHECK constraints;
// null: none) that `row` (table layout) makes FALSE; NULL passes, as in PostgreSQL.
// The detail shows the row as PostgreSQL's does ("Failing row contains (1, null).").
Status CheckConstraints(const ColumnDefaults* checks, const TableEntry& table,
                        const std::vector<Value>& row, ExecContext& ctx);

// The primary-key values of `row` (table layout).
std::vector<Value> KeyOf(const TableEntry& table, const std::vector<Value>& row);

// `rows` (table layout) as one batch of the table's schema.
Batch RowsBatch(const TableEntry& table, const std::vector<std::vector<Value>>& rows);

// RETURNING's expressions over `rows` (table layout) as one batch of `schema`; nullopt
// when there is nothing to return (no RETURNING, or no rows).
Result<std::optional<Batch>> Returning(const std::vector<BoundExprPtr>& returning,
                                       const std::shared_ptr<const Schema>& schema,
                                       const Batch& rows, ExecContext& ctx);

// READ COMMITTED row locking for UPDATE and DELETE (tables/transaction.h): takes the row
// lock of each of `matched` (rows of `table` that `input` read), waiting while another
// transaction holds it. A lock newly taken means the row may have changed since `input`
// read it, so its newest version (committed, or this transaction's own) is read again: a
// row deleted meanwhile is dropped; one changed is re-checked against the statement's
// WHERE (the predicates of `input`, a Filter / Scan chain) and kept in its new version
// only if it still matches — PostgreSQL's EvalPlanQual. A changed row under an input of
// another shape fails with serialization_failure (40001). Without ctx.request.row_locks
// the rows are returned as read. Errors: those of RowLockManager::Lock.
//
// `point`: the row lock LockPointFirst took before `input` read (its row, if there, was
// read under the lock: no second read).
struct PointLock {
  std::vector<Value> key;    // empty: no lock was taken first
  bool newly_taken = false;  // not held by this transaction before the statement
};
Result<Batch> LockMatchedRows(const TableProvider& table, const PlanNode& input, Batch matched,
                              ExecContext& ctx, const PointLock& point = {});

// When `input` reads one row by its whole primary key (a Scan with equal inclusive key
// bounds, as `UPDATE t ... WHERE k = $1`), takes that row's lock BEFORE the read, waiting
// as LockMatchedRows would: the read then sees the newest version, and LockMatchedRows
// skips reading it again (one point read per row written instead of two). A key not found
// releases the lock again. Otherwise (another input shape, no row locks) takes nothing.
Result<PointLock> LockPointFirst(const TableProvider& table, const PlanNode& input,
                                 ExecContext& ctx);

// The base of the three operators: the work runs once, on the first Next().
class WriteOperatorBase : public DmlOperator {
 public:
  Result<std::optional<Batch>> Next() final {
    if (done_) return std::optional<Batch>();
    done_ = true;
    return Run();
  }
  uint64_t rows_affected() const final { return count_; }

 protected:
  // Writes, sets count_, returns the RETURNING rows (nullopt: none).
  virtual Result<std::optional<Batch>> Run() = 0;
  uint64_t count_ = 0;

 private:
  bool done_ = false;
};

}  // namespace tenantdb::sql
