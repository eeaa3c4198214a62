// Runs bound writes: the plans of INSERT, UPDATE and DELETE (InsertNode, UpdateNode,
// DeleteNode, bound by the binder, sql/planner/binder_dml.cc) through their operators
// (InsertOperator, UpdateOperator, DeleteOperator in sql/exec/operators/).
//
//   INSERT  multi-row VALUES, column lists, DEFAULT, INSERT ... SELECT, DEFAULT VALUES,
//           ON CONFLICT [(key)] DO NOTHING / DO UPDATE SET ... [WHERE ...] with EXCLUDED
//   UPDATE  SET col = expr | DEFAULT [WHERE ...]; a changed primary key moves the row
//   DELETE  [WHERE ...]
//
// A write operator computes the rows it writes, checks NOT NULL, hands the writes to the
// table's provider — which adds them to ctx.request.transaction — on its first Next(), and
// then returns the RETURNING rows. Nothing is visible to others until the caller commits
// the transaction; a statement that fails leaves its writes for the caller to roll back.
// Errors: not_null_violation, unique_violation (ON CONFLICT absent and, with `check_now`,
// at once; otherwise at commit), insufficient_privilege (the plan's table is checked
// again for this execution's user), query_canceled (ctx.cancel fired: rows are computed
// before anything is written, so a cancel while reading writes nothing), out_of_memory
// (the rows read or the source of INSERT ... SELECT would pass the statement's limit),
// and those of the expressions.
// Thread safety: one execution, one thread; the plan is shared and immutable.
#pragma once

#include <memory>

#include "sql/exec/exec_context.h"
#include "sql/exec/executor.h"
#include "sql/exec/query_result.h"
#include "sql/planner/column_defaults.h"  // BindColumnDefault, for DDL's checks
#include "sql/planner/logical_plan.h"

namespace tenantdb::sql {

struct DmlOptions {
  bool check_now = false;  // report duplicate keys at the statement (explicit transaction)
};

// A write operator: writes on its first Next(), then returns its RETURNING rows (none
// without RETURNING).
class DmlOperator : public Operator {
 public:
  // Rows written; final once Next() has returned its first result.
  virtual uint64_t rows_affected() const = 0;
  // PostgreSQL's command tag ("INSERT 0 3", "UPDATE 2", "DELETE 0").
  virtual std::string command_tag() const = 0;
};

// Whether `plan` is a write (InsertNode, UpdateNode or DeleteNode).
bool IsWritePlan(const PlanNode& plan);

// The operator for a write plan; `ctx` and `plan` must outlive it.
Result<std::unique_ptr<DmlOperator>> MakeWriteOperator(const PlanNode& plan, ExecContext& ctx,
                                                       const DmlOptions& options);
Result<std::unique_ptr<DmlOperator>> MakeInsert(const InsertNode& plan, ExecContext& ctx,
                                                const DmlOptions& options);
Result<std::unique_ptr<DmlOperator>> MakeUpdate(const UpdateNode& plan, ExecContext& ctx,
                                                const DmlOptions& options);
Result<std::unique_ptr<DmlOperator>> MakeDelete(const DeleteNode& plan, ExecContext& ctx,
                                                const DmlOptions& options);

// Runs a write plan to its end: its tag, rows written and RETURNING rows.
Result<QueryResult> ExecuteWrite(const PlanNode& plan, ExecContext& ctx, const DmlOptions& options);

}  // namespace tenantdb::sql
