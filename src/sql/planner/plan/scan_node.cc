#include "sql/planner/plan/scan_node.h"

namespace tenantdb::sql {

namespace {

std::string BoundText(const BoundKeyBound& b) {
  std::string s = "(";
  for (size_t i = 0; i < b.key.size(); ++i)
    s += (i > 0 ? ", " : "") + b.key[i]->ToString();
  return s + ")";
}

}  // namespace

std::string ScanNode::Describe() const {
  std::string line =
      "Scan " + table->id().ToString() + " (" + std::string(TableTypeName(table->type())) + ")";
  const bool point = lower && upper && lower->inclusive && upper->inclusive &&
                     lower->key.size() == table->schema()->PrimaryKeyIndices().size() &&
                     BoundText(*lower) == BoundText(*upper);
  if (point) {
    line += " key = " + BoundText(*lower);
  } else {
    if (lower) line += std::string(" key ") + (lower->inclusive ? ">= " : "> ") + BoundText(*lower);
    if (upper) line += std::string(" key ") + (upper->inclusive ? "<= " : "< ") + BoundText(*upper);
  }
  if (index) {
    line += " using index " + index->index.name;
    auto positions = IndexColumnPositions(index->index, *table->schema());
    // "(a, b)": the names of the index's first n columns.
    auto names = [&](size_t n) {
      std::string out;
      for (size_t i = 0; i < n; ++i) {
        const bool known = positions.ok() && i < positions->size();
        out += (i > 0 ? ", " : "") + (known ? table->schema()->field((*positions)[i]).name : "?");
      }
      return "(" + out + ")";
    };
    if (!index->points.empty()) {
      std::string points;
      for (const auto& p : index->points) {
        std::string one;
        for (const auto& e : p)
          one += (one.empty() ? "" : ", ") + e->ToString();
        points += (points.empty() ? "" : ", ") + ("(" + one + ")");
      }
      const std::string cols = names(index->points.front().size());
      line += index->points.size() == 1 ? " " + cols + " = " + points
                                        : " " + cols + " in (" + points + ")";
    }
    if (index->lower) {
      line += " " + names(index->lower->key.size()) + (index->lower->inclusive ? " >= " : " > ") +
              BoundText(*index->lower);
    }
    if (index->upper) {
      line += " " + names(index->upper->key.size()) + (index->upper->inclusive ? " <= " : " < ") +
              BoundText(*index->upper);
    }
    if (index->ordered) {
      line += std::string(" ordered") + (index->descending ? " desc" : "") + " first " +
              std::to_string(index->top_n);
    }
  }
  if (scan_top_n > 0) {
    std::string keys;
    for (const HotSortKey& k : scan_order)
      keys += (keys.empty() ? "" : ", ") + table->schema()->field(k.column).name +
              (k.descending ? " DESC" : "");
    line += " top " + std::to_string(scan_top_n) + " by " + keys;
  }
  if (!wanted_columns.empty()) {
    std::string names;
    for (size_t i = 0; i < wanted_columns.size(); ++i)
      if (wanted_columns[i]) names += (names.empty() ? "" : ", ") + table->schema()->field(i).name;
    line += " columns (" + names + ")";
  }
  if (filter) line += " filter " + filter->ToString();
  if (scan_limit > 0) line += " limit " + std::to_string(scan_limit);
  return line;
}

void ScanNode::ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const {
  if (filter) fn(*filter);
  for (const auto* bound : {&lower, &upper}) {
    if (!bound->has_value()) continue;
    for (const auto& k : (*bound)->key)
      fn(*k);
  }
  if (index) {
    for (const auto& p : index->points)
      for (const auto& e : p)
        fn(*e);
    for (const auto* bound : {&index->lower, &index->upper}) {
      if (!bound->has_value()) continue;
      for (const auto& k : (*bound)->key)
        fn(*k);
    }
  }
}

}  // namespace tenantdb::sql
