// WindowNode: window functions over its input. Output: every input column, then one value
// per window call, for every input row (the rows come out grouped by partition, in the
// window's order within each partition).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sql/parser/ast/expr.h"
#include "sql/planner/bound_expr.h"
#include "sql/planner/plan/aggregate_node.h"
#include "sql/planner/plan/plan_node.h"
#include "sql/planner/plan/sort_node.h"

namespace tenantdb::sql {

enum class WindowFunction : uint8_t {
  kRowNumber,
  kRank,
  kDenseRank,
  kPercentRank,
  kCumeDist,
  kNtile,       // args[0]: the number of buckets
  kLag,         // args: value [, offset [, default]]
  kLead,        // args: value [, offset [, default]]
  kFirstValue,  // args[0]
  kLastValue,   // args[0]
  kNthValue,    // args[0], args[1]: n
  kAggregate,   // `aggregate` over the frame: args[0] (none for count(*)), filter
};

// The rows of the partition a call sees for one row. Offsets are constant expressions,
// evaluated once per execution (PostgreSQL evaluates them once too).
// For RANGE, start_offset / end_offset are of RangeOffsetType(the one ORDER BY key's type).
struct WindowFrame {
  FrameUnit unit = FrameUnit::kRange;
  FrameBoundKind start = FrameBoundKind::kUnboundedPreceding;
  FrameBoundKind end = FrameBoundKind::kCurrentRow;
  BoundExprPtr start_offset;  // kPreceding / kFollowing starts
  BoundExprPtr end_offset;
  FrameExclusion exclusion = FrameExclusion::kNoOthers;
  std::string ToString() const;
};

struct WindowCall {
  WindowFunction function = WindowFunction::kRowNumber;
  AggregateFunction aggregate = AggregateFunction::kCount;  // kAggregate only
  std::string name;                                         // as written: "rank", "sum"
  std::vector<BoundExprPtr> args;
  BoundExprPtr filter;  // an aggregate's FILTER (WHERE ...); null when absent
  std::vector<BoundExprPtr> partition_by;
  std::vector<SortKey> order_by;
  WindowFrame frame;
  DataType type = DataType::kBigInt;  // the result's

  // "PARTITION BY ... ORDER BY ...": calls with equal specs share one sort.
  std::string SpecString() const;
  std::string ToString() const;
};

// The type of a RANGE frame's offsets over an ORDER BY key of type `key`, as PostgreSQL's
// in_range support functions take them: BIGINT for integer keys, DOUBLE PRECISION for
// floating keys, INTERVAL for dates, timestamps and intervals; nullopt for any other key
// (RANGE with an offset is then 0A000).
std::optional<DataType> RangeOffsetType(DataType key);

struct WindowNode final : PlanNode {
  static constexpr PlanKind kKind = PlanKind::kWindow;
  WindowNode() : PlanNode(kKind) {}
  std::vector<WindowCall> calls;

  void ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const override;

 protected:
  std::string Describe() const override;
};

}  // namespace tenantdb::sql
