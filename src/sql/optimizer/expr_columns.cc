#include "sql/optimizer/expr_columns.h"

#include "sql/function/scalar_functions.h"

namespace tenantdb::sql {

void ShiftColumns(BoundExpr& e, std::ptrdiff_t delta) {
  if (e.kind == BoundExprKind::kColumn && e.outer_level == 0) {
    e.column = static_cast<size_t>(static_cast<std::ptrdiff_t>(e.column) + delta);
  }
  for (auto& c : e.children)
    ShiftColumns(*c, delta);
}

void RemapColumns(BoundExpr& e, const std::vector<size_t>& map) {
  if (e.kind == BoundExprKind::kColumn && e.outer_level == 0) e.column = map[e.column];
  for (auto& c : e.children)
    RemapColumns(*c, map);
}

BoundExprPtr SubstituteColumns(const BoundExpr& e, const std::vector<BoundExprPtr>& exprs) {
  if (e.kind == BoundExprKind::kColumn && e.outer_level == 0) return exprs[e.column]->Clone();
  if (e.children.empty()) return e.Clone();
  // Clone the node without its children, then substitute into each child.
  auto out = std::make_unique<BoundExpr>();
  out->kind = e.kind;
  out->type = e.type;
  out->unknown_type = e.unknown_type;
  out->column = e.column;
  out->outer_level = e.outer_level;
  out->value = e.value;
  out->parameter = e.parameter;
  out->binary_op = e.binary_op;
  out->negated = e.negated;
  out->has_else = e.has_else;
  out->function = e.function;
  out->subquery_kind = e.subquery_kind;
  out->subquery = e.subquery;
  out->correlated = e.correlated;
  out->name = e.name;
  for (const auto& c : e.children)
    out->children.push_back(SubstituteColumns(*c, exprs));
  return out;
}

bool Movable(const BoundExpr& e) {
  if (e.kind == BoundExprKind::kSubquery) return false;
  if (e.kind == BoundExprKind::kFunction && (e.function == nullptr || e.function->is_volatile)) {
    return false;
  }
  for (const auto& c : e.children)
    if (!Movable(*c)) return false;
  return true;
}

bool ColumnsWithin(const BoundExpr& e, size_t begin, size_t end) {
  if (e.kind == BoundExprKind::kColumn && e.outer_level == 0 &&
      (e.column < begin || e.column >= end)) {
    return false;
  }
  for (const auto& c : e.children)
    if (!ColumnsWithin(*c, begin, end)) return false;
  return true;
}

bool ReadsColumnIn(const BoundExpr& e, size_t begin, size_t end) {
  if (e.kind == BoundExprKind::kColumn && e.outer_level == 0 && e.column >= begin &&
      e.column < end) {
    return true;
  }
  for (const auto& c : e.children)
    if (ReadsColumnIn(*c, begin, end)) return true;
  return false;
}

namespace {

// Whether `e` is NULL whenever the columns [begin, end) are NULL (a strict path from a
// result down to one of them).
bool NullWhenNull(const BoundExpr& e, size_t begin, size_t end) {
  switch (e.kind) {
    case BoundExprKind::kColumn:
      return e.outer_level == 0 && e.column >= begin && e.column < end;
    case BoundExprKind::kBinary:
      // NULL AND FALSE is FALSE, NULL OR TRUE is TRUE, IS [NOT] DISTINCT FROM never NULL.
      if (e.binary_op == ScalarOp::kAnd || e.binary_op == ScalarOp::kOr ||
          e.binary_op == ScalarOp::kIsDistinctFrom || e.binary_op == ScalarOp::kIsNotDistinctFrom) {
        return false;
      }
      // An array || NULL is the array (array_append / array_cat ignore a NULL operand).
      if (e.binary_op == ScalarOp::kConcat &&
          (IsArray(e.children[0]->type) || IsArray(e.children[1]->type))) {
        return false;
      }
      return NullWhenNull(*e.children[0], begin, end) || NullWhenNull(*e.children[1], begin, end);
    case BoundExprKind::kNot:
    case BoundExprKind::kNegate:
    case BoundExprKind::kCast:
      return NullWhenNull(*e.children[0], begin, end);
    case BoundExprKind::kInList:
      // A NULL operand makes IN and NOT IN NULL whatever the list holds.
      return NullWhenNull(*e.children[0], begin, end);
    case BoundExprKind::kFunction:
      if (e.function == nullptr || !e.function->strict) return false;
      for (const auto& c : e.children)
        if (NullWhenNull(*c, begin, end)) return true;
      return false;
    default:
      return false;
  }
}

}  // namespace

bool RejectsNulls(const BoundExpr& e, size_t begin, size_t end) {
  if (NullWhenNull(e, begin, end)) return true;
  if (e.kind == BoundExprKind::kBinary && e.binary_op == ScalarOp::kAnd) {
    return RejectsNulls(*e.children[0], begin, end) || RejectsNulls(*e.children[1], begin, end);
  }
  if (e.kind == BoundExprKind::kBinary && e.binary_op == ScalarOp::kOr) {
    return RejectsNulls(*e.children[0], begin, end) && RejectsNulls(*e.children[1], begin, end);
  }
  if (e.kind == BoundExprKind::kIsNull && e.negated) {
    return NullWhenNull(*e.children[0], begin, end);
  }
  return false;
}

BoundExprPtr MakeEquality(BoundExprPtr left, BoundExprPtr right) {
  auto eq = std::make_unique<BoundExpr>();
  eq->kind = BoundExprKind::kBinary;
  eq->binary_op = ScalarOp::kEqual;
  eq->type = DataType::kBoolean;
  eq->children.push_back(std::move(left));
  eq->children.push_back(std::move(right));
  return eq;
}

}  // namespace tenantdb::sql
