// Distinct and Union: DISTINCT keeps the first row of each distinct row key (DISTINCT ON:
// of each distinct value of its key columns); UNION ALL
// concatenates its inputs, UNION also removes duplicates across both. The set of keys
// seen is what DISTINCT / UNION hold; it is charged to the statement's memory.
#include "absl/container/flat_hash_set.h"
#include "sql/exec/executor.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/exec/memory_estimate.h"
#include "sql/exec/row_key.h"

namespace tenantdb::sql {

namespace {

// Passes on the rows of `child` whose whole-row key it has not seen.
class DistinctOperator final : public Operator {
 public:
  DistinctOperator(std::shared_ptr<const Schema> schema, std::vector<OperatorPtr> children,
                   ExecContext& ctx, std::vector<size_t> key_columns = {})
      : schema_(std::move(schema)),
        children_(std::move(children)),
        key_columns_(std::move(key_columns)),
        ctx_(ctx),
        held_(ctx.memory) {}

  Result<std::optional<Batch>> Next() override {
    while (current_ < children_.size()) {
      TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
      TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, children_[current_]->Next());
      if (!batch.has_value()) {
        ++current_;
        continue;
      }
      std::vector<uint32_t> rows;
      std::string key;
      for (size_t r = 0; r < batch->num_rows(); ++r) {
        if (r % kCheckEveryRows == kCheckEveryRows - 1) TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
        key.clear();
        if (key_columns_.empty()) {
          for (size_t c = 0; c < batch->num_columns(); ++c)
            AppendKeyValue(batch->column(c), r, &key);
        } else {
          for (size_t c : key_columns_)
            AppendKeyValue(batch->column(c), r, &key);
        }
        auto [it, inserted] = seen_.insert(key);
        if (!inserted) continue;
        key_bytes_ += StringHeapBytes(*it);
        rows.push_back(static_cast<uint32_t>(r));
      }
      TDB_RETURN_IF_ERROR(
          held_.Resize(key_bytes_ + HashSlotsBytes(seen_.capacity(), sizeof(std::string))));
      if (rows.empty()) continue;
      return std::optional<Batch>(Relabel(TakeRows(*batch, rows)));
    }
    return std::optional<Batch>();
  }

 private:
  Batch Relabel(Batch batch) {
    Batch out(schema_);
    for (size_t c = 0; c < out.num_columns(); ++c)
      out.mutable_column(c) = std::move(batch.mutable_column(c));
    return out;
  }

  std::shared_ptr<const Schema> schema_;
  std::vector<OperatorPtr> children_;
  std::vector<size_t> key_columns_;  // empty: the whole row
  ExecContext& ctx_;
  size_t current_ = 0;
  absl::flat_hash_set<std::string> seen_;
  size_t key_bytes_ = 0;    // heap bytes of the keys in seen_
  MemoryReservation held_;  // declared after seen_: released before it is freed
};

class UnionAllOperator final : public Operator {
 public:
  UnionAllOperator(std::shared_ptr<const Schema> schema, OperatorPtr left, OperatorPtr right,
                   ExecContext& ctx)
      : schema_(std::move(schema)), ctx_(ctx) {
    children_.push_back(std::move(left));
    children_.push_back(std::move(right));
  }

  Result<std::optional<Batch>> Next() override {
    while (current_ < children_.size()) {
      TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
      TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, children_[current_]->Next());
      if (!batch.has_value()) {
        ++current_;
        continue;
      }
      Batch out(schema_);
      for (size_t c = 0; c < out.num_columns(); ++c)
        out.mutable_column(c) = std::move(batch->mutable_column(c));
      return std::optional<Batch>(std::move(out));
    }
    return std::optional<Batch>();
  }

 private:
  std::shared_ptr<const Schema> schema_;
  ExecContext& ctx_;
  std::vector<OperatorPtr> children_;
  size_t current_ = 0;
};

}  // namespace

Result<OperatorPtr> MakeDistinct(const DistinctNode& plan, OperatorPtr child, ExecContext& ctx) {
  std::vector<OperatorPtr> children;
  children.push_back(std::move(child));
  return OperatorPtr(
      std::make_unique<DistinctOperator>(plan.schema, std::move(children), ctx, plan.key_columns));
}

Result<OperatorPtr> MakeUnion(const SetOpNode& plan, OperatorPtr left, OperatorPtr right,
                              ExecContext& ctx) {
  if (plan.set_all) {
    return OperatorPtr(
        std::make_unique<UnionAllOperator>(plan.schema, std::move(left), std::move(right), ctx));
  }
  std::vector<OperatorPtr> children;
  children.push_back(std::move(left));
  children.push_back(std::move(right));
  return OperatorPtr(std::make_unique<DistinctOperator>(plan.schema, std::move(children), ctx));
}

}  // namespace tenantdb::sql
