// CancellableSort: std::sort cannot be interrupted, so a sort of many rows runs as sorted
// runs of kSortRunRows merged pairwise by a loop that polls the cancel token; a cancel
// lands within one run's sort or kCheckEveryRows merged rows. Used by the operators that
// order all their input (sort, window).
//
// Cost: O(n log n) comparisons, n - 1 for input already in order; `scratch` grows to order.size()
// for inputs of more than one run (callers charge it to the statement's memory).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "sql/exec/exec_context.h"

namespace tenantdb::sql {

inline constexpr size_t kSortRunRows = 1 << 16;

// Sorts `order` by `less` (a strict weak order, total over distinct indices) as merged
// runs, polling `cancel`. `scratch` is a buffer of order.size() the caller has charged.
template <typename Less>
Status CancellableSort(std::vector<uint32_t>& order, std::vector<uint32_t>& scratch,
                       const Less& less, CancelToken& cancel) {
  const size_t n = order.size();
  for (size_t begin = 0; begin < n; begin += kSortRunRows) {
    TDB_RETURN_IF_ERROR(cancel.Check());
    const size_t end = std::min(n, begin + kSortRunRows);
    const auto first = order.begin() + static_cast<ptrdiff_t>(begin);
    const auto last = order.begin() + static_cast<ptrdiff_t>(end);
    // Input that arrives in order (a top-N read of an index or the key, under its Sort)
    // costs one comparison a row; other input usually fails the check within a few rows.
    if (!std::is_sorted(first, last, less)) std::sort(first, last, less);
  }
  if (n <= kSortRunRows) return Status::Ok();
  scratch.resize(n);
  size_t since_check = 0;
  for (size_t width = kSortRunRows; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      const size_t mid = std::min(n, lo + width), hi = std::min(n, lo + 2 * width);
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        if (++since_check == kCheckEveryRows) {
          since_check = 0;
          TDB_RETURN_IF_ERROR(cancel.Check());
        }
        scratch[k++] = less(order[j], order[i]) ? order[j++] : order[i++];
      }
      while (i < mid)
        scratch[k++] = order[i++];
      while (j < hi)
        scratch[k++] = order[j++];
    }
    order.swap(scratch);
  }
  return Status::Ok();
}

}  // namespace tenantdb::sql
