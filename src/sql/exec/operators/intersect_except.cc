// INTERSECT and EXCEPT [ALL]: the right input is counted per whole-row key (NULLs equal,
// as set operations compare rows), then the left input streams through against the
// counts, in its own order:
//   INTERSECT      a left row once if the right has it;
//   INTERSECT ALL  a left row min(left count, right count) times;
//   EXCEPT         a left row once if the right lacks it;
//   EXCEPT ALL     a left row (left count - right count) times.
// The counted right keys are what the operator holds: charged to the statement's memory.
#include "absl/container/flat_hash_map.h"
#include "sql/exec/executor.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/exec/memory_estimate.h"
#include "sql/exec/row_key.h"

namespace tenantdb::sql {

namespace {

class IntersectExceptOperator final : public Operator {
 public:
  IntersectExceptOperator(const SetOpNode& plan, OperatorPtr left, OperatorPtr right,
                          ExecContext& ctx)
      : plan_(plan),
        left_(std::move(left)),
        right_(std::move(right)),
        ctx_(ctx),
        held_(ctx.memory) {
    assert(plan.set_op == SetOp::kIntersect || plan.set_op == SetOp::kExcept);
  }

  Result<std::optional<Batch>> Next() override {
    if (!counted_) {
      counted_ = true;
      TDB_RETURN_IF_ERROR(CountRight());
    }
    const bool intersect = plan_.set_op == SetOp::kIntersect;
    while (true) {
      TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
      TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, left_->Next());
      if (!batch.has_value()) return std::optional<Batch>();
      std::vector<uint32_t> rows;
      std::string key;
      for (size_t r = 0; r < batch->num_rows(); ++r) {
        if (r % kCheckEveryRows == kCheckEveryRows - 1) TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
        RowKey(*batch, r, &key);
        if (intersect) {
          auto it = counts_.find(key);
          if (it == counts_.end() || it->second == 0) continue;
          // Without ALL the first match takes the whole count: later copies find 0.
          it->second = plan_.set_all ? it->second - 1 : 0;
        } else {
          auto [it, inserted] = counts_.try_emplace(key, 0);
          if (inserted) key_bytes_ += StringHeapBytes(it->first);
          if (plan_.set_all) {
            if (it->second > 0) {
              --it->second;  // cancelled by one right copy
              continue;
            }
          } else {
            if (it->second != 0) continue;  // in the right, or emitted already
            it->second = kEmitted;
          }
        }
        rows.push_back(static_cast<uint32_t>(r));
      }
      TDB_RETURN_IF_ERROR(held_.Resize(Bytes()));
      if (rows.empty()) continue;
      Batch taken = rows.size() == batch->num_rows() ? std::move(*batch) : TakeRows(*batch, rows);
      Batch out(plan_.schema);
      for (size_t c = 0; c < out.num_columns(); ++c)
        out.mutable_column(c) = std::move(taken.mutable_column(c));
      return std::optional<Batch>(std::move(out));
    }
  }

 private:
  // EXCEPT without ALL: the count of a key already emitted, so its later left copies are
  // skipped like keys the right has.
  static constexpr int64_t kEmitted = -1;

  static void RowKey(const Batch& batch, size_t row, std::string* key) {
    key->clear();
    for (size_t c = 0; c < batch.num_columns(); ++c)
      AppendKeyValue(batch.column(c), row, key);
  }

  size_t Bytes() const {
    return key_bytes_ + HashSlotsBytes(counts_.capacity(), sizeof(std::pair<std::string, int64_t>));
  }

  Status CountRight() {
    std::string key;
    while (true) {
      TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
      TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, right_->Next());
      if (!batch.has_value()) return Status::Ok();
      for (size_t r = 0; r < batch->num_rows(); ++r) {
        if (r % kCheckEveryRows == kCheckEveryRows - 1) TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
        RowKey(*batch, r, &key);
        auto [it, inserted] = counts_.try_emplace(key, 0);
        if (inserted) key_bytes_ += StringHeapBytes(it->first);
        ++it->second;
      }
      TDB_RETURN_IF_ERROR(held_.Resize(Bytes()));
    }
  }

  const SetOpNode& plan_;
  OperatorPtr left_;
  OperatorPtr right_;
  ExecContext& ctx_;
  bool counted_ = false;
  absl::flat_hash_map<std::string, int64_t> counts_;
  size_t key_bytes_ = 0;    // heap bytes of the keys in counts_
  MemoryReservation held_;  // declared after counts_: released before it is freed
};

}  // namespace

Result<OperatorPtr> MakeIntersectExcept(const SetOpNode& plan, OperatorPtr left, OperatorPtr right,
                                        ExecContext& ctx) {
  return OperatorPtr(
      std::make_unique<IntersectExceptOperator>(plan, std::move(left), std::move(right), ctx));
}

}  // namespace tenantdb::sql
