// PushLimitsIntoScans (passes.h): LIMIT n OFFSET m (constants) over an unfiltered scan,
// through at most one projection, makes the scan read at most n + m rows; with an ORDER
// BY of plain scan columns between them, the read returns just the first n + m rows in
// that order (top-N). The Limit and Sort above stay, so the result is the same either way.
#include "sql/optimizer/passes.h"
#include "sql/optimizer/plan_walk.h"

namespace tenantdb::sql {

namespace {

void PushLimitIntoScan(const LimitNode& limit) {
  const std::optional<int64_t> rows = ConstantLimitRows(limit);
  if (!rows.has_value()) return;
  const int64_t n = *rows;
  PlanNode* child = limit.children[0].get();
  const SortNode* sort = nullptr;
  if (child->kind == PlanKind::kSort) {
    sort = &child->As<SortNode>();
    child = child->children[0].get();
  }
  const ProjectNode* project = nullptr;
  if (child->kind == PlanKind::kProject) {
    project = &child->As<ProjectNode>();
    child = child->children[0].get();
  }
  if (child->kind != PlanKind::kScan) return;
  ScanNode& scan = child->As<ScanNode>();
  if (scan.filter || scan.index) return;  // an index read is limited by index_order.cc
  if (sort == nullptr) {
    scan.scan_limit = static_cast<size_t>(n);
    return;
  }
  // Top-N: every sort key must be a plain column of the scan (through the projection).
  std::vector<HotSortKey> order;
  for (const SortKey& k : sort->sort_keys) {
    const BoundExpr* e = k.expr.get();
    if (e->kind != BoundExprKind::kColumn || e->outer_level != 0) return;
    if (project != nullptr) {
      e = project->exprs[e->column].get();
      if (e->kind != BoundExprKind::kColumn || e->outer_level != 0) return;
    }
    order.push_back(HotSortKey{e->column, k.descending, k.nulls_first});
  }
  scan.scan_order = std::move(order);
  scan.scan_top_n = static_cast<size_t>(n);
}

}  // namespace

void PushLimitsIntoScans(PlanNode* plan) {
  ForEachPlanNode(plan, [](PlanNode* node) {
    if (node->kind == PlanKind::kLimit) PushLimitIntoScan(node->As<LimitNode>());
  });
}

}  // namespace tenantdb::sql
