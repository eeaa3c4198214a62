// PostgreSQL's functional dependency rule for GROUP BY: when a query groups by every
// primary-key column of a table in its FROM clause, the table's other columns are
// determined by the group, so the select list, HAVING and ORDER BY may name them
// ungrouped (`SELECT o.*, count(*) FROM orders o JOIN items i ON ... GROUP BY o.id`).
// Such a column is read as any_value(column): every row of a group holds the same value.
//
// As in PostgreSQL the rule applies to base tables named in FROM (through joins and
// WHERE), not to the columns of subqueries or views.
#include <map>
#include <set>

#include "sql/planner/binder_internal.h"
#include "sql/planner/plan/filter_node.h"
#include "sql/planner/plan/join_node.h"
#include "sql/planner/plan/scan_node.h"

namespace tenantdb::sql {

namespace {

// The base-table column each output column of `plan` passes through unchanged: (scan,
// field index), or (null, 0) when it is computed or comes from elsewhere.
using ColumnSource = std::pair<const ScanNode*, size_t>;

void ColumnSources(const PlanNode& plan, std::vector<ColumnSource>* out) {
  const size_t start = out->size();
  switch (plan.kind) {
    case PlanKind::kScan: {
      const auto& scan = plan.As<ScanNode>();
      for (size_t i = 0; i < plan.columns.size(); ++i)
        out->emplace_back(&scan, i);
      return;
    }
    case PlanKind::kFilter:
      ColumnSources(*plan.children[0], out);
      break;
    case PlanKind::kJoin:
      ColumnSources(*plan.children[0], out);
      ColumnSources(*plan.children[1], out);
      break;
    default:
      break;
  }
  // Any other shape (or a join whose columns are not its sides' columns): no sources.
  if (out->size() - start != plan.columns.size()) {
    out->resize(start);
    out->resize(start + plan.columns.size(), ColumnSource(nullptr, 0));
  }
}

}  // namespace

std::vector<bool> DependentColumns(const PlanNode& from, const std::vector<BoundExprPtr>& keys) {
  std::vector<ColumnSource> sources;
  ColumnSources(from, &sources);
  std::map<const ScanNode*, std::set<size_t>> grouped;  // per table: its grouped fields
  for (const BoundExprPtr& key : keys) {
    if (key->kind != BoundExprKind::kColumn || key->outer_level != 0) continue;
    if (key->column >= sources.size() || sources[key->column].first == nullptr) continue;
    grouped[sources[key->column].first].insert(sources[key->column].second);
  }
  std::set<const ScanNode*> determined;
  for (const auto& [scan, fields] : grouped) {
    const std::vector<size_t> key_fields = scan->table->schema()->PrimaryKeyIndices();
    bool all = !key_fields.empty();
    for (size_t k : key_fields)
      all &= fields.contains(k);
    if (all) determined.insert(scan);
  }
  std::vector<bool> dependent;
  if (determined.empty()) return dependent;
  dependent.resize(sources.size());
  for (size_t i = 0; i < sources.size(); ++i)
    dependent[i] = determined.contains(sources[i].first);
  return dependent;
}

Result<BoundExprPtr> Binder::UngroupedColumn(AggregateState& agg, BoundExprPtr column,
                                             const std::string& name) {
  if (column->kind != BoundExprKind::kColumn || column->column >= agg.dependent.size() ||
      !agg.dependent[column->column]) {
    return Status(ErrorCode::kGroupingError,
                  "column \"" + name +
                      "\" must appear in the GROUP BY clause or be used in an aggregate function");
  }
  AggregateCall call;
  call.function = AggregateFunction::kAnyValue;
  call.type = column->type;
  const std::string column_name = column->name;
  call.argument = std::move(column);
  // Written twice, computed once (as AddAggregate does for calls).
  const size_t base = agg.group_texts.size();
  for (size_t i = 0; i < agg.calls.size(); ++i) {
    if (agg.calls[i].Equals(call)) return MakeColumn(base + i, call.type, column_name);
  }
  const DataType type = call.type;
  agg.calls.push_back(std::move(call));
  return MakeColumn(base + agg.calls.size() - 1, type, column_name);
}

}  // namespace tenantdb::sql
