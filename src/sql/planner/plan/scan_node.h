// ScanNode: a table read, with what the optimizer pushed into it: primary-key bounds, a
// row limit or a top-N order, the columns to decode, and the residual filter.
#pragma once

#include <optional>
#include <vector>

#include "sql/planner/bound_expr.h"
#include "sql/planner/plan/plan_node.h"
#include "storage/hot/hot_index.h"
#include "tables/table_provider.h"

namespace tenantdb::sql {

// A bound on the primary key found in a WHERE clause: for each key column in order, an
// expression giving its value (evaluated once per execution: constants and parameters),
// as in HotKeyBound.
struct BoundKeyBound {
  std::vector<BoundExprPtr> key;
  bool inclusive = true;
};

// A read through a secondary index (the optimizer's choice, optimizer/index_choice.h):
// the entries whose first columns equal one of `points` (each values for a prefix of the
// index's columns; IN lists give several), or lie within `lower` / `upper` (bounds on a
// prefix of its columns: equalities, then a range on the next column), or every entry
// (none of them). The scan's filter still checks every row.
struct IndexChoice {
  HotIndex index;
  std::vector<std::vector<BoundExprPtr>> points;
  std::optional<BoundKeyBound> lower;
  std::optional<BoundKeyBound> upper;
  // Read in index order (reversed when `descending`) for the ORDER BY ... LIMIT above
  // (optimizer/index_order.cc): the scan returns the first `top_n` rows its filter
  // accepts, then stops. The Sort and Limit above stay (and do the work when the read
  // cannot be ordered after all: ScanRequest::index_order).
  bool ordered = false;
  bool descending = false;
  size_t top_n = 0;
};

struct ScanNode final : PlanNode {
  static constexpr PlanKind kKind = PlanKind::kScan;
  ScanNode() : PlanNode(kKind) {}

  TableProviderRef table;
  std::optional<BoundKeyBound> lower;
  std::optional<BoundKeyBound> upper;
  size_t scan_limit = 0;  // read at most this many rows (0: all)
  // ORDER BY these scan columns LIMIT scan_top_n sits above (0: none); the provider may
  // return just those rows (ScanRequest::order). The Sort and Limit above stay.
  std::vector<HotSortKey> scan_order;
  size_t scan_top_n = 0;
  std::vector<bool> wanted_columns;  // columns decoded (empty: all)
  // The table columns the scan returns, in order (empty: every column, in table order):
  // the ones the nodes above read (sql/optimizer/scan_narrowing.cc). Everything else in
  // the node (key bounds, filter, scan_order, wanted_columns, an index probe's keys on
  // the right of a join) is over the table's columns; `columns` lists the output ones.
  std::vector<size_t> output_columns;
  BoundExprPtr filter;               // residual predicate; null when none
  HotIndexList indexes;              // the table's indexes when bound (binder)
  std::optional<IndexChoice> index;  // read through this index (set by the optimizer)

  void ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const override;

 protected:
  std::string Describe() const override;
};

}  // namespace tenantdb::sql
