// JoinNode: children[0] (left) joined with children[1] (right), INNER, LEFT or FULL
// (RIGHT is bound as LEFT with the sides swapped); equi keys use a hash join, the residual
// condition is checked on each joined row.
//
// SEMI, ANTI and ANTI null-aware joins (made by the optimizer's decorrelation) output the
// left input's columns only: each left row once when some right row matches (SEMI), or
// when none does (ANTI). The null-aware ANTI join is `NOT IN`: besides the keys it has
// one more pair, null_aware_left / null_aware_right (the operand and the subquery's
// column), and a left row is also dropped when the pair compares NULL against a right row
// that matches the keys and condition (a NULL operand, or a NULL in the subquery).
//
// With `index_probe` (sql/optimizer/index_join.cc) the right child is a table scan read
// by key per batch of left rows (an index nested loop) instead of read whole.
#pragma once

#include <optional>
#include <vector>

#include "sql/parser/ast/select.h"
#include "sql/planner/bound_expr.h"
#include "sql/planner/plan/plan_node.h"
#include "storage/hot/hot_index.h"

namespace tenantdb::sql {

// How an index nested loop reads the right table (a ScanNode child): the rows whose
// primary key (index unset) or secondary index `index` starts with the values of
// left_keys[key_pairs[0]], left_keys[key_pairs[1]], ... (one pair per leading key column).
// Every key pair is still checked on the rows read, and the scan's filter too.
struct IndexProbe {
  std::optional<HotIndex> index;
  std::vector<size_t> key_pairs;
  // Whether the probe fixes the whole primary key (a point read per left key).
  bool whole_key = false;
};

struct JoinNode final : PlanNode {
  static constexpr PlanKind kKind = PlanKind::kJoin;
  JoinNode() : PlanNode(kKind) {}
  JoinType join_type = JoinType::kInner;
  // left_keys[i] = right_keys[i] (right keys over the right input's columns): a hash
  // join; set by the optimizer from the condition.
  std::vector<BoundExprPtr> left_keys;
  std::vector<BoundExprPtr> right_keys;
  BoundExprPtr condition;  // the rest, over left columns then right ones; null when none
  // kAntiNullAware only: the NOT IN operand (over the left input) and the subquery's
  // column (over the right input); both of the same type.
  BoundExprPtr null_aware_left;
  BoundExprPtr null_aware_right;
  // LATERAL: the right input refers to the left row (as outer level 1), so it is run
  // again for each left row (a nested loop; never hash keys).
  bool lateral = false;
  std::optional<IndexProbe> index_probe;
  // SEMI / ANTI only: hash the left input and stream the right one past it (the left is
  // estimated smaller; set by the optimizer). EXPLAIN: "(left hashed)".
  bool hash_left = false;

  // Whether the join outputs the left columns only (SEMI, ANTI, ANTI null-aware).
  bool LeftOnly() const {
    return join_type == JoinType::kSemi || join_type == JoinType::kAnti ||
           join_type == JoinType::kAntiNullAware;
  }

  void ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const override;

 protected:
  std::string Describe() const override;
};

}  // namespace tenantdb::sql
