// PushProjectionsIntoScans (passes.h): a scan under a projection or aggregation decodes
// only the columns they (and its own filter) use, plus its key columns; the others come
// back NULL without being copied. read_parquet and read_csv read only the file columns used. A
// correlated subquery may read any column, so a scan under expressions with subqueries keeps them
// all; system tables compute whole rows.
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

// read_parquet / read_csv under a projection or aggregation reads only the file columns used above
// (the others come back NULL); a subquery above may read any, so then it reads them all.
void PushProjectionIntoFiles(PlanNode* plan, FunctionScanNode* scan) {
  bool subquery = false;
  std::vector<bool> wanted(scan->columns.size(), false);
  plan->ForEachExpression([&](const BoundExpr& e) {
    subquery = subquery || UsesSubquery(e);
    MarkColumns(e, &wanted);
  });
  if (subquery || std::find(wanted.begin(), wanted.end(), false) == wanted.end()) return;
  // count(*) uses no column, but the rows are counted from one.
  if (std::find(wanted.begin(), wanted.end(), true) == wanted.end()) wanted[0] = true;
  scan->wanted_columns = std::move(wanted);
}

void PushProjectionIntoScan(PlanNode* plan) {
  if (plan->kind != PlanKind::kProject && plan->kind != PlanKind::kAggregate) return;
  if (!plan->children.empty() && plan->children[0]->kind == PlanKind::kFunctionScan) {
    auto& scan = plan->children[0]->As<FunctionScanNode>();
    if (!scan.files.empty()) PushProjectionIntoFiles(plan, &scan);
    return;
  }
  if (plan->children.empty() || plan->children[0]->kind != PlanKind::kScan) return;
  ScanNode& scan = plan->children[0]->As<ScanNode>();
  if (scan.table->type() == TableType::kSystem) return;
  // What the node above reads (its expressions, aggregate arguments and filters) and the
  // scan's own residual filter.
  bool subquery = false;
  std::vector<bool> wanted(scan.columns.size(), false);
  auto use = [&](const BoundExpr& e) {
    subquery = subquery || UsesSubquery(e);
    MarkColumns(e, &wanted);
  };
  plan->ForEachExpression(use);
  if (scan.filter) use(*scan.filter);
  if (subquery) return;
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
