#include "sql/planner/plan/function_scan_node.h"

namespace tenantdb::sql {

std::string FunctionScanNode::Describe() const {
  if (!files.empty()) {
    std::string line = "FunctionScan " + function + " (" + std::to_string(files.size()) +
                       (files.size() == 1 ? " file)" : " files)");
    if (!wanted_columns.empty()) {
      std::string names;
      for (size_t i = 0; i < wanted_columns.size(); ++i)
        if (wanted_columns[i]) names += (names.empty() ? "" : ", ") + columns[i].name;
      line += " columns (" + names + ")";
    }
    if (!row_group_bounds.empty()) {
      std::string bounds;
      for (const RowGroupBound& b : row_group_bounds) {
        bounds += (bounds.empty() ? "" : ", ") + columns[b.column].name + " " +
                  std::string(ScalarOpName(b.op)) + " " + b.value->ToString();
      }
      line += " row groups by (" + bounds + ")";
    }
    return line;
  }
  return "FunctionScan " + function + "(" + ExplainList(args) + ")";
}

void FunctionScanNode::ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const {
  for (const auto& a : args)
    fn(*a);
  for (const RowGroupBound& b : row_group_bounds)
    fn(*b.value);
}

}  // namespace tenantdb::sql
