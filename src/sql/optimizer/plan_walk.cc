#include "sql/optimizer/plan_walk.h"

#include <unordered_set>

namespace tenantdb::sql {

namespace {

class PlanWalker {
 public:
  explicit PlanWalker(const std::function<void(PlanNode*)>& fn) : fn_(fn) {}

  void Walk(PlanNode* node) {
    for (auto& child : node->children)
      Walk(child.get());
    if (PlanNode* shared = node->shared_input();
        shared != nullptr && visited_.insert(shared).second) {
      Walk(shared);
    }
    WalkExpressions(*node);
    fn_(node);
  }

 private:
  void WalkExpr(const BoundExpr& e) {
    if (e.kind == BoundExprKind::kSubquery && e.subquery &&
        visited_.insert(e.subquery.get()).second) {
      Walk(e.subquery.get());
    }
    for (const auto& c : e.children)
      WalkExpr(*c);
  }

  void WalkExpressions(const PlanNode& n) {
    n.ForEachExpression([this](const BoundExpr& e) { WalkExpr(e); });
  }

  const std::function<void(PlanNode*)>& fn_;
  std::unordered_set<const PlanNode*> visited_;
};

}  // namespace

void ForEachPlanNode(PlanNode* plan, const std::function<void(PlanNode*)>& fn) {
  PlanWalker(fn).Walk(plan);
}

void Conjuncts(BoundExprPtr e, std::vector<BoundExprPtr>* out) {
  if (e->kind == BoundExprKind::kBinary && e->binary_op == ScalarOp::kAnd) {
    Conjuncts(std::move(e->children[0]), out);
    Conjuncts(std::move(e->children[1]), out);
    return;
  }
  out->push_back(std::move(e));
}

BoundExprPtr AndAll(std::vector<BoundExprPtr> parts) {
  BoundExprPtr result;
  for (auto& p : parts) {
    if (!result) {
      result = std::move(p);
      continue;
    }
    auto both = std::make_unique<BoundExpr>();
    both->kind = BoundExprKind::kBinary;
    both->binary_op = ScalarOp::kAnd;
    both->type = DataType::kBoolean;
    both->children.push_back(std::move(result));
    both->children.push_back(std::move(p));
    result = std::move(both);
  }
  return result;
}

bool UsesSubquery(const BoundExpr& e) {
  if (e.kind == BoundExprKind::kSubquery) return true;
  for (const auto& c : e.children)
    if (UsesSubquery(*c)) return true;
  return false;
}

void ForEachColumn(const BoundExpr& e, const std::function<void(const BoundExpr&)>& fn) {
  if (e.kind == BoundExprKind::kColumn && e.outer_level == 0) fn(e);
  for (const auto& c : e.children)
    ForEachColumn(*c, fn);
}

std::optional<int64_t> ConstantLimitRows(const LimitNode& limit) {
  if (!limit.limit || limit.limit->kind != BoundExprKind::kConstant ||
      limit.limit->value.is_null()) {
    return std::nullopt;
  }
  int64_t n = limit.limit->value.as_int64();
  if (limit.offset) {
    if (limit.offset->kind != BoundExprKind::kConstant || limit.offset->value.is_null()) {
      return std::nullopt;
    }
    n += limit.offset->value.as_int64();
  }
  if (n <= 0) return std::nullopt;
  return n;
}

const ScanNode* ScanUnderFilters(const PlanNode& plan) {
  if (plan.kind == PlanKind::kScan) return &plan.As<ScanNode>();
  if (plan.kind == PlanKind::kFilter) return ScanUnderFilters(*plan.children[0]);
  return nullptr;
}

}  // namespace tenantdb::sql
