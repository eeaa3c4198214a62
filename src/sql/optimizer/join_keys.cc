// ExtractJoinKeys (passes.h): equi-join conjuncts of a join's condition become hash-join
// keys (left_keys[i] = right_keys[i], the right side's columns rebased to the right
// input); the rest stays the residual condition.
#include "sql/optimizer/passes.h"
#include "sql/optimizer/plan_walk.h"

namespace tenantdb::sql {

namespace {

// Which inputs an expression's columns come from: 1 left only, 2 right only, 3 both,
// 0 none.
int Sides(const BoundExpr& e, size_t left_width) {
  int s = 0;
  ForEachColumn(e, [&](const BoundExpr& c) { s |= c.column < left_width ? 1 : 2; });
  return s;
}

void Rebase(BoundExpr& e, size_t left_width) {
  if (e.kind == BoundExprKind::kColumn && e.outer_level == 0) e.column -= left_width;
  for (auto& c : e.children)
    Rebase(*c, left_width);
}

void SplitJoinCondition(JoinNode* join) {
  if (!join->condition) return;
  const size_t left_width = join->children[0]->columns.size();
  std::vector<BoundExprPtr> parts;
  Conjuncts(std::move(join->condition), &parts);
  std::vector<BoundExprPtr> rest;
  for (auto& p : parts) {
    if (p->kind == BoundExprKind::kBinary && p->binary_op == ScalarOp::kEqual &&
        !UsesSubquery(*p)) {
      const int l = Sides(*p->children[0], left_width);
      const int r = Sides(*p->children[1], left_width);
      if ((l == 1 && r == 2) || (l == 2 && r == 1)) {
        BoundExprPtr left = std::move(p->children[l == 1 ? 0 : 1]);
        BoundExprPtr right = std::move(p->children[l == 1 ? 1 : 0]);
        Rebase(*right, left_width);
        join->left_keys.push_back(std::move(left));
        join->right_keys.push_back(std::move(right));
        continue;
      }
    }
    rest.push_back(std::move(p));
  }
  join->condition = AndAll(std::move(rest));
}

}  // namespace

void ExtractJoinKeys(PlanNode* plan) {
  ForEachPlanNode(plan, [](PlanNode* node) {
    if (node->kind == PlanKind::kJoin && !node->As<JoinNode>().lateral) {
      SplitJoinCondition(&node->As<JoinNode>());
    }
  });
}

}  // namespace tenantdb::sql
