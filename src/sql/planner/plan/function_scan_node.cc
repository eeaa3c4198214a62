#include "sql/planner/plan/function_scan_node.h"

namespace tenantdb::sql {

std::string FunctionScanNode::Describe() const {
  if (!files.empty()) {
    return "FunctionScan " + function + " (" + std::to_string(files.size()) +
           (files.size() == 1 ? " file)" : " files)");
  }
  return "FunctionScan " + function + "(" + ExplainList(args) + ")";
}

void FunctionScanNode::ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const {
  for (const auto& a : args)
    fn(*a);
}

}  // namespace tenantdb::sql
