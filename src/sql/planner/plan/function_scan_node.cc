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
    return line;
  }
  return "FunctionScan " + function + "(" + ExplainList(args) + ")";
}

void FunctionScanNode::ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const {
  for (const auto& a : args)
    fn(*a);
}

}  // namespace tenantdb::sql
