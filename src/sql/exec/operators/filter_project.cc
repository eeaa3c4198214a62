// Filter and Project: one batch in, one batch out, expressions evaluated vectorized.
#include "sql/exec/executor.h"
#include "sql/exec/expression_evaluator.h"

namespace tenantdb::sql {

namespace {

class FilterOperator final : public Operator {
 public:
  FilterOperator(const PlanNode& plan, OperatorPtr child, ExecContext& ctx)
      : plan_(plan), child_(std::move(child)), ctx_(ctx) {}

  Result<std::optional<Batch>> Next() override {
    while (true) {
      TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, child_->Next());
      if (!batch.has_value()) return batch;
      TDB_ASSIGN_OR_RETURN(ColumnVector keep, Evaluate(*plan_.exprs[0], *batch, ctx_));
      std::vector<uint32_t> rows = SelectedRows(keep);
      if (rows.empty()) continue;
      if (rows.size() == batch->num_rows()) return batch;
      return std::optional<Batch>(TakeRows(*batch, rows));
    }
  }

 private:
  const PlanNode& plan_;
  OperatorPtr child_;
  ExecContext& ctx_;
};

class ProjectOperator final : public Operator {
 public:
  ProjectOperator(const PlanNode& plan, OperatorPtr child, ExecContext& ctx)
      : plan_(plan), child_(std::move(child)), ctx_(ctx) {}

  Result<std::optional<Batch>> Next() override {
    TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, child_->Next());
    if (!batch.has_value()) return batch;
    Batch out(plan_.schema);
    for (size_t i = 0; i < plan_.exprs.size(); ++i) {
      TDB_ASSIGN_OR_RETURN(out.mutable_column(i), Evaluate(*plan_.exprs[i], *batch, ctx_));
    }
    if (plan_.exprs.empty()) {
      // No columns (SELECT FROM t): rows still count; keep them in a placeholder.
      return batch;
    }
    return std::optional<Batch>(std::move(out));
  }

 private:
  const PlanNode& plan_;
  OperatorPtr child_;
  ExecContext& ctx_;
};

}  // namespace

Result<OperatorPtr> MakeFilter(const PlanNode& plan, OperatorPtr child, ExecContext& ctx) {
  return OperatorPtr(std::make_unique<FilterOperator>(plan, std::move(child), ctx));
}

Result<OperatorPtr> MakeProject(const PlanNode& plan, OperatorPtr child, ExecContext& ctx) {
  return OperatorPtr(std::make_unique<ProjectOperator>(plan, std::move(child), ctx));
}

}  // namespace tenantdb::sql
