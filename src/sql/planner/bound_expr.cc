#include "sql/planner/bound_expr.h"

#include "sql/function/scalar_functions.h"
#include "sql/planner/logical_plan.h"

namespace tenantdb::sql {

BoundExprPtr MakeConstant(Value value) {
  auto e = std::make_unique<BoundExpr>();
  e->kind = BoundExprKind::kConstant;
  e->type = value.type();
  e->value = std::move(value);
  return e;
}

BoundExprPtr MakeColumn(size_t column, DataType type, std::string name) {
  auto e = std::make_unique<BoundExpr>();
  e->kind = BoundExprKind::kColumn;
  e->type = type;
  e->column = column;
  e->name = std::move(name);
  return e;
}

BoundExprPtr BoundExpr::Clone() const {
  auto e = std::make_unique<BoundExpr>();
  e->kind = kind;
  e->type = type;
  e->unknown_type = unknown_type;
  e->column = column;
  e->outer_level = outer_level;
  e->value = value;
  e->parameter = parameter;
  e->binary_op = binary_op;
  e->negated = negated;
  e->has_else = has_else;
  e->function = function;
  e->subquery_kind = subquery_kind;
  e->subquery = subquery;
  e->correlated = correlated;
  e->name = name;
  for (const auto& c : children)
    e->children.push_back(c->Clone());
  return e;
}

bool BoundExpr::Equals(const BoundExpr& other) const {
  // Column names are display text (`id` and `t.id` bind to the same column); for the
  // other kinds the name is compared too, which only makes equality stricter.
  if (kind != other.kind || type != other.type || unknown_type != other.unknown_type ||
      column != other.column || outer_level != other.outer_level || !(value == other.value) ||
      parameter != other.parameter || binary_op != other.binary_op || negated != other.negated ||
      has_else != other.has_else || function != other.function ||
      subquery_kind != other.subquery_kind || subquery != other.subquery ||
      correlated != other.correlated || children.size() != other.children.size()) {
    return false;
  }
  if (kind != BoundExprKind::kColumn && name != other.name) return false;
  for (size_t i = 0; i < children.size(); ++i) {
    if (!children[i]->Equals(*other.children[i])) return false;
  }
  return true;
}

bool BoundExpr::IsConstant() const {
  switch (kind) {
    case BoundExprKind::kColumn:
    case BoundExprKind::kParameter:
    case BoundExprKind::kSubquery:
      return false;
    case BoundExprKind::kFunction:
      if (function != nullptr && function->is_volatile) return false;
      break;
    default:
      break;
  }
  for (const auto& c : children)
    if (!c->IsConstant()) return false;
  return true;
}

std::string BoundExpr::ToString() const {
  auto child = [&](size_t i) { return children[i]->ToString(); };
  switch (kind) {
    case BoundExprKind::kColumn: {
      std::string s = outer_level > 0 ? "outer" + std::to_string(outer_level) + "." : "";
      return s + name + "#" + std::to_string(column);
    }
    case BoundExprKind::kConstant:
      if (value.is_null()) return "NULL";
      if (value.type() == DataType::kText) return QuoteString(value.ToString());
      return value.ToString();
    case BoundExprKind::kParameter:
      return "$" + std::to_string(parameter + 1);
    case BoundExprKind::kNot:
      return "(NOT " + child(0) + ")";
    case BoundExprKind::kNegate:
      return "(- " + child(0) + ")";
    case BoundExprKind::kBinary:
      return "(" + child(0) + " " + std::string(ScalarOpName(binary_op)) + " " + child(1) + ")";
    case BoundExprKind::kIsNull:
      return "(" + child(0) + (negated ? " IS NOT NULL)" : " IS NULL)");
    case BoundExprKind::kInList: {
      std::string s = "(" + child(0) + (negated ? " NOT IN (" : " IN (");
      for (size_t i = 1; i < children.size(); ++i)
        s += (i > 1 ? ", " : "") + child(i);
      return s + "))";
    }
    case BoundExprKind::kCase: {
      std::string s = "CASE";
      const size_t pairs = (children.size() - (has_else ? 1 : 0)) / 2;
      for (size_t i = 0; i < pairs; ++i)
        s += " WHEN " + child(2 * i) + " THEN " + child(2 * i + 1);
      if (has_else) s += " ELSE " + children.back()->ToString();
      return s + " END";
    }
    case BoundExprKind::kCast:
      return "CAST(" + child(0) + " AS " + std::string(DataTypeName(type)) + ")";
    case BoundExprKind::kFunction:
    case BoundExprKind::kCoalesce:
    case BoundExprKind::kNullIf: {
      std::string s = name + "(";
      for (size_t i = 0; i < children.size(); ++i)
        s += (i > 0 ? ", " : "") + child(i);
      return s + ")";
    }
    case BoundExprKind::kSubquery: {
      const char* k = subquery_kind == SubqueryKind::kExists  ? "EXISTS"
                      : subquery_kind == SubqueryKind::kIn    ? "IN"
                      : subquery_kind == SubqueryKind::kArray ? "ARRAY"
                                                              : "SCALAR";
      std::string s = std::string(k) + (correlated ? " correlated" : "") + " subquery";
      if (subquery_kind == SubqueryKind::kIn) s = child(0) + " " + s;
      return "(" + s + ")";
    }
  }
  return "?";
}

}  // namespace tenantdb::sql
