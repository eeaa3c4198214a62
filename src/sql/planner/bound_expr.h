// BoundExpr: an expression after binding — every name resolved to a column position,
// every operator and function chosen, every type known (sql/planner/binder.h makes them,
// sql/exec/expression_evaluator.h evaluates them over Batches).
//
// One struct for every kind keeps the tree cheap to build and to walk; the fields a kind
// uses are listed next to it. Column references point into the input row of the plan
// node the expression belongs to (`column`), or, with `outer_level` > 0, into the row of
// an enclosing query (a correlated subquery's reference to its outer query).
//
// Thread safety: immutable once built; a plan and its expressions are shared by every
// execution of a prepared statement.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sql/function/scalar_op.h"
#include "types/data_type.h"
#include "types/value.h"

namespace tenantdb::sql {

struct PlanNode;
struct ScalarFunction;

enum class BoundExprKind : uint8_t {
  kColumn,     // column, outer_level
  kConstant,   // value
  kParameter,  // parameter (0-based)
  kNot,        // children[0]
  kNegate,     // children[0]
  kBinary,     // binary_op, children[0..1]; AND/OR/comparisons/arithmetic/LIKE/||
  kIsNull,     // children[0], negated (IS NOT NULL)
  kInList,     // children[0] IN children[1..], negated
  kCase,       // children: when, then pairs [else]; has_else
  kCast,       // children[0] -> type
  kFunction,   // function, children
  kCoalesce,   // children
  kNullIf,     // children[0..1]
  kSubquery,   // subquery, subquery_kind; IN: children[0] is the operand
};

// kArray: ARRAY(SELECT ...), the rows as the text of an array literal (text_array.h).
enum class SubqueryKind : uint8_t { kScalar, kExists, kIn, kArray };

struct BoundExpr;
using BoundExprPtr = std::unique_ptr<BoundExpr>;

struct BoundExpr {
  BoundExprKind kind = BoundExprKind::kConstant;
  DataType type = DataType::kText;
  // True for a string literal or NULL whose type PostgreSQL leaves open ("unknown")
  // until context gives one: `d = '2024-01-31'` makes the literal a DATE.
  bool unknown_type = false;

  size_t column = 0;
  int outer_level = 0;
  Value value = Value::Null(DataType::kText);
  int parameter = 0;
  ScalarOp binary_op = ScalarOp::kEqual;
  bool negated = false;
  bool has_else = false;
  const ScalarFunction* function = nullptr;
  SubqueryKind subquery_kind = SubqueryKind::kScalar;
  std::shared_ptr<PlanNode> subquery;  // rewritten by the optimizer, then shared read-only
  bool correlated = false;             // the subquery references an outer row
  std::string name;                    // for EXPLAIN: column or function name
  std::vector<BoundExprPtr> children;

  // SQL-like text for EXPLAIN: "(#2 = 5)", "lower(#1)".
  std::string ToString() const;
  // Whether the expression reads no input column, parameter, subquery or volatile
  // function (so it can be evaluated once).
  bool IsConstant() const;
  BoundExprPtr Clone() const;
  // Whether `other` is the same expression: same kind, type, operands and children.
  // Conservative: subqueries are equal only when they are the same plan object, so two
  // expressions that merely compute the same thing may compare unequal (never the reverse).
  bool Equals(const BoundExpr& other) const;
};

BoundExprPtr MakeConstant(Value value);
BoundExprPtr MakeColumn(size_t column, DataType type, std::string name);

}  // namespace tenantdb::sql
