// PushProjectionsIntoScans (passes.h): a scan under a projection or aggregation decodes
// only the columns they (and its own filter) use, plus its key columns; the others come
// back NULL without being copied. A correlated subquery may read any column, so a scan
// under expressions with subqueries keeps them all; system tables compute whole rows.
#include <algorithm>

#include "sql/optimizer/passes.h"
#include "sql/optimizer/plan_walk.h"

namespace tenantdb::sql {

namespace {

void MarkColumns(const BoundExpr& e, std::vector<bool>* wanted) {
  if (e.kind == BoundExprKind::kColumn && e.outer_level == 0 && e.column < wanted->size()) {
    (*wanted)[e.column] = true;
  }
  for (const auto& c : e.children)
    MarkColumns(*c, wanted);
}

void PushProjectionIntoScan(PlanNode* plan) {
  if (plan->kind != PlanKind::kProject && plan->kind != PlanKind::kAggregate) return;
  if (plan->children.empty() || plan->children[0]->kind != PlanKind::kScan) return;
  PlanNode& scan = *plan->children[0];
  if (scan.table->type() == TableType::kSystem) return;
  std::vector<const BoundExpr*> used;
  for (const auto& e : plan->exprs)
    used.push_back(e.get());
  for (const AggregateCall& a : plan->aggregates) {
    if (a.argument) used.push_back(a.argument.get());
    if (a.filter) used.push_back(a.filter.get());
  }
  if (scan.filter) used.push_back(scan.filter.get());
  std::vector<bool> wanted(scan.columns.size(), false);
  for (const BoundExpr* e : used) {
    if (UsesSubquery(*e)) return;
    MarkColumns(*e, &wanted);
  }
  for (size_t k : scan.table->schema()->PrimaryKeyIndices())
    wanted[k] = true;
  if (std::find(wanted.begin(), wanted.end(), false) == wanted.end()) return;
  scan.wanted_columns = std::move(wanted);
}

}  // namespace

void PushProjectionsIntoScans(PlanNode* plan) {
  ForEachPlanNode(plan, PushProjectionIntoScan);
}

}  // namespace tenantdb::sql
