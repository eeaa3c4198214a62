// Which secondary index a scan may read through, and how: filter_pushdown.cc picks one
// for a WHERE clause (ChooseIndex), index_order.cc one whose order serves an ORDER BY
// ... LIMIT (MatchIndex per index). Pure functions over the bound plan.
#pragma once

#include <optional>
#include <vector>

#include "sql/planner/plan/scan_node.h"

namespace tenantdb::sql {

// How `index` can narrow a read filtered by `conjuncts`.
struct IndexMatch {
  IndexChoice choice;
  // Leading index columns the conjuncts fix by equality (positions in the scan).
  std::vector<size_t> equal_columns;
  // Whether the read is one range of the index (so it can be read in index order): not
  // an IN list of several values.
  bool one_range = true;
  // 0: nothing narrows (the whole index), 1: a range on the first column, 2: an IN list
  // on it, 3 + 2 * equal columns (+ 1 with a range on the next column) otherwise.
  size_t rank = 0;
};

// The read of built index `index` that `conjuncts` allow: equalities on a prefix of its
// columns, then a range on the next column; else an IN list on its first column; else
// a range on it; else the whole index (rank 0). Nullopt when the index is unbuilt or a
// column of it is gone.
std::optional<IndexMatch> MatchIndex(const ScanNode& scan, const HotIndex& index,
                                     const std::vector<BoundExprPtr>& conjuncts);

// The best-ranked MatchIndex over the scan's indexes with rank > 0 (the first of equal
// ranks), for a scan the primary key's bounds did not narrow. The filter stays whole:
// the index narrows the rows; it proves nothing.
std::optional<IndexChoice> ChooseIndex(const ScanNode& scan,
                                       const std::vector<BoundExprPtr>& conjuncts);

}  // namespace tenantdb::sql
