#include "sql/optimizer/optimizer.h"

#include "sql/optimizer/passes.h"

namespace tenantdb::sql {

void Optimize(PlanPtr* plan) {
  // Join keys and filters first: a Limit reaches a scan only once the scan's filter is
  // gone (folded into key bounds), and projection pushdown must see the scan's final
  // residual filter.
  ExtractJoinKeys(plan->get());
  PushFiltersIntoScans(plan);
  PushLimitsIntoScans(plan->get());
  PushProjectionsIntoScans(plan->get());
}

Result<PlanPtr> PlanSelect(Binder& binder, const SelectStmt& select) {
  TDB_ASSIGN_OR_RETURN(PlanPtr plan, binder.BindQuery(select));
  Optimize(&plan);
  return plan;
}

}  // namespace tenantdb::sql
