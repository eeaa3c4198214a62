// CteScan: the rows of a WITH item read more than once (an item read once is inlined by
// the optimizer and has no scan). The first scan to run computes the item's rows and
// keeps them in ExecContext::ctes, charged to the statement's memory until the execution
// ends; every scan, that one included, then hands out copies of the held batches. A
// correlated item (it reads the enclosing query's columns) is computed by each scan and
// never shared, since the enclosing row may differ between executions of a subquery.
#include "sql/exec/executor.h"

namespace tenantdb::sql {

namespace {

class CteScanOperator final : public Operator {
 public:
  CteScanOperator(const CteScanNode& plan, ExecContext& ctx)
      : plan_(plan), ctx_(ctx), own_charge_(ctx.memory) {}

  Result<std::optional<Batch>> Next() override {
    if (!rows_) TDB_RETURN_IF_ERROR(Load());
    if (next_ == rows_->size()) return std::optional<Batch>();
    TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
    const Batch& held = (*rows_)[next_++];
    Batch out(plan_.schema);
    for (size_t c = 0; c < out.num_columns(); ++c)
      out.mutable_column(c) = held.column(c);
    return std::optional<Batch>(std::move(out));
  }

 private:
  Status Load() {
    const CteNode& cte = *plan_.cte;
    assert(!cte.children.empty());  // only an inlined item has no query, and no scans
    if (!cte.correlated) {
      if (auto it = ctx_.ctes.find(cte.cte_id); it != ctx_.ctes.end()) {
        rows_ = it->second.rows;
        return Status::Ok();
      }
    }
    MemoryReservation charge(ctx_.memory);
    TDB_ASSIGN_OR_RETURN(std::vector<Batch> batches, RunPlan(*cte.children[0], ctx_, &charge));
    rows_ = std::make_shared<const std::vector<Batch>>(std::move(batches));
    if (cte.correlated) {
      own_charge_ = std::move(charge);
      return Status::Ok();
    }
    ExecContext::CteRows& entry = ctx_.ctes[cte.cte_id];
    entry.rows = rows_;
    entry.charge = std::move(charge);
    return Status::Ok();
  }

  const CteScanNode& plan_;
  ExecContext& ctx_;
  std::shared_ptr<const std::vector<Batch>> rows_;
  size_t next_ = 0;
  MemoryReservation own_charge_;  // a correlated item's rows, held by this scan alone
};

}  // namespace

Result<OperatorPtr> MakeCteScan(const CteScanNode& plan, ExecContext& ctx) {
  return OperatorPtr(std::make_unique<CteScanOperator>(plan, ctx));
}

}  // namespace tenantdb::sql
