#include "sql/planner/plan/window_node.h"

namespace tenantdb::sql {

namespace {

std::string BoundText(FrameBoundKind kind, const BoundExprPtr& offset) {
  switch (kind) {
    case FrameBoundKind::kUnboundedPreceding:
      return "UNBOUNDED PRECEDING";
    case FrameBoundKind::kPreceding:
      return offset->ToString() + " PRECEDING";
    case FrameBoundKind::kCurrentRow:
      return "CURRENT ROW";
    case FrameBoundKind::kFollowing:
      return offset->ToString() + " FOLLOWING";
    case FrameBoundKind::kUnboundedFollowing:
      return "UNBOUNDED FOLLOWING";
  }
  return "?";
}

}  // namespace

std::optional<DataType> RangeOffsetType(DataType key) {
  if (IsInteger(key)) return DataType::kBigInt;
  if (IsFloatingPoint(key)) return DataType::kDouble;
  if (key == DataType::kNumeric) return DataType::kNumeric;
  if (IsTemporal(key) || key == DataType::kInterval) return DataType::kInterval;
  return std::nullopt;
}

std::string WindowFrame::ToString() const {
  std::string text = unit == FrameUnit::kRows    ? "ROWS"
                     : unit == FrameUnit::kRange ? "RANGE"
                                                 : "GROUPS";
  text += " BETWEEN " + BoundText(start, start_offset) + " AND " + BoundText(end, end_offset);
  if (exclusion == FrameExclusion::kCurrentRow) text += " EXCLUDE CURRENT ROW";
  if (exclusion == FrameExclusion::kGroup) text += " EXCLUDE GROUP";
  if (exclusion == FrameExclusion::kTies) text += " EXCLUDE TIES";
  return text;
}

std::string WindowCall::SpecString() const {
  std::string text;
  if (!partition_by.empty()) text += "PARTITION BY " + ExplainList(partition_by);
  if (!order_by.empty()) {
    if (!text.empty()) text += " ";
    text += "ORDER BY ";
    for (size_t i = 0; i < order_by.size(); ++i) {
      const SortKey& k = order_by[i];
      text +=
          (i > 0 ? ", " : "") + k.expr->ToString() + (k.descending ? " DESC" : "") +
          (k.nulls_first != k.descending ? (k.nulls_first ? " NULLS FIRST" : " NULLS LAST") : "");
    }
  }
  return text;
}

std::string WindowCall::ToString() const {
  std::string text = name + "(";
  if (function == WindowFunction::kAggregate && aggregate == AggregateFunction::kCountStar) {
    text += "*";
  } else {
    text += ExplainList(args);
  }
  text += ")";
  if (filter) text += " FILTER (WHERE " + filter->ToString() + ")";
  std::string spec = SpecString();
  if (!spec.empty()) spec += " ";
  return text + " OVER (" + spec + frame.ToString() + ")";
}

std::string WindowNode::Describe() const {
  std::string line = "Window";
  for (size_t i = 0; i < calls.size(); ++i)
    line += (i == 0 ? " " : ", ") + calls[i].ToString();
  return line;
}

void WindowNode::ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const {
  for (const WindowCall& c : calls) {
    for (const auto& e : c.args)
      fn(*e);
    if (c.filter) fn(*c.filter);
    for (const auto& e : c.partition_by)
      fn(*e);
    for (const SortKey& k : c.order_by)
      fn(*k.expr);
    if (c.frame.start_offset) fn(*c.frame.start_offset);
    if (c.frame.end_offset) fn(*c.frame.end_offset);
  }
}

}  // namespace tenantdb::sql
