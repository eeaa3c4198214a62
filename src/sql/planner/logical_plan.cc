#include "sql/planner/logical_plan.h"

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
  }
  return "?";
}

std::string List(const std::vector<BoundExprPtr>& exprs) {
  std::string s;
  for (size_t i = 0; i < exprs.size(); ++i)
    s += (i > 0 ? ", " : "") + exprs[i]->ToString();
  return s;
}

}  // namespace

std::string AggregateCall::ToString() const {
  std::string text = function == AggregateFunction::kCountStar
                         ? "count(*)"
                         : std::string(AggregateName(function)) + "(" +
                               (distinct ? "DISTINCT " : "") +
                               (argument ? argument->ToString() : "") + ")";
  if (filter) text += " FILTER (WHERE " + filter->ToString() + ")";
  return text;
}

namespace {

bool SameOptionalExpr(const BoundExprPtr& a, const BoundExprPtr& b) {
  if (a == nullptr || b == nullptr) return a == b;
  return a->Equals(*b);
}

}  // namespace

bool AggregateCall::Equals(const AggregateCall& other) const {
  return function == other.function && distinct == other.distinct && type == other.type &&
         SameOptionalExpr(argument, other.argument) && SameOptionalExpr(filter, other.filter);
}

void PlanNode::Finish() {
  std::vector<Field> fields;
  fields.reserve(columns.size());
  for (const OutputColumn& c : columns)
    fields.push_back(Field{c.name, c.type, true, false, ""});
  schema = std::make_shared<const Schema>(std::move(fields), SchemaMetadata{});
}

PlanPtr MakeFilter(PlanPtr input, BoundExprPtr predicate) {
  auto filter = std::make_unique<PlanNode>(PlanKind::kFilter);
  filter->columns = input->columns;
  filter->exprs.push_back(std::move(predicate));
  filter->children.push_back(std::move(input));
  filter->Finish();
  return filter;
}

std::string PlanNode::Explain(int indent) const {
  std::string line(static_cast<size_t>(indent) * 2, ' ');
  switch (kind) {
    case PlanKind::kScan: {
      line +=
          "Scan " + table->id().ToString() + " (" + std::string(TableTypeName(table->type())) + ")";
      auto bound = [](const BoundKeyBound& b) {
        std::string s = "(";
        for (size_t i = 0; i < b.key.size(); ++i)
          s += (i > 0 ? ", " : "") + b.key[i]->ToString();
        return s + ")";
      };
      const bool point = lower && upper && lower->inclusive && upper->inclusive &&
                         lower->key.size() == table->schema()->PrimaryKeyIndices().size() &&
                         bound(*lower) == bound(*upper);
      if (point) {
        line += " key = " + bound(*lower);
      } else {
        if (lower) line += std::string(" key ") + (lower->inclusive ? ">= " : "> ") + bound(*lower);
        if (upper) line += std::string(" key ") + (upper->inclusive ? "<= " : "< ") + bound(*upper);
      }
      if (scan_top_n > 0) {
        std::string keys;
        for (const HotSortKey& k : scan_order) {
          keys +=
              (keys.empty() ? "" : ", ") + columns[k.column].name + (k.descending ? " DESC" : "");
        }
        line += " top " + std::to_string(scan_top_n) + " by " + keys;
      }
      if (!wanted_columns.empty()) {
        std::string names;
        for (size_t i = 0; i < wanted_columns.size(); ++i) {
          if (wanted_columns[i]) names += (names.empty() ? "" : ", ") + columns[i].name;
        }
        line += " columns (" + names + ")";
      }
      if (filter) line += " filter " + filter->ToString();
      if (scan_limit > 0) line += " limit " + std::to_string(scan_limit);
      break;
    }
    case PlanKind::kValues:
      line += "Values " + std::to_string(rows.size()) + " row(s)";
      break;
    case PlanKind::kFilter:
      line += "Filter " + exprs[0]->ToString();
      break;
    case PlanKind::kProject:
      line += "Project " + List(exprs);
      break;
    case PlanKind::kAggregate: {
      line += "HashAggregate";
      if (!exprs.empty()) line += " group by " + List(exprs);
      std::string aggs;
      for (size_t i = 0; i < aggregates.size(); ++i)
        aggs += (i > 0 ? ", " : "") + aggregates[i].ToString();
      if (!aggs.empty()) line += " aggregates " + aggs;
      break;
    }
    case PlanKind::kSort: {
      line += limit ? "TopN " : "Sort ";
      for (size_t i = 0; i < sort_keys.size(); ++i) {
        line += (i > 0 ? ", " : "") + sort_keys[i].expr->ToString() +
                (sort_keys[i].descending ? " DESC" : "");
      }
      if (limit) line += " limit " + limit->ToString();
      break;
    }
    case PlanKind::kLimit:
      line += "Limit";
      if (limit) line += " " + limit->ToString();
      if (offset) line += " offset " + offset->ToString();
      break;
    case PlanKind::kDistinct:
      line += "Distinct";
      break;
    case PlanKind::kJoin: {
      line += left_keys.empty() ? "NestedLoopJoin" : "HashJoin";
      line += join_type == JoinType::kLeft ? " LEFT" : " INNER";
      for (size_t i = 0; i < left_keys.size(); ++i)
        line += (i == 0 ? " on " : " AND ") + left_keys[i]->ToString() + " = right." +
                right_keys[i]->ToString();
      if (condition) line += " filter " + condition->ToString();
      break;
    }
    case PlanKind::kSetOp:
      line += set_all ? "UnionAll" : "Union";
      break;
  }
  line += "\n";
  for (const auto& child : children)
    line += child->Explain(indent + 1);
  return line;
}

}  // namespace tenantdb::sql
