// Matching of `column op constant` and `column IN (...)` conjuncts (predicate_match.h).
#include "sql/optimizer/predicate_match.h"

#include "sql/function/scalar_functions.h"

namespace tenantdb::sql {

bool IsRuntimeConstant(const BoundExpr& e) {
  switch (e.kind) {
    case BoundExprKind::kColumn:
    case BoundExprKind::kSubquery:
      return false;
    case BoundExprKind::kFunction:
      if (e.function == nullptr || e.function->is_volatile) return false;
      break;
    default:
      break;
  }
  for (const auto& child : e.children)
    if (child == nullptr || !IsRuntimeConstant(*child)) return false;
  return true;
}

bool IsColumn(const BoundExpr& e, size_t column) {
  return e.kind == BoundExprKind::kColumn && e.outer_level == 0 && e.column == column;
}

const BoundExpr* MatchColumnConstant(const BoundExpr& e, size_t column, ScalarOp* op) {
  if (e.kind != BoundExprKind::kBinary) return nullptr;
  const ScalarOp o = e.binary_op;
  if (o != ScalarOp::kEqual && o != ScalarOp::kLess && o != ScalarOp::kLessEqual &&
      o != ScalarOp::kGreater && o != ScalarOp::kGreaterEqual) {
    return nullptr;
  }
  const BoundExpr& l = *e.children[0];
  const BoundExpr& r = *e.children[1];
  if (IsColumn(l, column) && IsRuntimeConstant(r) && r.type == l.type) {
    *op = o;
    return &r;
  }
  if (IsColumn(r, column) && IsRuntimeConstant(l) && r.type == l.type) {
    *op = MirrorComparison(o);
    return &l;
  }
  return nullptr;
}

std::vector<const BoundExpr*> MatchInList(const BoundExpr& e, size_t column) {
  std::vector<const BoundExpr*> values;
  if (e.kind != BoundExprKind::kInList || e.negated || !IsColumn(*e.children[0], column)) {
    return values;
  }
  for (size_t i = 1; i < e.children.size(); ++i) {
    const BoundExpr& v = *e.children[i];
    if (!IsRuntimeConstant(v) || v.type != e.children[0]->type) return {};
    values.push_back(&v);
  }
  return values;
}

}  // namespace tenantdb::sql
