// InlineSingleUseCtes: a WITH item read by one CteScanNode (and not declared MATERIALIZED)
// is moved into the plan in place of that scan, as PostgreSQL 12+ inlines it: nothing is
// held, and the passes after this one (filter, limit and projection pushdown) work inside
// it as inside any FROM subquery. Items read more than once stay CteNodes, computed once
// per execution (sql/exec/operators/cte_scan.cc).
#include "sql/optimizer/passes.h"
#include "sql/optimizer/plan_walk.h"

namespace tenantdb::sql {

void InlineSingleUseCtes(PlanNode* plan) {
  ForEachPlanNode(plan, [](PlanNode* node) {
    for (PlanPtr& child : node->children) {
      if (child->kind != PlanKind::kCteScan) continue;
      const CteScanNode& scan = child->As<CteScanNode>();
      CteNode& cte = *scan.cte;
      if (cte.references != 1 || cte.always_materialize || cte.children.empty()) continue;
      PlanPtr body = std::move(cte.children[0]);
      cte.children.clear();
      // The scan's names: its alias and the WITH item's column names.
      body->columns = scan.columns;
      body->Finish();
      child = std::move(body);
    }
  });
}

}  // namespace tenantdb::sql
