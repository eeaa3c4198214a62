#include "sql/exec/operator_stats.h"

#include <cstdio>

namespace tenantdb::sql {

std::string OperatorStats::Annotation(const PlanNode& node) const {
  auto it = nodes_.find(&node);
  if (it == nodes_.end() || it->second.loops == 0) return " (never executed)";
  char text[96];
  std::snprintf(text, sizeof(text), " (actual rows=%llu loops=%llu time=%.3f ms)",
                static_cast<unsigned long long>(it->second.rows),
                static_cast<unsigned long long>(it->second.loops),
                static_cast<double>(it->second.nanos) / 1e6);
  std::string out = text;
  if (it->second.row_groups_skipped > 0) {
    out += " row groups skipped=" + std::to_string(it->second.row_groups_skipped);
  }
  return out;
}

}  // namespace tenantdb::sql
