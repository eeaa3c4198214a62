// Join: INNER, LEFT and FULL joins. With equi-join keys the right input is built into a
// hash table on its keys (JoinHashTable; NULL keys never match) and each left batch probes it;
// without keys every pair is a candidate (nested loop). The residual ON condition is
// evaluated vectorized over the candidate pairs; a LEFT or FULL join then adds each
// unmatched left row with NULLs on the right, and a FULL join, once the left input is
// done, each right row no pair matched with NULLs on the left.
//
// The right side (and its hash table) is what a join holds: it is charged to the
// statement's memory. A left batch is probed a slice at a time, so one output batch
// holds about kMaxPairs (16K) candidate pairs however large the right side is (a cross join
// of 10^4 x 10^4 rows streams instead of building 10^8 pairs), and the pair loops poll
// the cancel token every kCheckEveryRows pairs.
#include "sql/exec/executor.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/exec/join_hash_table.h"
#include "sql/exec/memory_estimate.h"
#include "sql/exec/operators/join_support.h"

namespace tenantdb::sql {

namespace {

class JoinOperator final : public Operator {
 public:
  JoinOperator(const JoinNode& plan, OperatorPtr left, OperatorPtr right, ExecContext& ctx)
      : plan_(plan),
        left_(std::move(left)),
        right_op_(std::move(right)),
        ctx_(ctx),
        right_(plan.children[1]->schema),
        held_(ctx.memory) {}

  Result<std::optional<Batch>> Next() override {
    TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
    if (!built_) {
      built_ = true;
      TDB_RETURN_IF_ERROR(Build());
    }
    while (true) {
      TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
      if (left_done_) return UnmatchedRight();
      if (!left_batch_.has_value() || left_pos_ >= left_batch_->num_rows()) {
        TDB_ASSIGN_OR_RETURN(left_batch_, left_->Next());
        if (!left_batch_.has_value()) {
          left_done_ = true;
          return UnmatchedRight();
        }
        left_pos_ = 0;
        TDB_ASSIGN_OR_RETURN(
            left_keys_, EvaluateViews(plan_.left_keys, *left_batch_, ctx_, &left_key_storage_));
      }
      TDB_ASSIGN_OR_RETURN(Batch out, Probe(*left_batch_));
      if (out.num_rows() > 0) return std::optional<Batch>(std::move(out));
    }
  }

 private:
  // Candidate pairs per probe slice: bounds an output batch (and its memory).
  static constexpr size_t kMaxPairs = 1 << 14;

  bool hashed() const { return !plan_.left_keys.empty(); }
  bool full() const { return plan_.join_type == JoinType::kFull; }

  // FULL JOIN, after the last left row: the right rows no pair matched, NULL-extended on
  // the left, kMaxPairs at a time; then the end.
  Result<std::optional<Batch>> UnmatchedRight() {
    if (!full()) return std::optional<Batch>();
    const size_t lw = plan_.children[0]->columns.size();
    Batch out(plan_.schema);
    size_t rows = 0;
    for (; unmatched_pos_ < right_.num_rows() && rows < kMaxPairs; ++unmatched_pos_) {
      if (right_matched_[unmatched_pos_]) continue;
      ++rows;
      for (size_t c = 0; c < lw; ++c)
        out.mutable_column(c).AppendNull();
      for (size_t c = lw; c < out.num_columns(); ++c)
        out.mutable_column(c).AppendFrom(right_.column(c - lw), unmatched_pos_);
    }
    if (rows == 0) return std::optional<Batch>();
    return std::optional<Batch>(std::move(out));
  }

  Status Build() {
    TDB_ASSIGN_OR_RETURN(right_, Drain(*right_op_, plan_.children[1]->schema, ctx_, &held_));
    if (full()) right_matched_.assign(right_.num_rows(), false);
    if (!hashed()) return Status::Ok();
    std::vector<std::optional<ColumnVector>> storage;
    TDB_ASSIGN_OR_RETURN(std::vector<const ColumnVector*> keys,
                         EvaluateViews(plan_.right_keys, right_, ctx_, &storage));
    std::vector<DataType> probe_types;
    for (const auto& e : plan_.left_keys)
      probe_types.push_back(e->type);
    const size_t right_bytes = held_.bytes();
    TDB_RETURN_IF_ERROR(table_.Build(keys, right_.num_rows(), probe_types, [&]() -> Status {
      TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
      return held_.Resize(right_bytes + table_.MemoryBytes());
    }));
    return held_.Resize(right_bytes + table_.MemoryBytes());
  }

  // Joins the left rows from left_pos_ on, until about kMaxPairs candidate pairs, and
  // advances left_pos_ past them.
  Result<Batch> Probe(const Batch& left) {
    std::vector<uint32_t> left_rows, right_rows;
    const size_t first = left_pos_;
    size_t r = first;
    size_t since_check = 0;
    auto poll = [&](size_t pairs) -> Status {
      since_check += pairs;
      if (since_check < kCheckEveryRows) return Status::Ok();
      since_check = 0;
      return ctx_.cancel->Check();
    };
    if (hashed()) {
      std::string key;
      size_t polled = 0;  // pairs counted by poll
      for (; r < left.num_rows() && left_rows.size() < kMaxPairs; ++r) {
        TDB_RETURN_IF_ERROR(poll(1));
        for (uint32_t rr = table_.Find(left_keys_, r, &key); rr != JoinHashTable::kEnd;
             rr = table_.Next(rr)) {
          left_rows.push_back(static_cast<uint32_t>(r));
          right_rows.push_back(rr);
        }
        TDB_RETURN_IF_ERROR(poll(left_rows.size() - polled));
        polled = left_rows.size();
      }
    } else {
      for (; r < left.num_rows() && (r == first || left_rows.size() < kMaxPairs); ++r) {
        for (size_t rr = 0; rr < right_.num_rows(); ++rr) {
          TDB_RETURN_IF_ERROR(poll(1));
          left_rows.push_back(static_cast<uint32_t>(r));
          right_rows.push_back(static_cast<uint32_t>(rr));
        }
      }
    }
    left_pos_ = r;
    Batch pairs = Pairs(left, left_rows, right_rows);
    std::vector<bool> matched(left.num_rows(), false);
    std::vector<uint32_t> kept;
    if (plan_.condition && pairs.num_rows() > 0) {
      TDB_ASSIGN_OR_RETURN(ColumnVector keep, Evaluate(*plan_.condition, pairs, ctx_));
      kept = SelectedRows(keep);
    } else {
      kept.resize(pairs.num_rows());
      for (size_t i = 0; i < kept.size(); ++i)
        kept[i] = static_cast<uint32_t>(i);
    }
    for (uint32_t i : kept)
      matched[left_rows[i]] = true;
    if (full()) {
      for (uint32_t i : kept)
        right_matched_[right_rows[i]] = true;
    }
    Batch out = kept.size() == pairs.num_rows() ? std::move(pairs) : TakeRows(pairs, kept);
    if (plan_.join_type == JoinType::kLeft || full()) {
      const size_t lw = left.num_columns();
      for (size_t row = first; row < r; ++row) {
        if (matched[row]) continue;
        for (size_t c = 0; c < lw; ++c)
          out.mutable_column(c).AppendFrom(left.column(c), row);
        for (size_t c = lw; c < out.num_columns(); ++c)
          out.mutable_column(c).AppendNull();
      }
    }
    return out;
  }

  Batch Pairs(const Batch& left, const std::vector<uint32_t>& lrows,
              const std::vector<uint32_t>& rrows) {
    Batch out(plan_.schema);
    const size_t lw = left.num_columns();
    for (size_t c = 0; c < out.num_columns(); ++c) {
      ColumnVector& dst = out.mutable_column(c);
      if (c < lw) {
        dst.AppendRows(left.column(c), lrows);
      } else {
        dst.AppendRows(right_.column(c - lw), rrows);
      }
    }
    return out;
  }

  const JoinNode& plan_;
  OperatorPtr left_;
  OperatorPtr right_op_;
  ExecContext& ctx_;
  bool built_ = false;
  bool left_done_ = false;
  Batch right_;
  JoinHashTable table_;
  MemoryReservation held_;  // right_ and table_
  // FULL JOIN: which right rows some pair matched, and the next one UnmatchedRight checks.
  std::vector<bool> right_matched_;
  size_t unmatched_pos_ = 0;
  // The left batch being probed, its key columns, and the next row to probe.
  std::optional<Batch> left_batch_;
  std::vector<const ColumnVector*> left_keys_;  // views of left_batch_ or the storage
  std::vector<std::optional<ColumnVector>> left_key_storage_;
  size_t left_pos_ = 0;
};

}  // namespace

Result<OperatorPtr> MakeJoin(const JoinNode& plan, OperatorPtr left, OperatorPtr right,
                             ExecContext& ctx) {
  if (plan.LeftOnly()) return MakeSemiJoin(plan, std::move(left), std::move(right), ctx);
  return OperatorPtr(std::make_unique<JoinOperator>(plan, std::move(left), std::move(right), ctx));
}

}  // namespace tenantdb::sql
