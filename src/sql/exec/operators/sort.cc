// Sort: collects its input, orders row indices by the sort keys (typed comparisons, no
// per-row Values) and emits the rows in that order. With a top-N hint from a LIMIT above
// it, only the first N are ordered (partial sort) — ORDER BY created_at DESC LIMIT 20
// costs O(n log 20).
#include <algorithm>
#include <numeric>

#include "sql/exec/executor.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/exec/row_key.h"

namespace tenantdb::sql {

namespace {

class SortOperator final : public Operator {
 public:
  SortOperator(const PlanNode& plan, OperatorPtr child, size_t top_n, ExecContext& ctx)
      : plan_(plan), child_(std::move(child)), top_n_(top_n), ctx_(ctx) {}

  Result<std::optional<Batch>> Next() override {
    if (done_) return std::optional<Batch>();
    done_ = true;
    TDB_ASSIGN_OR_RETURN(Batch all, Drain(*child_, plan_.schema));
    const size_t n = all.num_rows();
    std::vector<ColumnVector> keys;
    for (const SortKey& k : plan_.sort_keys) {
      TDB_ASSIGN_OR_RETURN(ColumnVector v, Evaluate(*k.expr, all, ctx_));
      keys.push_back(std::move(v));
    }
    std::vector<uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    auto less = [&](uint32_t a, uint32_t b) {
      for (size_t i = 0; i < keys.size(); ++i) {
        const ColumnVector& c = keys[i];
        const SortKey& k = plan_.sort_keys[i];
        const bool an = c.IsNull(a), bn = c.IsNull(b);
        if (an || bn) {
          if (an && bn) continue;
          return an == k.nulls_first;
        }
        int cmp = CompareInColumn(c, a, b);
        if (cmp == 0) continue;
        return k.descending ? cmp > 0 : cmp < 0;
      }
      return a < b;  // stable
    };
    if (top_n_ > 0 && top_n_ < n) {
      std::partial_sort(order.begin(), order.begin() + static_cast<ptrdiff_t>(top_n_), order.end(),
                        less);
      order.resize(top_n_);
    } else {
      std::sort(order.begin(), order.end(), less);
    }
    if (n == 0) return std::optional<Batch>();
    return std::optional<Batch>(TakeRows(all, order));
  }

 private:
  const PlanNode& plan_;
  OperatorPtr child_;
  size_t top_n_;
  ExecContext& ctx_;
  bool done_ = false;
};

}  // namespace

Result<OperatorPtr> MakeSort(const PlanNode& plan, OperatorPtr child, size_t top_n,
                             ExecContext& ctx) {
  return OperatorPtr(std::make_unique<SortOperator>(plan, std::move(child), top_n, ctx));
}

}  // namespace tenantdb::sql
