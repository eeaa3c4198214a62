// OperatorStats: what EXPLAIN ANALYZE reports per plan node — the rows each operator
// returned, how many times it was built (a subquery's plan runs once per evaluation) and
// the time spent in its Next() calls, its inputs' included (PostgreSQL's "actual time"
// is inclusive too). BuildOperator wraps every operator in a counting shell when
// ExecContext::stats is set; without it nothing is counted or timed.
//
// Thread safety: none; one execution fills it. Cost: two clock reads per batch.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "sql/planner/plan/plan_node.h"

namespace tenantdb::sql {

struct NodeStats {
  uint64_t rows = 0;
  uint64_t loops = 0;  // operators built for the node
  int64_t nanos = 0;
  uint64_t row_groups_skipped = 0;  // read_parquet: row groups its bounds ruled out
};

class OperatorStats {
 public:
  NodeStats& For(const PlanNode& node) { return nodes_[&node]; }
  // " (actual rows=N loops=L time=T ms)", or " (never executed)" for a node no operator
  // was built for; " row groups skipped=K" follows when a read_parquet skipped some.
  std::string Annotation(const PlanNode& node) const;

 private:
  // Node-based: operators keep a pointer to their node's entry while others are added.
  std::unordered_map<const PlanNode*, NodeStats> nodes_;
};

}  // namespace tenantdb::sql
