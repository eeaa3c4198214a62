#include "sql/optimizer/equivalence_classes.h"

#include <algorithm>
#include <map>

#include "sql/optimizer/predicate_match.h"

namespace tenantdb::sql {

namespace {

bool IsPlainColumn(const BoundExpr& e) {
  return e.kind == BoundExprKind::kColumn && e.outer_level == 0;
}

bool IsEquality(const BoundExpr& e) {
  return e.kind == BoundExprKind::kBinary && e.binary_op == ScalarOp::kEqual;
}

// `column = column` of one type.
bool IsColumnEquality(const BoundExpr& e) {
  return IsEquality(e) && IsPlainColumn(*e.children[0]) && IsPlainColumn(*e.children[1]) &&
         e.children[0]->type == e.children[1]->type &&
         e.children[0]->column != e.children[1]->column;
}

// The column side of `column = constant` (either way round, one type), else null.
const BoundExpr* ColumnOfConstantEquality(const BoundExpr& e, const BoundExpr** constant) {
  if (!IsEquality(e)) return nullptr;
  for (int side = 0; side < 2; ++side) {
    const BoundExpr& col = *e.children[side];
    const BoundExpr& value = *e.children[1 - side];
    if (IsPlainColumn(col) && IsRuntimeConstant(value) && col.type == value.type) {
      *constant = &value;
      return &col;
    }
  }
  return nullptr;
}

}  // namespace

size_t EquivalenceClasses::Find(size_t column) {
  if (column >= parent_.size()) {
    const size_t old = parent_.size();
    parent_.resize(column + 1);
    for (size_t i = old; i < parent_.size(); ++i)
      parent_[i] = i;
  }
  while (parent_[column] != column) {
    parent_[column] = parent_[parent_[column]];
    column = parent_[column];
  }
  return column;
}

std::vector<BoundExprPtr> EquivalenceClasses::Absorb(std::vector<BoundExprPtr> conjuncts) {
  // 1. Union the columns every `column = column` equates.
  std::vector<bool> absorbed(conjuncts.size(), false);
  std::map<size_t, DataType> types;
  for (size_t i = 0; i < conjuncts.size(); ++i) {
    const BoundExpr& e = *conjuncts[i];
    if (!IsColumnEquality(e)) continue;
    const size_t a = Find(e.children[0]->column);
    const size_t b = Find(e.children[1]->column);
    parent_[std::max(a, b)] = std::min(a, b);
    types[e.children[0]->column] = e.children[0]->type;
    types[e.children[1]->column] = e.children[1]->type;
    absorbed[i] = true;
  }
  if (types.empty()) return conjuncts;
  // 2. Group the members by root, smallest member first.
  std::map<size_t, size_t> class_of_root;
  for (const auto& [column, type] : types) {
    const size_t root = Find(column);
    auto [it, inserted] = class_of_root.emplace(root, classes_.size());
    if (inserted) {
      classes_.emplace_back();
      classes_.back().type = type;
    }
    classes_[it->second].members.push_back(column);
  }
  // 3. The first constant each class's members are compared with becomes the class's.
  for (size_t i = 0; i < conjuncts.size(); ++i) {
    if (absorbed[i]) continue;
    const BoundExpr* constant = nullptr;
    const BoundExpr* column = ColumnOfConstantEquality(*conjuncts[i], &constant);
    if (column == nullptr || !types.contains(column->column)) continue;
    Class& c = classes_[class_of_root[Find(column->column)]];
    if (c.constant != nullptr || column->type != c.type) continue;
    c.constant = constant->Clone();
    absorbed[i] = true;
  }
  std::vector<BoundExprPtr> rest;
  for (size_t i = 0; i < conjuncts.size(); ++i)
    if (!absorbed[i]) rest.push_back(std::move(conjuncts[i]));
  return rest;
}

}  // namespace tenantdb::sql
