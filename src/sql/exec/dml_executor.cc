#include "sql/exec/dml_executor.h"

namespace tenantdb::sql {

bool IsWritePlan(const PlanNode& plan) {
  return plan.kind == PlanKind::kInsert || plan.kind == PlanKind::kUpdate ||
         plan.kind == PlanKind::kDelete;
}

Result<std::unique_ptr<DmlOperator>> MakeWriteOperator(const PlanNode& plan, ExecContext& ctx,
                                                       const DmlOptions& options) {
  switch (plan.kind) {
    case PlanKind::kInsert:
      return MakeInsert(plan.As<InsertNode>(), ctx, options);
    case PlanKind::kUpdate:
      return MakeUpdate(plan.As<UpdateNode>(), ctx, options);
    case PlanKind::kDelete:
      return MakeDelete(plan.As<DeleteNode>(), ctx, options);
    default:
      return Status(ErrorCode::kInternal, "not a write plan");
  }
}

Result<QueryResult> ExecuteWrite(const PlanNode& plan, ExecContext& ctx,
                                 const DmlOptions& options) {
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<DmlOperator> op, MakeWriteOperator(plan, ctx, options));
  QueryResult result;
  // Statements without RETURNING return no rows: a null schema, as QueryResult says.
  if (!plan.columns.empty()) result.schema = plan.schema;
  while (true) {
    TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, op->Next());
    if (!batch.has_value()) break;
    if (batch->num_rows() > 0 && result.schema != nullptr)
      result.batches.push_back(std::move(*batch));
  }
  result.command_tag = op->command_tag();
  result.rows_affected = op->rows_affected();
  return result;
}

}  // namespace tenantdb::sql
