// What the keyed join operators share (semi_join.cc, index_join.cc): the key bytes of a
// row, the batch of candidate (left row, right row) pairs a JoinNode's condition reads
// (left columns, then right ones), and which pairs pass that condition.
//
// Thread safety: pure functions over one execution's batches.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sql/exec/executor.h"

namespace tenantdb::sql {

// Every expression of `exprs` over `batch`, without copying plain columns (EvaluateView):
// pointers into `batch` or `storage` (resized to exprs.size()), valid while both live.
Result<std::vector<const ColumnVector*>> EvaluateViews(
    const std::vector<BoundExprPtr>& exprs, const Batch& batch, ExecContext& ctx,
    std::vector<std::optional<ColumnVector>>* storage);

// The bytes of row `row`'s keys (row_key.h); false when a key is NULL (it matches no row).
bool JoinKeyBytes(const std::vector<const ColumnVector*>& keys, size_t row, std::string* out);

// The schema of a pair row of `join`: its left input's columns, then its right input's.
std::shared_ptr<const Schema> PairSchema(const JoinNode& join);

// The pairs (left row lrows[i], right row rrows[i]) as one batch of `schema`.
Batch PairRows(const std::shared_ptr<const Schema>& schema, const Batch& left,
               const std::vector<uint32_t>& lrows, const Batch& right,
               const std::vector<uint32_t>& rrows);

// The positions of the pairs `condition` holds for (every pair when it is null).
Result<std::vector<uint32_t>> PassingPairs(const BoundExpr* condition, const Batch& pairs,
                                           ExecContext& ctx);

}  // namespace tenantdb::sql
