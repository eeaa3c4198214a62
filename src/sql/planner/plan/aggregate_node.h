// AggregateNode: hash aggregation. Output: the group keys, then one value per aggregate
// call.
#pragma once

#include <string>
#include <vector>

#include "sql/planner/bound_expr.h"
#include "sql/planner/plan/plan_node.h"
#include "sql/planner/plan/sort_node.h"

namespace tenantdb::sql {

enum class AggregateFunction : uint8_t {
  kCount,
  kCountStar,
  kSum,
  kAvg,
  kMin,
  kMax,
  kStringAgg,
  kJsonAgg,  // json_agg / jsonb_agg: the inputs (NULLs as null) as a JSON array
  kBoolAnd,  // bool_and and its SQL-standard spelling every
  kBoolOr,
  kPercentileCont,  // percentile_cont(fraction) WITHIN GROUP (ORDER BY argument)
  kPercentileDisc,
  kArrayAgg,  // array_agg: the inputs (NULLs kept) as an array
  // One of the group's values (the first non-NULL one): a column the GROUP BY determines
  // without naming it (binder_group_dependency.cc), equal in every row of the group.
  kAnyValue,
};

struct AggregateCall {
  AggregateFunction function;
  bool distinct = false;
  BoundExprPtr argument;  // null for count(*)
  BoundExprPtr filter;    // FILTER (WHERE ...); null when absent
  DataType type;          // result type
  std::string separator;  // string_agg's delimiter (a constant)
  // percentile_*: the fraction (a constant; NULL makes every result NULL) and whether
  // the WITHIN GROUP order is descending.
  double fraction = 0;
  bool fraction_is_null = false;
  bool descending = false;
  // ORDER BY inside the arguments (string_agg(x, ',' ORDER BY y)): the inputs reach the
  // aggregate in this order. Empty: in any order.
  std::vector<SortKey> order_by;
  std::string ToString() const;
  // Whether both compute the same value, so one can stand for the other: the same
  // function over equal arguments with the same DISTINCT, ORDER BY and FILTER.
  bool Equals(const AggregateCall& other) const;
};

struct AggregateNode final : PlanNode {
  static constexpr PlanKind kKind = PlanKind::kAggregate;
  AggregateNode() : PlanNode(kKind) {}

  std::vector<BoundExprPtr> group_keys;
  // GROUPING SETS / ROLLUP / CUBE: each set as positions in group_keys. Empty: one set of
  // every key. With sets, a row's keys outside its set are NULL and the output has one
  // more (hidden) INT column after the keys, the row's set's position here, which
  // GROUPING() reads.
  std::vector<std::vector<size_t>> grouping_sets;
  std::vector<AggregateCall> aggregates;

  void ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const override;

 protected:
  std::string Describe() const override;
};

}  // namespace tenantdb::sql
