// Ordering helpers of the hot store's top-N scans (ORDER BY ... LIMIT n), shared by the
// RocksDB scan (hot_store.cc) and the cached-rows scan (hot_store_user_cache.cc).
//
// Thread safety: pure functions. Cost: KeepTopRows is a partial sort, O(rows log top_n).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "storage/hot/hot_store.h"
#include "types/batch.h"

namespace tenantdb {

// Keeps the first `top_n` of `rows` (row numbers of `columns`) in the ORDER BY order of
// `order`, sorted so; rows that compare equal keep their relative order (key order).
void KeepTopRows(const Batch& columns, std::span<const HotSortKey> order, size_t top_n,
                 std::vector<uint32_t>* rows);

// Whether a top-N's ORDER BY is the primary key's own order over the scan's range:
// true ascending, false descending, nullopt otherwise. It is when the bounds pin the first
// key columns to one value each (lower and upper agree on them, so every row in range has
// those values) and the sort keys are exactly the remaining key columns, in key order, all
// in one direction. Then the top N are the range's first (or last) N rows: keys are unique
// and never NULL, so there are no ties to order and no NULLs to place.
std::optional<bool> KeyOrderDirection(const Schema& schema, const HotScanOptions& options);

}  // namespace tenantdb
