// What an expression or plan contains, for the binder's decisions: aggregate calls in an
// AST (does a SELECT aggregate?) and the plain aggregates' signatures, the name a select
// item's column gets, and references to an enclosing query's row (is a subquery
// correlated?). Pure functions over immutable trees.
#include <algorithm>

#include "sql/function/cast.h"
#include "sql/planner/binder_internal.h"

namespace tenantdb::sql {

const std::vector<std::string>& AggregateNames() {
  static const std::vector<std::string> kNames = {
      "count",           "sum",       "avg",      "min",     "max",   "string_agg",
      "json_agg",        "jsonb_agg", "bool_and", "bool_or", "every", "percentile_cont",
      "percentile_disc", "array_agg"};
  return kNames;
}

bool IsAggregateName(const std::string& name) {
  const std::vector<std::string>& names = AggregateNames();
  return std::find(names.begin(), names.end(), name) != names.end();
}

Result<AggregateSignature> ResolvePlainAggregate(const std::string& name, DataType t) {
  auto undefined = [&] {
    return Status(ErrorCode::kUndefinedFunction,
                  "function " + name + "(" + std::string(PgTypeName(t)) + ") does not exist");
  };
  if (name == "count") return AggregateSignature{AggregateFunction::kCount, DataType::kBigInt};
  if (name == "bool_and" || name == "every" || name == "bool_or") {
    if (t != DataType::kBoolean) return undefined();
    return AggregateSignature{
        name == "bool_or" ? AggregateFunction::kBoolOr : AggregateFunction::kBoolAnd,
        DataType::kBoolean};
  }
  if (name == "sum" || name == "avg") {
    if (t == DataType::kInterval || t == DataType::kNumeric) {
      return AggregateSignature{name == "avg" ? AggregateFunction::kAvg : AggregateFunction::kSum,
                                t};
    }
    if (!IsInteger(t) && !IsFloatingPoint(t)) return undefined();
    if (name == "avg") return AggregateSignature{AggregateFunction::kAvg, DataType::kDouble};
    return AggregateSignature{AggregateFunction::kSum, IsInteger(t)           ? DataType::kBigInt
                                                       : t == DataType::kReal ? DataType::kReal
                                                                              : DataType::kDouble};
  }
  if (name == "min" || name == "max") {
    if (t == DataType::kJson) return undefined();
    return AggregateSignature{name == "min" ? AggregateFunction::kMin : AggregateFunction::kMax, t};
  }
  return Status(ErrorCode::kUndefinedFunction, "function " + name + " does not exist");
}

bool ContainsAggregate(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::kFunction: {
      const auto& f = static_cast<const FunctionCall&>(expr);
      // sum(x) OVER (...) is a window function, but its arguments and window may hold
      // aggregates of the query: rank() OVER (ORDER BY sum(x)).
      if (f.over == nullptr && f.name.size() == 1 && IsAggregateName(f.name[0])) return true;
      for (const auto& a : f.args)
        if (ContainsAggregate(*a)) return true;
      if (f.over != nullptr) {
        for (const auto& p : f.over->partition_by)
          if (ContainsAggregate(*p)) return true;
        for (const auto& o : f.over->order_by)
          if (ContainsAggregate(*o.expr)) return true;
      }
      return false;
    }
    case ExprKind::kUnary:
      return ContainsAggregate(*static_cast<const UnaryExpr&>(expr).operand);
    case ExprKind::kBinary: {
      const auto& b = static_cast<const BinaryExpr&>(expr);
      return ContainsAggregate(*b.left) || ContainsAggregate(*b.right);
    }
    case ExprKind::kIsNull:
      return ContainsAggregate(*static_cast<const IsNullExpr&>(expr).operand);
    case ExprKind::kBetween: {
      const auto& b = static_cast<const BetweenExpr&>(expr);
      return ContainsAggregate(*b.operand) || ContainsAggregate(*b.low) ||
             ContainsAggregate(*b.high);
    }
    case ExprKind::kInList: {
      const auto& in = static_cast<const InListExpr&>(expr);
      if (ContainsAggregate(*in.operand)) return true;
      for (const auto& e : in.list)
        if (ContainsAggregate(*e)) return true;
      return false;
    }
    case ExprKind::kInSubquery:
      return ContainsAggregate(*static_cast<const InSubqueryExpr&>(expr).operand);
    case ExprKind::kCase: {
      const auto& c = static_cast<const CaseExpr&>(expr);
      if (c.operand && ContainsAggregate(*c.operand)) return true;
      for (const auto& w : c.whens)
        if (ContainsAggregate(*w.condition) || ContainsAggregate(*w.result)) return true;
      return c.else_result && ContainsAggregate(*c.else_result);
    }
    case ExprKind::kCast:
      return ContainsAggregate(*static_cast<const CastExpr&>(expr).operand);
    default:
      return false;
  }
}

std::string OutputName(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::kColumnRef:
      return static_cast<const ColumnRef&>(expr).names.back();
    case ExprKind::kFunction: {
      const auto& f = static_cast<const FunctionCall&>(expr);
      if (f.no_parens && f.name.back() == "current_timestamp") return "current_timestamp";
      return f.name.back();
    }
    case ExprKind::kCast: {
      const auto& c = static_cast<const CastExpr&>(expr);
      if (c.operand->kind == ExprKind::kColumnRef) return OutputName(*c.operand);
      return c.type.name;
    }
    case ExprKind::kCase:
      return "case";
    case ExprKind::kExists:
      return "exists";
    case ExprKind::kSubquery: {
      const auto& s = static_cast<const SubqueryExpr&>(expr);
      if (s.subquery->targets.size() == 1 && s.subquery->set_op == SetOp::kNone)
        return OutputName(*s.subquery->targets[0].expr);
      return "?column?";
    }
    default:
      return "?column?";
  }
}

namespace {

bool ExprReferencesOuter(const BoundExpr& e, int depth) {
  if (e.kind == BoundExprKind::kColumn && e.outer_level > depth) return true;
  if (e.kind == BoundExprKind::kSubquery && e.subquery &&
      PlanReferencesOuter(*e.subquery, depth + 1)) {
    return true;
  }
  for (const auto& c : e.children)
    if (ExprReferencesOuter(*c, depth)) return true;
  return false;
}

}  // namespace

bool PlanReferencesOuter(const PlanNode& plan, int depth) {
  bool outer = false;
  plan.ForEachExpression(
      [&](const BoundExpr& e) { outer = outer || ExprReferencesOuter(e, depth); });
  if (outer) return true;
  // A LATERAL join's right input sees the left row as one more outer level.
  const bool lateral = plan.kind == PlanKind::kJoin && plan.As<JoinNode>().lateral;
  for (size_t i = 0; i < plan.children.size(); ++i) {
    if (PlanReferencesOuter(*plan.children[i], lateral && i == 1 ? depth + 1 : depth)) return true;
  }
  // A WITH item read here runs at this level too (a correlated one is only read where it
  // is defined: binder_cte.cc).
  if (const PlanNode* cte = plan.shared_input(); cte != nullptr) {
    return PlanReferencesOuter(*cte, depth);
  }
  return false;
}

}  // namespace tenantdb::sql
