// DeleteNode: DELETE FROM a table — children[0] reads the rows to delete (a scan of the
// table with the WHERE pushed into it); RETURNING reads them. Run by DeleteOperator
// (sql/exec/operators/delete.cc).
#pragma once

#include <vector>

#include "sql/planner/bound_expr.h"
#include "sql/planner/plan/plan_node.h"
#include "tables/table_provider.h"

namespace tenantdb::sql {

struct DeleteNode final : PlanNode {
  static constexpr PlanKind kKind = PlanKind::kDelete;
  DeleteNode() : PlanNode(kKind) {}

  TableProviderRef table;
  // RETURNING over the deleted rows (table layout); `columns` names them (empty: none).
  std::vector<BoundExprPtr> returning;

  void ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const override;

 protected:
  std::string Describe() const override;
};

}  // namespace tenantdb::sql
