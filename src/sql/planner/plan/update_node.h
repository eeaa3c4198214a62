// UpdateNode: UPDATE a table — children[0] reads the rows to change (a scan of the table
// with the WHERE pushed into it), `sets` compute the new values from each old row, and
// RETURNING reads the new rows. Run by UpdateOperator (sql/exec/operators/update.cc).
#pragma once

#include <utility>
#include <vector>

#include "sql/planner/bound_expr.h"
#include "sql/planner/column_defaults.h"
#include "sql/planner/plan/plan_node.h"
#include "tables/table_provider.h"

namespace tenantdb::sql {

struct UpdateNode final : PlanNode {
  static constexpr PlanKind kKind = PlanKind::kUpdate;
  UpdateNode() : PlanNode(kKind) {}

  TableProviderRef table;
  // (table column, new value over the old row in table layout); SET col = DEFAULT holds a
  // copy of the column's bound default.
  std::vector<std::pair<size_t, BoundExprPtr>> sets;
  // The table version's bound CHECK constraints (ColumnDefaults::checks), which every
  // new row must pass; null when it has none. Shared and immutable, not walked.
  ColumnDefaultsRef checks;
  // RETURNING over the updated rows (table layout); `columns` names them (empty: none).
  std::vector<BoundExprPtr> returning;

  void ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const override;

 protected:
  std::string Describe() const override;
};

}  // namespace tenantdb::sql
