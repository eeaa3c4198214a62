// CompareSortKeys: orders two rows by evaluated ORDER BY keys the way ORDER BY does —
// each key ascending or descending, NULLs first or last as its SortKey says, the next key
// breaking ties. Shared by Sort, the window operator's ordering and the ORDER BY inside
// aggregates, so the three cannot order differently.
//
// Thread safety: pure functions. Cost: one CompareInColumn per key until one differs.
#pragma once

#include <cstdint>
#include <vector>

#include "sql/exec/row_key.h"
#include "sql/planner/plan/sort_node.h"
#include "types/column_vector.h"

namespace tenantdb::sql {

// <0, 0, >0 as row `a` sorts before, with or after row `b`; `keys[i]` holds key `order[i]`
// evaluated over the rows.
inline int CompareSortKeys(const std::vector<ColumnVector>& keys, const std::vector<SortKey>& order,
                           uint32_t a, uint32_t b) {
  for (size_t i = 0; i < keys.size(); ++i) {
    const ColumnVector& c = keys[i];
    const bool an = c.IsNull(a), bn = c.IsNull(b);
    if (an || bn) {
      if (an && bn) continue;
      return an == order[i].nulls_first ? -1 : 1;
    }
    const int cmp = CompareInColumn(c, a, b);
    if (cmp != 0) return order[i].descending ? -cmp : cmp;
  }
  return 0;
}

}  // namespace tenantdb::sql
