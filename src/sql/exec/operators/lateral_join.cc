// LateralJoin (JoinNode::lateral): for each left row, the right input is planned once but
// run again with that row as the innermost outer row (ctx.outer_rows, where its
// outer-level-1 references read), each of its rows joined to the left row, the ON
// condition evaluated over the pairs, and for a LEFT join a left row no pair kept
// padded with NULLs. PostgreSQL's nested loop with a parameterized inner side.
//
// Memory: one left row's right rows are held at a time (charged while held); the output
// is flushed once it reaches kTargetRows. The cancel token is polled per left row.
#include "sql/exec/executor.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/exec/memory_estimate.h"

namespace tenantdb::sql {

namespace {

constexpr size_t kTargetRows = 4096;

class LateralJoinOperator final : public Operator {
 public:
  LateralJoinOperator(const JoinNode& plan, OperatorPtr left, ExecContext& ctx)
      : plan_(plan), left_(std::move(left)), ctx_(ctx) {}

  Result<std::optional<Batch>> Next() override {
    Batch out(plan_.schema);
    while (!done_ && out.num_rows() < kTargetRows) {
      TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
      if (!batch_.has_value() || pos_ >= batch_->num_rows()) {
        TDB_ASSIGN_OR_RETURN(batch_, left_->Next());
        pos_ = 0;
        done_ = !batch_.has_value();
        continue;
      }
      TDB_RETURN_IF_ERROR(JoinRow(pos_++, &out));
    }
    if (out.num_rows() == 0 && done_) return std::optional<Batch>();
    return std::optional<Batch>(std::move(out));
  }

 private:
  Status JoinRow(size_t r, Batch* out) {
    const Batch& left = *batch_;
    const size_t left_width = left.num_columns();
    ctx_.outer_rows.push_back(left.GetRow(r));
    MemoryReservation charge(ctx_.memory);
    Result<std::vector<Batch>> right = RunPlan(*plan_.children[1], ctx_, &charge);
    ctx_.outer_rows.pop_back();
    if (!right.ok()) return right.status();
    bool matched = false;
    for (const Batch& rows : *right) {
      const size_t n = rows.num_rows();
      if (n == 0) continue;
      Batch pairs(plan_.schema);
      for (size_t c = 0; c < left_width; ++c) {
        for (size_t i = 0; i < n; ++i)
          pairs.mutable_column(c).AppendFrom(left.column(c), r);
      }
      for (size_t c = 0; c < rows.num_columns(); ++c) {
        for (size_t i = 0; i < n; ++i)
          pairs.mutable_column(left_width + c).AppendFrom(rows.column(c), i);
      }
      if (plan_.condition) {
        TDB_ASSIGN_OR_RETURN(ColumnVector keep, Evaluate(*plan_.condition, pairs, ctx_));
        std::vector<uint32_t> kept = SelectedRows(keep);
        if (kept.size() != n) pairs = TakeRows(pairs, kept);
      }
      if (pairs.num_rows() == 0) continue;
      matched = true;
      for (size_t c = 0; c < pairs.num_columns(); ++c) {
        for (size_t i = 0; i < pairs.num_rows(); ++i)
          out->mutable_column(c).AppendFrom(pairs.column(c), i);
      }
    }
    if (!matched && plan_.join_type == JoinType::kLeft) {
      for (size_t c = 0; c < left_width; ++c)
        out->mutable_column(c).AppendFrom(left.column(c), r);
      for (size_t c = left_width; c < out->num_columns(); ++c)
        out->mutable_column(c).AppendNull();
    }
    return Status::Ok();
  }

  const JoinNode& plan_;
  OperatorPtr left_;
  ExecContext& ctx_;
  std::optional<Batch> batch_;
  size_t pos_ = 0;
  bool done_ = false;
};

}  // namespace

Result<OperatorPtr> MakeLateralJoin(const JoinNode& plan, OperatorPtr left, ExecContext& ctx) {
  if (plan.join_type != JoinType::kInner && plan.join_type != JoinType::kLeft) {
    return Status(ErrorCode::kFeatureNotSupported,
                  "a LATERAL item may only be joined with INNER, CROSS or LEFT JOIN");
  }
  return OperatorPtr(std::make_unique<LateralJoinOperator>(plan, std::move(left), ctx));
}

}  // namespace tenantdb::sql
