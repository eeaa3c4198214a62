// Join: INNER and LEFT joins. With equi-join keys the right input is built into a hash
// table on its key bytes (NULL keys never match) and each left batch probes it; without
// keys every pair is a candidate (nested loop). The residual ON condition is evaluated
// vectorized over the candidate pairs; a LEFT join then adds each unmatched left row with
// NULLs on the right.
#include "absl/container/flat_hash_map.h"
#include "sql/exec/executor.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/exec/row_key.h"

namespace tenantdb::sql {

namespace {

class JoinOperator final : public Operator {
 public:
  JoinOperator(const PlanNode& plan, OperatorPtr left, OperatorPtr right, ExecContext& ctx)
      : plan_(plan),
        left_(std::move(left)),
        right_op_(std::move(right)),
        ctx_(ctx),
        right_(plan.children[1]->schema) {}

  Result<std::optional<Batch>> Next() override {
    if (!built_) {
      built_ = true;
      TDB_RETURN_IF_ERROR(Build());
    }
    while (true) {
      TDB_ASSIGN_OR_RETURN(std::optional<Batch> left, left_->Next());
      if (!left.has_value()) return left;
      TDB_ASSIGN_OR_RETURN(Batch out, Probe(*left));
      if (out.num_rows() > 0) return std::optional<Batch>(std::move(out));
    }
  }

 private:
  bool hashed() const { return !plan_.left_keys.empty(); }

  Status Build() {
    TDB_ASSIGN_OR_RETURN(right_, Drain(*right_op_, plan_.children[1]->schema));
    if (!hashed()) return Status::Ok();
    std::vector<ColumnVector> keys;
    for (const auto& e : plan_.right_keys) {
      TDB_ASSIGN_OR_RETURN(ColumnVector v, Evaluate(*e, right_, ctx_));
      keys.push_back(std::move(v));
    }
    std::string key;
    for (size_t r = 0; r < right_.num_rows(); ++r) {
      if (!Key(keys, r, &key)) continue;
      table_[key].push_back(static_cast<uint32_t>(r));
    }
    return Status::Ok();
  }

  static bool Key(const std::vector<ColumnVector>& keys, size_t row, std::string* out) {
    out->clear();
    for (const ColumnVector& c : keys) {
      if (c.IsNull(row)) return false;
      AppendKeyValue(c, row, out);
    }
    return true;
  }

  Result<Batch> Probe(const Batch& left) {
    std::vector<uint32_t> left_rows, right_rows;
    if (hashed()) {
      std::vector<ColumnVector> keys;
      for (const auto& e : plan_.left_keys) {
        TDB_ASSIGN_OR_RETURN(ColumnVector v, Evaluate(*e, left, ctx_));
        keys.push_back(std::move(v));
      }
      std::string key;
      for (size_t r = 0; r < left.num_rows(); ++r) {
        if (!Key(keys, r, &key)) continue;
        auto it = table_.find(key);
        if (it == table_.end()) continue;
        for (uint32_t rr : it->second) {
          left_rows.push_back(static_cast<uint32_t>(r));
          right_rows.push_back(rr);
        }
      }
    } else {
      for (size_t r = 0; r < left.num_rows(); ++r) {
        for (size_t rr = 0; rr < right_.num_rows(); ++rr) {
          left_rows.push_back(static_cast<uint32_t>(r));
          right_rows.push_back(static_cast<uint32_t>(rr));
        }
      }
    }
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
    Batch out = kept.size() == pairs.num_rows() ? std::move(pairs) : TakeRows(pairs, kept);
    if (plan_.join_type == JoinType::kLeft) {
      const size_t lw = left.num_columns();
      for (size_t r = 0; r < left.num_rows(); ++r) {
        if (matched[r]) continue;
        for (size_t c = 0; c < lw; ++c)
          out.mutable_column(c).AppendFrom(left.column(c), r);
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
      dst.Reserve(lrows.size());
      if (c < lw) {
        for (uint32_t r : lrows)
          dst.AppendFrom(left.column(c), r);
      } else {
        for (uint32_t r : rrows)
          dst.AppendFrom(right_.column(c - lw), r);
      }
    }
    return out;
  }

  const PlanNode& plan_;
  OperatorPtr left_;
  OperatorPtr right_op_;
  ExecContext& ctx_;
  bool built_ = false;
  Batch right_;
  absl::flat_hash_map<std::string, std::vector<uint32_t>> table_;
};

}  // namespace

Result<OperatorPtr> MakeJoin(const PlanNode& plan, OperatorPtr left, OperatorPtr right,
                             ExecContext& ctx) {
  return OperatorPtr(std::make_unique<JoinOperator>(plan, std::move(left), std::move(right), ctx));
}

}  // namespace tenantdb::sql
