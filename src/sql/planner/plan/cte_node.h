// CteNode: one common table expression of a WITH, owned (shared) by the CteScanNodes that
// read it. children[0] computes its rows once per execution, on the first scan that reads
// them, and they are held until the execution ends (charged to the statement's memory);
// `cte_id` keys them (unique within the statement's plan). A WITH item read once is
// inlined by the optimizer (sql/optimizer/cte_inlining.cc) unless declared MATERIALIZED.
#pragma once

#include <string>

#include "sql/planner/plan/plan_node.h"

namespace tenantdb::sql {

struct CteNode final : PlanNode {
  static constexpr PlanKind kKind = PlanKind::kCte;
  CteNode() : PlanNode(kKind) {}
  int cte_id = -1;
  std::string name;                 // as written in WITH, for EXPLAIN and messages
  int references = 0;               // CteScanNodes reading it
  bool always_materialize = false;  // AS MATERIALIZED
  // Reads columns of the query enclosing the WITH: its rows are computed again by each
  // scan, never cached (the enclosing row may differ between executions of a subquery).
  bool correlated = false;

  void ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const override;

 protected:
  std::string Describe() const override;
};

}  // namespace tenantdb::sql
