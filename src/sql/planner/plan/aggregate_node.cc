#include "sql/planner/plan/aggregate_node.h"

#include <cstdio>

#include "sql/parser/ast/select.h"

namespace tenantdb::sql {

namespace {

const char* AggregateName(AggregateFunction f) {
  switch (f) {
    case AggregateFunction::kCount:
    case AggregateFunction::kCountStar:
      return "count";
    case AggregateFunction::kSum:
      return "sum";
    case AggregateFunction::kAvg:
      return "avg";
    case AggregateFunction::kMin:
      return "min";
    case AggregateFunction::kMax:
      return "max";
    case AggregateFunction::kStringAgg:
      return "string_agg";
    case AggregateFunction::kJsonAgg:
      return "json_agg";
    case AggregateFunction::kBoolAnd:
      return "bool_and";
    case AggregateFunction::kBoolOr:
      return "bool_or";
    case AggregateFunction::kPercentileCont:
      return "percentile_cont";
    case AggregateFunction::kPercentileDisc:
      return "percentile_disc";
    case AggregateFunction::kArrayAgg:
      return "array_agg";
    case AggregateFunction::kAnyValue:
      return "any_value";
  }
  return "?";
}

bool SameOptionalExpr(const BoundExprPtr& a, const BoundExprPtr& b) {
  if (a == nullptr || b == nullptr) return a == b;
  return a->Equals(*b);
}

bool SameOrder(const std::vector<SortKey>& a, const std::vector<SortKey>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].descending != b[i].descending || a[i].nulls_first != b[i].nulls_first ||
        !a[i].expr->Equals(*b[i].expr)) {
      return false;
    }
  }
  return true;
}

std::string OrderText(const std::vector<SortKey>& order) {
  std::string text;
  for (size_t i = 0; i < order.size(); ++i) {
    text += (i == 0 ? " ORDER BY " : ", ") + order[i].expr->ToString();
    if (order[i].descending) text += " DESC";
    // Only a NULLS placement other than the direction's default is written.
    if (order[i].nulls_first != order[i].descending)
      text += order[i].nulls_first ? " NULLS FIRST" : " NULLS LAST";
  }
  return text;
}

}  // namespace

std::string AggregateCall::ToString() const {
  if (function == AggregateFunction::kPercentileCont ||
      function == AggregateFunction::kPercentileDisc) {
    char f[32];
    std::snprintf(f, sizeof(f), "%g", fraction);
    std::string text = std::string(AggregateName(function)) + "(" +
                       (fraction_is_null ? std::string("NULL") : std::string(f)) +
                       ") WITHIN GROUP (ORDER BY " + argument->ToString() +
                       (descending ? " DESC)" : ")");
    if (filter) text += " FILTER (WHERE " + filter->ToString() + ")";
    return text;
  }
  std::string text = function == AggregateFunction::kCountStar
                         ? "count(*)"
                         : std::string(AggregateName(function)) + "(" +
                               (distinct ? "DISTINCT " : "") +
                               (argument ? argument->ToString() : "") +
                               (function == AggregateFunction::kStringAgg ? ", '" + separator + "'"
                                                                          : std::string()) +
                               OrderText(order_by) + ")";
  if (filter) text += " FILTER (WHERE " + filter->ToString() + ")";
  return text;
}

bool AggregateCall::Equals(const AggregateCall& other) const {
  return function == other.function && distinct == other.distinct && type == other.type &&
         separator == other.separator && fraction == other.fraction &&
         fraction_is_null == other.fraction_is_null && descending == other.descending &&
         SameOptionalExpr(argument, other.argument) && SameOptionalExpr(filter, other.filter) &&
         SameOrder(order_by, other.order_by);
}

std::string AggregateNode::Describe() const {
  std::string line = "HashAggregate";
  if (!grouping_sets.empty()) {
    line += " grouping sets (" +
            GroupingSetsText(grouping_sets, [&](size_t k) { return group_keys[k]->ToString(); }) +
            ")";
  } else if (!group_keys.empty()) {
    line += " group by " + ExplainList(group_keys);
  }
  std::string aggs;
  for (size_t i = 0; i < aggregates.size(); ++i)
    aggs += (i > 0 ? ", " : "") + aggregates[i].ToString();
  if (!aggs.empty()) line += " aggregates " + aggs;
  return line;
}

void AggregateNode::ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const {
  for (const auto& e : group_keys)
    fn(*e);
  for (const AggregateCall& a : aggregates) {
    if (a.argument) fn(*a.argument);
    if (a.filter) fn(*a.filter);
    for (const SortKey& k : a.order_by)
      fn(*k.expr);
  }
}

}  // namespace tenantdb::sql
