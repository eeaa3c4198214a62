// What the optimizer's passes share: walking every plan node (subquery plans inside
// expressions included) and splitting / joining AND-ed predicates.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "sql/planner/bound_expr.h"
#include "sql/planner/logical_plan.h"

namespace tenantdb::sql {

// Calls `fn` on every node of `plan`, children before parents, and on every node of the
// subquery plans its expressions hold and of the WITH items its CteScanNodes read (each
// subquery plan and WITH item once, however many expressions or scans share it). `fn`
// may replace a node's children, not the node itself.
void ForEachPlanNode(PlanNode* plan, const std::function<void(PlanNode*)>& fn);

// `e` split at its top-level ANDs.
void Conjuncts(BoundExprPtr e, std::vector<BoundExprPtr>* out);
// The conjunction of `parts` (null when empty).
BoundExprPtr AndAll(std::vector<BoundExprPtr> parts);
// Whether `e` contains a subquery.
bool UsesSubquery(const BoundExpr& e);
// The rows a LIMIT with constant LIMIT (and OFFSET) reads from its input: limit +
// offset; nullopt when either is not a constant, is NULL, or the sum is not positive.
std::optional<int64_t> ConstantLimitRows(const LimitNode& limit);
// The table `plan` scans, through the Filters above the scan; null for any other plan.
const ScanNode* ScanUnderFilters(const PlanNode& plan);
// Calls fn on every column reference of the current query level.
void ForEachColumn(const BoundExpr& e, const std::function<void(const BoundExpr&)>& fn);

}  // namespace tenantdb::sql
