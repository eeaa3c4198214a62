// INSERT, UPDATE and DELETE: binds the statement against its table, computes the rows it
// writes (defaults, assignments, ON CONFLICT), checks NOT NULL, hands the writes to the
// table's provider — which adds them to ctx.request.transaction — and evaluates RETURNING.
//
//   INSERT  multi-row VALUES, column lists, DEFAULT, INSERT ... SELECT, DEFAULT VALUES,
//           ON CONFLICT [(key)] DO NOTHING / DO UPDATE SET ... [WHERE ...] with EXCLUDED
//   UPDATE  SET col = expr | DEFAULT [WHERE ...]; a changed primary key moves the row
//   DELETE  [WHERE ...]
//
// Nothing is visible to others until the caller commits the transaction; a statement
// that fails leaves its writes for the caller to roll back. Errors: undefined_table,
// undefined_column, not_null_violation, unique_violation (ON CONFLICT absent and, with
// `check_now`, at once; otherwise at commit), insufficient_privilege, type_mismatch,
// query_canceled (ctx.cancel fired: rows are computed before anything is written, so a
// cancel while reading writes nothing), out_of_memory (the rows read or the source of
// INSERT ... SELECT would pass the statement's limit), and those of the expressions.
// Thread safety: one statement, one thread.
#pragma once

#include "sql/exec/exec_context.h"
#include "sql/exec/query_result.h"
#include "sql/parser/ast/dml.h"
#include "sql/planner/binder.h"

namespace tenantdb::sql {

struct DmlOptions {
  bool check_now = false;  // report duplicate keys at the statement (explicit transaction)
};

Result<QueryResult> ExecuteInsert(const InsertStmt& stmt, Binder& binder, ExecContext& ctx,
                                  const DmlOptions& options);
Result<QueryResult> ExecuteUpdate(const UpdateStmt& stmt, Binder& binder, ExecContext& ctx,
                                  const DmlOptions& options);
Result<QueryResult> ExecuteDelete(const DeleteStmt& stmt, Binder& binder, ExecContext& ctx,
                                  const DmlOptions& options);

// The DEFAULT of `field` bound as an expression of its type (NULL when it has none).
Result<BoundExprPtr> BindColumnDefault(const Field& field, Binder& binder);

}  // namespace tenantdb::sql
