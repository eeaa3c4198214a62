// Filter and Project: one batch in, one batch out, expressions evaluated vectorized.
#include "sql/exec/executor.h"
#include "sql/exec/expression_evaluator.h"

namespace tenantdb::sql {

namespace {

class FilterOperator final : public Operator {
 public:
  FilterOperator(const FilterNode& plan, OperatorPtr child, ExecContext& ctx)
      : plan_(plan), child_(std::move(child)), ctx_(ctx) {}

  Result<std::optional<Batch>> Next() override {
    while (true) {
      TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
      TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, child_->Next());
      if (!batch.has_value()) return batch;
      TDB_ASSIGN_OR_RETURN(ColumnVector keep, Evaluate(*plan_.predicate, *batch, ctx_));
      std::vector<uint32_t> rows = SelectedRows(keep);
      if (rows.empty()) continue;
      if (rows.size() == batch->num_rows()) return batch;
      return std::optional<Batch>(TakeRows(*batch, rows));
    }
  }

 private:
  const FilterNode& plan_;
  OperatorPtr child_;
  ExecContext& ctx_;
};

class ProjectOperator final : public Operator {
 public:
  ProjectOperator(const ProjectNode& plan, OperatorPtr child, ExecContext& ctx)
      : plan_(plan), child_(std::move(child)), ctx_(ctx) {}

  Result<std::optional<Batch>> Next() override {
    TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
    TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, child_->Next());
    if (!batch.has_value()) return batch;
    if (plan_.exprs.empty()) {
      // No columns (SELECT FROM t): rows still count; keep them in a placeholder.
      return batch;
    }
    if (movable_.empty()) FindMovableColumns(batch->num_columns());
    // Computed columns first, while every input column is still in place; then input
    // columns used exactly once are moved, not copied.
    std::vector<ColumnVector> computed;
    for (size_t i = 0; i < plan_.exprs.size(); ++i) {
      if (movable_[i]) continue;
      TDB_ASSIGN_OR_RETURN(ColumnVector v, Evaluate(*plan_.exprs[i], *batch, ctx_));
      computed.push_back(std::move(v));
    }
    std::vector<ColumnVector> out;
    out.reserve(plan_.exprs.size());
    for (size_t i = 0, next = 0; i < plan_.exprs.size(); ++i) {
      out.push_back(movable_[i] ? std::move(batch->mutable_column(plan_.exprs[i]->column))
                                : std::move(computed[next++]));
    }
    return std::optional<Batch>(Batch(plan_.schema, std::move(out)));
  }

 private:
  static void CountColumns(const BoundExpr& e, std::vector<int>* refs) {
    if (e.kind == BoundExprKind::kColumn && e.outer_level == 0 && e.column < refs->size()) {
      ++(*refs)[e.column];
    }
    for (const auto& c : e.children)
      CountColumns(*c, refs);
  }

  void FindMovableColumns(size_t input_columns) {
    std::vector<int> refs(input_columns, 0);
    for (const auto& e : plan_.exprs)
      CountColumns(*e, &refs);
    movable_.assign(plan_.exprs.size(), false);
    for (size_t i = 0; i < plan_.exprs.size(); ++i) {
      const BoundExpr& e = *plan_.exprs[i];
      movable_[i] = e.kind == BoundExprKind::kColumn && e.outer_level == 0 &&
                    e.column < input_columns && refs[e.column] == 1;
    }
  }

  const ProjectNode& plan_;
  OperatorPtr child_;
  ExecContext& ctx_;
  std::vector<bool> movable_;
};

}  // namespace

Result<OperatorPtr> MakeFilter(const FilterNode& plan, OperatorPtr child, ExecContext& ctx) {
  return OperatorPtr(std::make_unique<FilterOperator>(plan, std::move(child), ctx));
}

Result<OperatorPtr> MakeProject(const ProjectNode& plan, OperatorPtr child, ExecContext& ctx) {
  return OperatorPtr(std::make_unique<ProjectOperator>(plan, std::move(child), ctx));
}

}  // namespace tenantdb::sql
