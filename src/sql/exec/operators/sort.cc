// Sort: collects its input, orders row indices by the sort keys (typed comparisons, no
// per-row Values) and emits the rows in that order, kOutputRows at a time. With a top-N
// hint from a LIMIT above it, only the first N are ordered (partial sort) — ORDER BY
// created_at DESC LIMIT 20 costs O(n log 20).
//
// The rows it keeps, their key columns and the index arrays are charged to the
// statement's memory. A full sort is cancellable (cancellable_sort.h).
#include <algorithm>
#include <numeric>
#include <optional>

#include "sql/exec/cancellable_sort.h"
#include "sql/exec/executor.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/exec/memory_estimate.h"
#include "sql/exec/row_key.h"
#include "sql/exec/sort_key_compare.h"

namespace tenantdb::sql {

namespace {

constexpr size_t kOutputRows = 1 << 12;

class SortOperator final : public Operator {
 public:
  SortOperator(const SortNode& plan, OperatorPtr child, size_t top_n, ExecContext& ctx)
      : plan_(plan), child_(std::move(child)), top_n_(top_n), ctx_(ctx), held_(ctx.memory) {}

  Result<std::optional<Batch>> Next() override {
    TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
    if (!sorted_) {
      sorted_ = true;
      TDB_RETURN_IF_ERROR(SortInput());
    }
    if (next_ >= order_.size()) {
      // Done: give the memory back before the parent goes on.
      order_ = {};
      all_.reset();
      held_.Reset();
      return std::optional<Batch>();
    }
    if (next_ == 0 && order_.size() == all_->num_rows() && order_.size() <= kOutputRows &&
        InOrder(order_)) {
      // The input was in order already (a top-N scan hands this sort its rows in key
      // order): the rows go out as they came, without a copy.
      next_ = order_.size();
      Batch out = std::move(*all_);
      all_.reset();
      held_.Reset();
      return std::optional<Batch>(std::move(out));
    }
    const size_t end = std::min(order_.size(), next_ + kOutputRows);
    std::vector<uint32_t> slice(order_.begin() + static_cast<ptrdiff_t>(next_),
                                order_.begin() + static_cast<ptrdiff_t>(end));
    next_ = end;
    return std::optional<Batch>(TakeRows(*all_, slice));
  }

 private:
  static bool InOrder(const std::vector<uint32_t>& order) {
    for (size_t i = 0; i < order.size(); ++i) {
      if (order[i] != i) return false;
    }
    return true;
  }

  // Whether rows 0, 1, ... are in order already. One integer key without NULLs (ORDER BY
  // the key, a time) is compared as numbers, not through the general comparison: equal
  // neighbours are in order either way (a stable sort keeps them), so the rows are
  // ordered when no neighbour is greater (less, when descending).
  template <typename Less>
  bool KeysInOrder(const std::vector<ColumnVector>& keys, const Less& less) const {
    if (keys.size() == 1 && keys[0].null_count() == 0) {
      const bool descending = plan_.sort_keys[0].descending;
      const auto ordered = [descending](auto values) {
        for (size_t i = 1; i < values.size(); ++i) {
          if (descending ? values[i - 1] < values[i] : values[i] < values[i - 1]) return false;
        }
        return true;
      };
      switch (keys[0].type()) {
        case DataType::kBigInt:
        case DataType::kTimestamp:
        case DataType::kTimestampTz:
          return ordered(keys[0].values<int64_t>());
        case DataType::kInt:
        case DataType::kDate:
          return ordered(keys[0].values<int32_t>());
        default:
          break;
      }
    }
    return std::is_sorted(order_.begin(), order_.end(), less);
  }

  Status SortInput() {
    TDB_ASSIGN_OR_RETURN(Batch drained, Drain(*child_, plan_.schema, ctx_, &held_));
    all_ = std::move(drained);
    const size_t n = all_->num_rows();
    std::vector<ColumnVector> keys;
    size_t key_bytes = 0;
    for (const SortKey& k : plan_.sort_keys) {
      TDB_ASSIGN_OR_RETURN(ColumnVector v, Evaluate(*k.expr, *all_, ctx_));
      key_bytes += v.MemoryBytes();
      keys.push_back(std::move(v));
    }
    // Rows, keys, the order and (for a full sort) the merge buffer.
    const bool partial = top_n_ > 0 && top_n_ < n;
    const size_t index_bytes = n * sizeof(uint32_t) * (partial ? 1 : 2);
    TDB_RETURN_IF_ERROR(held_.Resize(BatchBytes(*all_) + key_bytes + index_bytes));
    order_.resize(n);
    std::iota(order_.begin(), order_.end(), 0);
    auto less = [&](uint32_t a, uint32_t b) {
      const int c = CompareSortKeys(keys, plan_.sort_keys, a, b);
      return c != 0 ? c < 0 : a < b;  // stable
    };
    // Input already in order (an index read in key order under ORDER BY ... LIMIT) costs
    // n - 1 comparisons to recognise, less than sorting it; unordered input is usually
    // recognised within its first few rows. Only for an output's worth of rows: the check
    // does not look for cancellation, the sort below does.
    if (n <= kOutputRows && KeysInOrder(keys, less)) {
      if (partial) order_.resize(top_n_);
    } else if (partial) {
      std::partial_sort(order_.begin(), order_.begin() + static_cast<ptrdiff_t>(top_n_),
                        order_.end(), less);
      order_.resize(top_n_);
    } else {
      std::vector<uint32_t> scratch;
      TDB_RETURN_IF_ERROR(CancellableSort(order_, scratch, less, *ctx_.cancel));
    }
    return Status::Ok();
  }

  const SortNode& plan_;
  OperatorPtr child_;
  size_t top_n_;
  ExecContext& ctx_;
  bool sorted_ = false;
  std::optional<Batch> all_;  // the input, once drained, until its rows have gone out
  std::vector<uint32_t> order_;
  size_t next_ = 0;
  MemoryReservation held_;
};

}  // namespace

Result<OperatorPtr> MakeSort(const SortNode& plan, OperatorPtr child, size_t top_n,
                             ExecContext& ctx) {
  return OperatorPtr(std::make_unique<SortOperator>(plan, std::move(child), top_n, ctx));
}

}  // namespace tenantdb::sql
