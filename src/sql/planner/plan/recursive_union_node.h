// RecursiveUnionNode: the rows of a WITH RECURSIVE item. children[0] is the non-recursive
// term, children[1] the recursive term, which reads the previous iteration's new rows
// through WorkTableScanNodes with the same `work_table_id`:
//
//   result = work = rows of children[0]            (UNION: without duplicates)
//   while work is not empty:
//     work = rows of children[1] over work          (UNION: minus every row seen so far)
//     result += work
//
// Output columns are the non-recursive term's (the binder casts the recursive term's).
#pragma once

#include <string>

#include "sql/planner/plan/plan_node.h"

namespace tenantdb::sql {

struct RecursiveUnionNode final : PlanNode {
  static constexpr PlanKind kKind = PlanKind::kRecursiveUnion;
  RecursiveUnionNode() : PlanNode(kKind) {}
  int work_table_id = -1;
  bool union_all = false;
  std::string name;  // the WITH item's

  void ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const override;

 protected:
  std::string Describe() const override;
};

}  // namespace tenantdb::sql
