// InsertNode: INSERT INTO a table — the rows (a VALUES list, a query, or DEFAULT VALUES),
// the table's bound defaults for the columns they leave out, ON CONFLICT and RETURNING.
// Run by InsertOperator (sql/exec/operators/insert.cc).
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "sql/planner/bound_expr.h"
#include "sql/planner/column_defaults.h"
#include "sql/planner/plan/plan_node.h"
#include "tables/table_provider.h"

namespace tenantdb::sql {

enum class ConflictAction : uint8_t { kNone, kDoNothing, kDoUpdate };

struct InsertNode final : PlanNode {
  static constexpr PlanKind kKind = PlanKind::kInsert;
  InsertNode() : PlanNode(kKind) {}

  TableProviderRef table;
  // Table columns the rows fill, in the order the rows give them; the others take their
  // default. Every proposed row is full width (table layout) before it is checked.
  std::vector<size_t> targets;
  // The table version's bound DEFAULTs (shared with the ColumnDefaultCache; evaluated
  // per row, so volatile ones differ per row). Not walked by ForEachExpression: shared
  // and immutable.
  ColumnDefaultsRef defaults;
  // The rows come from one of: `values` (a plain VALUES list: per row, one expression per
  // target, null for DEFAULT), children[0] (INSERT ... SELECT; `source_casts` cast its
  // columns to the targets' types), or neither (DEFAULT VALUES).
  std::vector<std::vector<BoundExprPtr>> values;
  std::vector<BoundExprPtr> source_casts;

  ConflictAction on_conflict = ConflictAction::kNone;
  // kDoUpdate: assignments (table column, value) and the optional WHERE, over a row of
  // `conflict_schema`: the existing row, then the proposed one (EXCLUDED).
  std::vector<std::pair<size_t, BoundExprPtr>> conflict_sets;
  BoundExprPtr conflict_where;
  std::shared_ptr<const Schema> conflict_schema;

  // RETURNING over the written rows (table layout); `columns` names them (empty: none).
  std::vector<BoundExprPtr> returning;

  void ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const override;

 protected:
  std::string Describe() const override;
};

// " returning a, b" for a write node's EXPLAIN line ("" without RETURNING).
std::string DescribeReturning(const std::vector<BoundExprPtr>& returning);
// " set a = x, b = y" for UPDATE and ON CONFLICT DO UPDATE.
std::string DescribeAssignments(const TableEntry& table,
                                const std::vector<std::pair<size_t, BoundExprPtr>>& sets);

}  // namespace tenantdb::sql
