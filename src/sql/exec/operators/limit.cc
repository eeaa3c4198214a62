// Limit: skips OFFSET rows, then passes LIMIT rows and stops pulling its input.
#include "sql/exec/executor.h"
#include "sql/exec/expression_evaluator.h"

namespace tenantdb::sql {

namespace {

class LimitOperator final : public Operator {
 public:
  LimitOperator(const LimitNode& plan, OperatorPtr child, ExecContext& ctx)
      : plan_(plan), child_(std::move(child)), ctx_(ctx) {}

  Result<std::optional<Batch>> Next() override {
    if (!started_) {
      started_ = true;
      TDB_ASSIGN_OR_RETURN(remaining_, Count(plan_.limit, INT64_MAX, "LIMIT"));
      TDB_ASSIGN_OR_RETURN(skip_, Count(plan_.offset, 0, "OFFSET"));
    }
    while (remaining_ > 0) {
      TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
      TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, child_->Next());
      if (!batch.has_value()) return batch;
      const int64_t n = static_cast<int64_t>(batch->num_rows());
      if (skip_ >= n) {
        skip_ -= n;
        continue;
      }
      const int64_t take = std::min(n - skip_, remaining_);
      if (skip_ == 0 && take == n) {
        remaining_ -= take;
        return batch;
      }
      std::vector<uint32_t> rows;
      for (int64_t r = skip_; r < skip_ + take; ++r)
        rows.push_back(static_cast<uint32_t>(r));
      skip_ = 0;
      remaining_ -= take;
      return std::optional<Batch>(TakeRows(*batch, rows));
    }
    return std::optional<Batch>();
  }

 private:
  Result<int64_t> Count(const BoundExprPtr& e, int64_t absent, const char* what) {
    if (!e) return absent;
    TDB_ASSIGN_OR_RETURN(Value v, EvaluateConstant(*e, ctx_));
    if (v.is_null()) return absent;  // LIMIT NULL is no limit, as in PostgreSQL
    if (v.as_int64() < 0) {
      return Status(ErrorCode::kInvalidArgument, std::string(what) + " must not be negative");
    }
    return v.as_int64();
  }

  const LimitNode& plan_;
  OperatorPtr child_;
  ExecContext& ctx_;
  bool started_ = false;
  int64_t remaining_ = 0;
  int64_t skip_ = 0;
};

}  // namespace

Result<OperatorPtr> MakeLimit(const LimitNode& plan, OperatorPtr child, ExecContext& ctx) {
  return OperatorPtr(std::make_unique<LimitOperator>(plan, std::move(child), ctx));
}

}  // namespace tenantdb::sql
