#include "storage/hot/hot_scan_order.h"

#include <algorithm>

#include "types/column_compare.h"

namespace tenantdb {

void KeepTopRows(const Batch& columns, std::span<const HotSortKey> order, size_t top_n,
                 std::vector<uint32_t>* rows) {
  auto less = [&](uint32_t a, uint32_t b) {
    for (const HotSortKey& k : order) {
      const ColumnVector& c = columns.column(k.column);
      const bool a_null = c.IsNull(a), b_null = c.IsNull(b);
      if (a_null || b_null) {
        if (a_null && b_null) continue;
        return a_null == k.nulls_first;
      }
      const int cmp = CompareInColumn(c, a, b);
      if (cmp != 0) return k.descending ? cmp > 0 : cmp < 0;
    }
    return a < b;
  };
  const size_t keep = std::min(top_n, rows->size());
  std::partial_sort(rows->begin(), rows->begin() + static_cast<ptrdiff_t>(keep), rows->end(), less);
  rows->resize(keep);
}

std::optional<bool> KeyOrderDirection(const Schema& schema, const HotScanOptions& options) {
  const std::vector<size_t> key_columns = schema.PrimaryKeyIndices();
  size_t pinned = 0;
  if (options.lower && options.upper) {
    const std::vector<Value>& lo = options.lower->key;
    const std::vector<Value>& hi = options.upper->key;
    while (pinned < lo.size() && pinned < hi.size() && pinned < key_columns.size() &&
           !lo[pinned].is_null() && lo[pinned] == hi[pinned]) {
      ++pinned;
    }
  }
  if (options.order.empty() || options.order.size() != key_columns.size() - pinned) {
    return std::nullopt;
  }
  const bool descending = options.order[0].descending;
  for (size_t i = 0; i < options.order.size(); ++i) {
    if (options.order[i].column != key_columns[pinned + i] ||
        options.order[i].descending != descending) {
      return std::nullopt;
    }
  }
  return !descending;
}

}  // namespace tenantdb
