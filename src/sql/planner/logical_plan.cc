#include "sql/planner/logical_plan.h"

namespace tenantdb::sql {

PlanPtr MakeFilter(PlanPtr input, BoundExprPtr predicate) {
  auto filter = std::make_unique<FilterNode>();
  filter->columns = input->columns;
  filter->predicate = std::move(predicate);
  filter->children.push_back(std::move(input));
  filter->Finish();
  return filter;
}

}  // namespace tenantdb::sql
