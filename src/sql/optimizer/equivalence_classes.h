// EquivalenceClasses: the sets of columns a conjunction of predicates makes equal, and the
// constant each set equals, if any — the join planner's normal form of `a.x = b.x AND
// b.x = c.x AND c.x = 5`. From it the planner derives every equality the conjunction
// implies: a hash-join key between any two relations holding members of one class (a.x =
// c.x too), and `member = constant` for every member (b.x = 5 and a.x = 5 too), which it
// pushes into each relation.
//
// Only plain current-level column references of one type take part: `a.x = b.y` with
// an implicit cast on one side stays an ordinary conjunct, so every equality derived
// compares values of the same type, as the binder's would. A column equal to two
// different constants keeps the second comparison as an ordinary conjunct (the
// conjunction is then simply false for every row).
//
// Thread safety: none; one planner uses it. Cost: near-linear (union-find).
#pragma once

#include <cstddef>
#include <vector>

#include "sql/planner/bound_expr.h"

namespace tenantdb::sql {

class EquivalenceClasses {
 public:
  struct Class {
    std::vector<size_t> members;  // column positions, ascending, at least two
    DataType type = DataType::kText;
    BoundExprPtr constant;  // what every member equals; null when none
  };

  // Splits `conjuncts` into the equalities it absorbs (`column = column` of one type;
  // `column = constant` for a column equal to another one) and the rest, which it
  // returns in their original order. A constant is a literal, a parameter or an
  // expression of them without volatile functions (IsRuntimeConstant).
  std::vector<BoundExprPtr> Absorb(std::vector<BoundExprPtr> conjuncts);

  // The classes found by Absorb, in order of their smallest member.
  const std::vector<Class>& classes() const { return classes_; }

 private:
  size_t Find(size_t column);
  std::vector<size_t> parent_;  // union-find over column positions
  std::vector<Class> classes_;
};

}  // namespace tenantdb::sql
