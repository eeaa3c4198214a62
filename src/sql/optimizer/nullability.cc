#include "sql/optimizer/nullability.h"

#include "sql/optimizer/plan_walk.h"

namespace tenantdb::sql {

namespace {

// A column reference of the current query level (outer references read another plan).
bool IsOwnColumn(const BoundExpr& e) {
  return e.kind == BoundExprKind::kColumn && e.outer_level == 0;
}

void FoldInExpr(BoundExprPtr& e, const PlanNode& input) {
  if (e->kind == BoundExprKind::kIsNull && e->children.size() == 1 &&
      IsOwnColumn(*e->children[0]) && ColumnNeverNull(input, e->children[0]->column)) {
    e = MakeConstant(Value::Boolean(e->negated));
    return;
  }
  for (BoundExprPtr& c : e->children)
    FoldInExpr(c, input);
}

}  // namespace

bool ColumnNeverNull(const PlanNode& plan, size_t column) {
  if (column >= plan.columns.size()) return false;
  switch (plan.kind) {
    case PlanKind::kScan: {
      const auto& scan = plan.As<ScanNode>();
      const Schema& schema = *scan.table->schema();
      // A scan's columns are its table's, in schema order.
      return plan.columns.size() == schema.num_fields() && !schema.field(column).nullable;
    }
    case PlanKind::kFilter:
    case PlanKind::kSort:
    case PlanKind::kLimit:
    case PlanKind::kDistinct:
      return plan.columns.size() == plan.children[0]->columns.size() &&
             ColumnNeverNull(*plan.children[0], column);
    case PlanKind::kProject: {
      const BoundExpr& e = *plan.As<ProjectNode>().exprs[column];
      if (e.kind == BoundExprKind::kConstant) return !e.value.is_null();
      return IsOwnColumn(e) && ColumnNeverNull(*plan.children[0], e.column);
    }
    case PlanKind::kJoin: {
      const auto& join = plan.As<JoinNode>();
      const size_t left = plan.children[0]->columns.size();
      if (plan.columns.size() != left + plan.children[1]->columns.size()) return false;
      if (column < left) {
        return join.join_type != JoinType::kFull && ColumnNeverNull(*plan.children[0], column);
      }
      return (join.join_type == JoinType::kInner || join.join_type == JoinType::kCross) &&
             ColumnNeverNull(*plan.children[1], column - left);
    }
    case PlanKind::kAggregate: {
      const auto& agg = plan.As<AggregateNode>();
      if (!agg.grouping_sets.empty()) return false;  // a set may leave a key out: NULL
      if (column < agg.group_keys.size()) {
        const BoundExpr& key = *agg.group_keys[column];
        return IsOwnColumn(key) && ColumnNeverNull(*plan.children[0], key.column);
      }
      const size_t call = column - agg.group_keys.size();
      if (call >= agg.aggregates.size()) return false;
      const AggregateFunction f = agg.aggregates[call].function;
      return f == AggregateFunction::kCount || f == AggregateFunction::kCountStar;
    }
    default:
      return false;
  }
}

void FoldNullTests(PlanNode* plan) {
  ForEachPlanNode(plan, [](PlanNode* node) {
    if (node->kind == PlanKind::kFilter) {
      auto& filter = node->As<FilterNode>();
      if (filter.predicate) FoldInExpr(filter.predicate, *node->children[0]);
      return;
    }
    if (node->kind != PlanKind::kAggregate) return;
    // count(c) of a column that is never NULL counts every row: count(*), which reads
    // no argument.
    for (AggregateCall& call : node->As<AggregateNode>().aggregates) {
      if (call.function != AggregateFunction::kCount || call.distinct || call.filter ||
          !call.order_by.empty() || call.argument == nullptr || !IsOwnColumn(*call.argument) ||
          !ColumnNeverNull(*node->children[0], call.argument->column)) {
        continue;
      }
      call.function = AggregateFunction::kCountStar;
      call.argument = nullptr;
    }
  });
}

}  // namespace tenantdb::sql
