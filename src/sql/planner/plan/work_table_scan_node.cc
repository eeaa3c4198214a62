#include "sql/planner/plan/work_table_scan_node.h"

namespace tenantdb::sql {

std::string WorkTableScanNode::Describe() const {
  return "WorkTableScan " + name + " #" + std::to_string(work_table_id);
}

void WorkTableScanNode::ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const {
  (void)fn;
}

}  // namespace tenantdb::sql
