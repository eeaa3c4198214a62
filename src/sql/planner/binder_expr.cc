// Expression binding: names to column positions, operators and functions to typed
// BoundExprs, with PostgreSQL's coercions.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "sql/function/arithmetic.h"
#include "sql/function/cast.h"
#include "sql/function/comparison.h"
#include "sql/function/scalar_functions.h"
#include "sql/planner/binder_internal.h"
#include "sql/planner/error_position.h"
#include "sql/planner/grouping_call.h"
#include "sql/planner/scalar_op_mapping.h"

namespace tenantdb::sql {

class Binder::ExprBinder {
 public:
  ExprBinder(Binder* binder, const Scope& scope) : binder_(binder), scope_(scope) {}

  // Every node's errors name its position (error_position.h): the innermost node that
  // failed, the first to add one, is the one named.
  Result<BoundExprPtr> Bind(const Expr& expr) {
    Result<BoundExprPtr> bound = IsWindowCall(expr)
                                     ? BindWindowCall(static_cast<const FunctionCall&>(expr))
                                 : scope_.aggregate != nullptr ? BindInAggregate(expr)
                                                               : BindPlain(expr);
    if (!bound.ok()) return AtPosition(bound.status(), expr.location);
    return bound;
  }

 private:
  std::vector<std::optional<DataType>>* params() { return binder_->context_.parameter_types; }

  Result<BoundExprPtr> CoerceTo(BoundExprPtr e, DataType type, const std::string& what) {
    return Coerce(std::move(e), type, CoercionKind::kImplicit, params(), what);
  }

  static bool IsWindowCall(const Expr& expr) {
    return expr.kind == ExprKind::kFunction &&
           static_cast<const FunctionCall&>(expr).over != nullptr;
  }

  Result<BoundExprPtr> BindWindowCall(const FunctionCall& f) {
    if (scope_.window == nullptr) {
      // Inside a window call's own arguments the window scope is gone: nesting.
      const bool nested = std::string_view(scope_.clause) == "window function arguments";
      return Status(ErrorCode::kWindowingError,
                    nested ? std::string("window function calls cannot be nested")
                           : "window functions are not allowed in " +
                                 std::string(*scope_.clause ? scope_.clause : "this context"));
    }
    WindowState& window = *scope_.window;
    TDB_ASSIGN_OR_RETURN(WindowCall call, binder_->BindWindowFunction(f, window));
    // A call written twice is computed once.
    const std::string text = call.ToString();
    size_t index = window.calls.size();
    for (size_t i = 0; i < window.calls.size(); ++i) {
      if (window.calls[i].ToString() == text && window.calls[i].type == call.type) index = i;
    }
    const DataType type = call.type;
    const std::string name = call.name;
    if (index == window.calls.size()) window.calls.push_back(std::move(call));
    return MakeColumn(kWindowPlaceholderColumn + index, type, name);
  }

  Result<BoundExprPtr> BindInAggregate(const Expr& expr) {
    AggregateState& agg = *scope_.aggregate;
    const std::string text = expr.ToString();
    for (size_t i = 0; i < agg.group_texts.size(); ++i) {
      if (agg.group_texts[i] == text) return MakeColumn(i, agg.group_types[i], OutputName(expr));
    }
    if (expr.kind == ExprKind::kFunction) {
      const auto& f = static_cast<const FunctionCall&>(expr);
      if (f.name.size() == 1 && IsAggregateName(f.name[0])) return BindAggregate(f);
      if (f.name.size() == 1 && f.name[0] == "grouping") return BindGrouping(f);
    }
    if (expr.kind == ExprKind::kColumnRef) {
      ExprBinder from(binder_, *agg.from);
      TDB_ASSIGN_OR_RETURN(BoundExprPtr bound, from.Bind(expr));
      if (bound->kind == BoundExprKind::kColumn && bound->outer_level > 0) return bound;
      const std::string bound_text = bound->ToString();
      for (size_t i = 0; i < agg.group_bound.size(); ++i) {
        if (agg.group_bound[i] == bound_text) {
          return MakeColumn(i, agg.group_types[i], OutputName(expr));
        }
      }
      return UngroupedColumn(agg, std::move(bound),
                             JoinQualified(static_cast<const ColumnRef&>(expr).names));
    }
    return BindPlain(expr);
  }

  // GROUPING(a, b, ...) (grouping_call.h); each argument must be a GROUP BY expression.
  Result<BoundExprPtr> BindGrouping(const FunctionCall& f) {
    AggregateState& agg = *scope_.aggregate;
    if (f.args.empty() || f.args.size() > 31) {
      return AtPosition(
          Status(ErrorCode::kSyntaxError, "GROUPING takes between 1 and 31 arguments"), f.location);
    }
    const size_t keys = agg.grouping_sets ? agg.grouping_set_column : agg.group_texts.size();
    std::vector<size_t> positions;
    for (const auto& arg : f.args) {
      Result<BoundExprPtr> bound = ExprBinder(binder_, *agg.from).Bind(*arg);
      const std::string text = arg->ToString(), bound_text = bound.ok() ? (*bound)->ToString() : "";
      size_t i = 0;
      while (i < keys && agg.group_texts[i] != text && agg.group_bound[i] != bound_text)
        ++i;
      if (i == keys) {
        return AtPosition(Status(ErrorCode::kGroupingError,
                                 "arguments to GROUPING must be grouping "
                                 "expressions of the associated query level"),
                          arg->location);
      }
      positions.push_back(i);
    }
    return MakeGroupingCall(agg.grouping_sets, agg.grouping_set_column, positions);
  }

  // percentile_cont(fraction) / percentile_disc(fraction) WITHIN GROUP (ORDER BY x): the
  // fraction is a constant (checked to lie in [0, 1] when a group has values, as in
  // PostgreSQL); NULL inputs are skipped.
  Result<BoundExprPtr> BindPercentile(const FunctionCall& f) {
    AggregateState& agg = *scope_.aggregate;
    const std::string& name = f.name[0];
    AggregateCall call;
    if (f.distinct) {
      return Status(ErrorCode::kFeatureNotSupported,
                    "DISTINCT is not implemented for ordered-set aggregates");
    }
    if (f.args.size() != 2) {
      return Status(ErrorCode::kUndefinedFunction,
                    "function " + name + " takes one fraction and WITHIN GROUP (ORDER BY x)");
    }
    if (ContainsAggregate(*f.args[0]) || ContainsAggregate(*f.args[1])) {
      return Status(ErrorCode::kGroupingError, "aggregate function calls cannot be nested");
    }
    ExprBinder from(binder_, *agg.from);
    TDB_ASSIGN_OR_RETURN(BoundExprPtr fraction, from.Bind(*f.args[0]));
    const DataType ft = fraction->type;  // a number: DOUBLE PRECISION (a no-op for DOUBLE)
    if (fraction->unknown_type || IsExactNumeric(ft) || IsFloatingPoint(ft)) {
      TDB_ASSIGN_OR_RETURN(fraction, CoerceTo(std::move(fraction), DataType::kDouble, "fraction"));
    }
    if (fraction->type != DataType::kDouble) {
      return Status(ErrorCode::kUndefinedFunction,
                    "function " + name + "(" + std::string(PgTypeName(fraction->type)) +
                        ") does not exist: the fraction is a number between 0 and 1");
    }
    if (fraction->kind != BoundExprKind::kConstant) {
      return Status(ErrorCode::kFeatureNotSupported,
                    "the fraction of " + name + " must be a constant number");
    }
    call.fraction_is_null = fraction->value.is_null();
    call.fraction = call.fraction_is_null ? 0 : fraction->value.as_double();
    TDB_ASSIGN_OR_RETURN(call.argument, from.Bind(*f.args[1]));
    const DataType t = call.argument->type;
    if (name == "percentile_cont") {
      if (!call.argument->unknown_type && !IsExactNumeric(t) && !IsFloatingPoint(t)) {
        return Status(ErrorCode::kUndefinedFunction,
                      "function percentile_cont(double precision) WITHIN GROUP (ORDER BY " +
                          std::string(PgTypeName(t)) + ") does not exist");
      }
      TDB_ASSIGN_OR_RETURN(call.argument, CoerceTo(std::move(call.argument), DataType::kDouble,
                                                   "argument of percentile_cont"));
      call.function = AggregateFunction::kPercentileCont;
    } else {
      if (call.argument->unknown_type) {
        TDB_ASSIGN_OR_RETURN(call.argument,
                             CoerceTo(std::move(call.argument), DataType::kText, "argument"));
      }
      if (call.argument->type == DataType::kJson) {
        return Status(ErrorCode::kUndefinedFunction,
                      "could not identify an ordering operator for type json");
      }
      call.function = AggregateFunction::kPercentileDisc;
    }
    call.type = call.argument->type;
    call.descending = f.within_group_direction == SortDirection::kDescending;
    return AddAggregate(std::move(call), f);
  }

  // Binds `f`'s FILTER into `call` and makes the call one of the query's aggregates.
  Result<BoundExprPtr> AddAggregate(AggregateCall call, const FunctionCall& f) {
    AggregateState& agg = *scope_.aggregate;
    if (f.filter) {
      if (ContainsAggregate(*f.filter)) {
        return Status(ErrorCode::kGroupingError, "aggregate functions are not allowed in FILTER");
      }
      ExprBinder from(binder_, *agg.from);
      TDB_ASSIGN_OR_RETURN(call.filter, from.Bind(*f.filter));
      TDB_ASSIGN_OR_RETURN(call.filter, RequireBoolean(std::move(call.filter), "FILTER"));
    }
    // An aggregate written twice is computed once; equality is on the bound call, so
    // FILTER and DISTINCT tell calls apart whatever the text looked like.
    const std::string& name = f.name[0];
    const size_t base = agg.group_texts.size();
    for (size_t i = 0; i < agg.calls.size(); ++i) {
      if (agg.calls[i].Equals(call)) return MakeColumn(base + i, agg.calls[i].type, name);
    }
    const DataType type = call.type;
    agg.calls.push_back(std::move(call));
    return MakeColumn(base + agg.calls.size() - 1, type, name);
  }

  Result<BoundExprPtr> BindAggregate(const FunctionCall& f) {
    AggregateState& agg = *scope_.aggregate;
    AggregateCall call;
    call.distinct = f.distinct;
    const std::string& name = f.name[0];
    const bool ordered_set = name == "percentile_cont" || name == "percentile_disc";
    if (ordered_set != f.within_group) {
      return Status(ErrorCode::kSyntaxError,
                    ordered_set ? "WITHIN GROUP (ORDER BY ...) is required for ordered-set "
                                  "aggregate " +
                                      name
                                : name +
                                      " is not an ordered-set aggregate, so it cannot have "
                                      "WITHIN GROUP");
    }
    if (ordered_set) return BindPercentile(f);
    if (f.star) {
      if (name != "count") {
        return Status(ErrorCode::kSyntaxError, name + "(*) is not valid; only count(*)");
      }
      call.function = AggregateFunction::kCountStar;
      call.type = DataType::kBigInt;
    } else {
      if (name == "string_agg") {
        // string_agg(value, delimiter): the delimiter is a string literal here.
        if (f.args.size() != 2 || f.args[1]->kind != ExprKind::kLiteral ||
            static_cast<const Literal&>(*f.args[1]).literal_kind != LiteralKind::kString) {
          return Status(ErrorCode::kFeatureNotSupported,
                        "string_agg takes a value and a string literal delimiter");
        }
        call.separator = static_cast<const Literal&>(*f.args[1]).text;
      } else if (f.args.size() != 1) {
        return Status(ErrorCode::kUndefinedFunction,
                      "function " + name + " takes exactly one argument");
      }
      if (ContainsAggregate(*f.args[0])) {
        return Status(ErrorCode::kGroupingError, "aggregate function calls cannot be nested");
      }
      ExprBinder from(binder_, *agg.from);
      TDB_ASSIGN_OR_RETURN(call.argument, from.Bind(*f.args[0]));
      const bool boolean_aggregate = name == "bool_and" || name == "every" || name == "bool_or";
      if (call.argument->unknown_type) {
        TDB_ASSIGN_OR_RETURN(
            call.argument,
            CoerceTo(std::move(call.argument),
                     boolean_aggregate ? DataType::kBoolean : DataType::kText, "argument"));
      }
      const DataType t = call.argument->type;
      if (name == "json_agg" || name == "jsonb_agg") {
        call.function = AggregateFunction::kJsonAgg;
        call.type = DataType::kJson;
      } else if (name == "array_agg") {
        if (IsArray(t)) {
          return Status(ErrorCode::kFeatureNotSupported,
                        "array_agg of arrays (a multidimensional array) is not supported");
        }
        call.function = AggregateFunction::kArrayAgg;
        call.type = ArrayOf(t);
      } else if (name == "string_agg") {
        TDB_ASSIGN_OR_RETURN(call.argument,
                             Coerce(std::move(call.argument), DataType::kText,
                                    CoercionKind::kExplicit, params(), "string_agg"));
        call.function = AggregateFunction::kStringAgg;
        call.type = DataType::kText;
      } else {
        TDB_ASSIGN_OR_RETURN(AggregateSignature signature, ResolvePlainAggregate(name, t));
        call.function = signature.function;
        call.type = signature.type;
      }
    }
    TDB_ASSIGN_OR_RETURN(call.order_by, binder_->BindAggregateOrder(f, *agg.from, call));
    return AddAggregate(std::move(call), f);
  }

  Result<BoundExprPtr> BindPlain(const Expr& expr) {
    switch (expr.kind) {
      case ExprKind::kColumnRef:
        return BindColumn(static_cast<const ColumnRef&>(expr));
      case ExprKind::kStar:
        return Status(ErrorCode::kSyntaxError, "* is only allowed in a SELECT list or count(*)");
      case ExprKind::kLiteral:
        return BindLiteral(static_cast<const Literal&>(expr));
      case ExprKind::kParameter:
        return BindParameter(static_cast<const Parameter&>(expr));
      case ExprKind::kUnary:
        return BindUnary(static_cast<const UnaryExpr&>(expr));
      case ExprKind::kBinary: {
        const auto& b = static_cast<const BinaryExpr&>(expr);
        TDB_ASSIGN_OR_RETURN(BoundExprPtr l, Bind(*b.left));
        TDB_ASSIGN_OR_RETURN(BoundExprPtr r, Bind(*b.right));
        return BindBinary(ToScalarOp(b.op), std::move(l), std::move(r));
      }
      case ExprKind::kIsNull: {
        const auto& n = static_cast<const IsNullExpr&>(expr);
        TDB_ASSIGN_OR_RETURN(BoundExprPtr operand, Bind(*n.operand));
        auto e = std::make_unique<BoundExpr>();
        e->kind = BoundExprKind::kIsNull;
        e->type = DataType::kBoolean;
        e->negated = n.negated;
        e->children.push_back(std::move(operand));
        return e;
      }
      case ExprKind::kBetween: {
        const auto& b = static_cast<const BetweenExpr&>(expr);
        TDB_ASSIGN_OR_RETURN(BoundExprPtr a1, Bind(*b.operand));
        TDB_ASSIGN_OR_RETURN(BoundExprPtr a2, Bind(*b.operand));
        TDB_ASSIGN_OR_RETURN(BoundExprPtr lo, Bind(*b.low));
        TDB_ASSIGN_OR_RETURN(BoundExprPtr hi, Bind(*b.high));
        TDB_ASSIGN_OR_RETURN(BoundExprPtr ge,
                             BindBinary(ScalarOp::kGreaterEqual, std::move(a1), std::move(lo)));
        TDB_ASSIGN_OR_RETURN(BoundExprPtr le,
                             BindBinary(ScalarOp::kLessEqual, std::move(a2), std::move(hi)));
        TDB_ASSIGN_OR_RETURN(BoundExprPtr both,
                             BindBinary(ScalarOp::kAnd, std::move(ge), std::move(le)));
        if (!b.negated) return both;
        return Not(std::move(both));
      }
      case ExprKind::kInList:
        return BindInList(static_cast<const InListExpr&>(expr));
      case ExprKind::kInSubquery: {
        const auto& in = static_cast<const InSubqueryExpr&>(expr);
        TDB_ASSIGN_OR_RETURN(BoundExprPtr operand, Bind(*in.operand));
        return BindSubquery(*in.subquery, SubqueryKind::kIn, std::move(operand));
      }
      case ExprKind::kExists:
        return BindSubquery(*static_cast<const ExistsExpr&>(expr).subquery, SubqueryKind::kExists,
                            nullptr);
      case ExprKind::kSubquery: {
        const auto& sub = static_cast<const SubqueryExpr&>(expr);
        return BindSubquery(*sub.subquery, sub.array ? SubqueryKind::kArray : SubqueryKind::kScalar,
                            nullptr);
      }
      case ExprKind::kCase:
        return BindCase(static_cast<const CaseExpr&>(expr));
      case ExprKind::kCast: {
        const auto& c = static_cast<const CastExpr&>(expr);
        if (BoundExprPtr empty = EmptyArrayCast(c)) return empty;  // ARRAY[]::int[]
        TDB_ASSIGN_OR_RETURN(BoundExprPtr operand, Bind(*c.operand));
        if (auto catalog = BindCatalogCast(c.type, operand)) return std::move(*catalog);
        // 'name'::regclass::text: a reg* value prints as its name, as in PostgreSQL.
        if (c.operand->kind == ExprKind::kCast && operand->type == DataType::kBigInt &&
            (c.type.name == "text" || c.type.name == "varchar" || c.type.name == "name")) {
          const std::string& inner = static_cast<const CastExpr&>(*c.operand).type.name;
          if (IsRegType(inner)) {
            std::vector<BoundExprPtr> args;
            args.push_back(std::move(operand));
            return CallFunction(inner, inner + "_name", std::move(args));
          }
        }
        Result<DataType> type = ResolveTypeName(c.type);
        if (!type.ok()) return AtPosition(type.status(), c.type.location);
        if (auto typmod = BindIntervalTypmod(operand, c.type, *type)) return std::move(*typmod);
        TDB_ASSIGN_OR_RETURN(
            operand, Coerce(std::move(operand), *type, CoercionKind::kExplicit, params(), "cast"));
        return ApplyLengthModifier(std::move(operand), c.type);
      }
      case ExprKind::kFunction:
        return BindFunction(static_cast<const FunctionCall&>(expr));
      case ExprKind::kDefault:
        return Status(ErrorCode::kSyntaxError,
                      "DEFAULT is only allowed in INSERT VALUES and UPDATE SET");
    }
    return Status(ErrorCode::kInternal, "unknown expression kind");
  }

  Result<BoundExprPtr> BindColumn(const ColumnRef& ref) {
    const std::string& name = ref.names.back();
    std::string qualifier;
    if (ref.names.size() >= 2) qualifier = ref.names[ref.names.size() - 2];
    int level = 0;
    for (const Scope* s = &scope_; s != nullptr; s = s->outer, ++level) {
      const AggregateState* grouped = nullptr;
      if (s->aggregate != nullptr && level > 0) {
        // An outer query's GROUP BY output: resolve through its FROM instead.
        grouped = s->aggregate;
        s = s->aggregate->from;
      }
      if (s->columns == nullptr) continue;
      std::optional<size_t> found;
      bool found_hidden = false;
      for (size_t i = 0; i < s->columns->size(); ++i) {
        const OutputColumn& c = (*s->columns)[i];
        if (c.name != name) continue;
        if (!qualifier.empty() && c.table != qualifier) continue;
        if (found.has_value()) {
          // The hidden copy of a JOIN ... USING column yields to the visible one.
          if (c.hidden && qualifier.empty()) continue;
          if (found_hidden && qualifier.empty()) {
            found = i;
            found_hidden = false;
            continue;
          }
          return Status(ErrorCode::kAmbiguousColumn,
                        "column reference \"" + JoinQualified(ref.names) + "\" is ambiguous");
        }
        found = i;
        found_hidden = c.hidden;
      }
      if (found.has_value()) {
        auto e = MakeColumn(*found, (*s->columns)[*found].type, name);
        if (grouped != nullptr) {
          // This subquery runs on the outer query's groups (its select list, HAVING or
          // ORDER BY), whose rows hold the GROUP BY keys, not the FROM columns: the column
          // must be a key, and is read at the key's position (PostgreSQL's rule, 42803).
          const std::string text = e->ToString();
          const size_t keys =
              grouped->grouping_sets ? grouped->grouping_set_column : grouped->group_bound.size();
          size_t key = 0;
          while (key < keys && grouped->group_bound[key] != text)
            ++key;
          if (key == keys) {
            return Status(ErrorCode::kGroupingError, "subquery uses ungrouped column \"" +
                                                         JoinQualified(ref.names) +
                                                         "\" from outer query");
          }
          e = MakeColumn(key, grouped->group_types[key], name);
        }
        e->outer_level = level;
        return e;
      }
    }
    if (!qualifier.empty()) {
      bool table_known = false;
      for (const Scope* s = &scope_; s != nullptr && !table_known; s = s->outer) {
        const Scope* from = s->aggregate ? s->aggregate->from : s;
        if (from->columns == nullptr) continue;
        for (const OutputColumn& c : *from->columns)
          if (c.table == qualifier) table_known = true;
      }
      if (!table_known) {
        return Status(ErrorCode::kUndefinedTable,
                      "missing FROM-clause entry for table \"" + qualifier + "\"");
      }
    }
    return UndefinedColumn(scope_, ref.names, qualifier);
  }

  Result<BoundExprPtr> BindLiteral(const Literal& lit) {
    switch (lit.literal_kind) {
      case LiteralKind::kNull: {
        auto e = MakeConstant(Value::Null(DataType::kText));
        e->unknown_type = true;
        return e;
      }
      case LiteralKind::kInteger:
        if (lit.integer >= INT32_MIN && lit.integer <= INT32_MAX) {
          return MakeConstant(Value::Int(static_cast<int32_t>(lit.integer)));
        }
        return MakeConstant(Value::BigInt(lit.integer));
      case LiteralKind::kNumeric:
        return NumericLiteral(lit.text);
      case LiteralKind::kString: {
        auto e = MakeConstant(Value::Text(lit.text));
        e->unknown_type = true;
        return e;
      }
      case LiteralKind::kBoolean:
        return MakeConstant(Value::Boolean(lit.boolean));
    }
    return Status(ErrorCode::kInternal, "unknown literal");
  }

  Result<BoundExprPtr> BindParameter(const Parameter& p) {
    auto e = std::make_unique<BoundExpr>();
    e->kind = BoundExprKind::kParameter;
    e->parameter = p.index - 1;
    auto* types = params();
    if (types == nullptr) {
      return Status(ErrorCode::kUndefinedParameter,
                    "there is no parameter $" + std::to_string(p.index));
    }
    if (static_cast<size_t>(e->parameter) >= types->size()) types->resize(e->parameter + 1);
    const std::optional<DataType>& known = (*types)[e->parameter];
    if (known.has_value()) {
      e->type = *known;
    } else {
      e->type = DataType::kText;
      e->unknown_type = true;
    }
    e->name = "$" + std::to_string(p.index);
    return e;
  }

  Result<BoundExprPtr> Not(BoundExprPtr operand) {
    TDB_ASSIGN_OR_RETURN(operand, RequireBoolean(std::move(operand), "NOT"));
    auto e = std::make_unique<BoundExpr>();
    e->kind = BoundExprKind::kNot;
    e->type = DataType::kBoolean;
    e->children.push_back(std::move(operand));
    return e;
  }

  Result<BoundExprPtr> RequireBoolean(BoundExprPtr e, const std::string& what) {
    if (e->unknown_type) return CoerceTo(std::move(e), DataType::kBoolean, "argument of " + what);
    if (e->type != DataType::kBoolean) {
      return Status(ErrorCode::kTypeMismatch, "argument of " + what +
                                                  " must be type boolean, not type " +
                                                  std::string(PgTypeName(e->type)));
    }
    return e;
  }

  Result<BoundExprPtr> BindUnary(const UnaryExpr& u) {
    TDB_ASSIGN_OR_RETURN(BoundExprPtr operand, Bind(*u.operand));
    if (u.op == UnaryOp::kNot) return Not(std::move(operand));
    if (operand->unknown_type) {
      TDB_ASSIGN_OR_RETURN(operand, CoerceTo(std::move(operand), DataType::kDouble, "operand"));
    }
    if (!HasUnaryMinus(operand->type)) {
      return Status(
          ErrorCode::kUndefinedFunction,
          "operator does not exist: " + std::string(u.op == UnaryOp::kNegate ? "-" : "+") + " " +
              std::string(PgTypeName(operand->type)));
    }
    if (u.op == UnaryOp::kPlus) return operand;
    if (operand->kind == BoundExprKind::kConstant) {
      TDB_ASSIGN_OR_RETURN(Value v, EvalNegate(operand->value));
      return MakeConstant(std::move(v));
    }
    auto e = std::make_unique<BoundExpr>();
    e->kind = BoundExprKind::kNegate;
    e->type = operand->type;
    e->children.push_back(std::move(operand));
    return e;
  }

 public:
  // Binary operators on bound operands (also used for BETWEEN, simple CASE, IN).
  Result<BoundExprPtr> BindBinary(ScalarOp op, BoundExprPtr l, BoundExprPtr r) {
    auto e = std::make_unique<BoundExpr>();
    e->kind = BoundExprKind::kBinary;
    e->binary_op = op;
    switch (op) {
      case ScalarOp::kAnd:
      case ScalarOp::kOr: {
        const char* name = op == ScalarOp::kAnd ? "AND" : "OR";
        TDB_ASSIGN_OR_RETURN(l, RequireBoolean(std::move(l), name));
        TDB_ASSIGN_OR_RETURN(r, RequireBoolean(std::move(r), name));
        e->type = DataType::kBoolean;
        break;
      }
      case ScalarOp::kEqual:
      case ScalarOp::kNotEqual:
      case ScalarOp::kLess:
      case ScalarOp::kLessEqual:
      case ScalarOp::kGreater:
      case ScalarOp::kGreaterEqual:
      case ScalarOp::kIsDistinctFrom:
      case ScalarOp::kIsNotDistinctFrom: {
        TDB_RETURN_IF_ERROR(UnifyOperands(op, &l, &r));
        e->type = DataType::kBoolean;
        break;
      }
      case ScalarOp::kLike:
      case ScalarOp::kNotLike:
      case ScalarOp::kILike:
      case ScalarOp::kNotILike: {
        for (BoundExprPtr* side : {&l, &r}) {
          if ((*side)->unknown_type) {
            TDB_ASSIGN_OR_RETURN(*side, CoerceTo(std::move(*side), DataType::kText, "LIKE"));
          }
          if ((*side)->type != DataType::kText) {
            return Status(ErrorCode::kUndefinedFunction,
                          "operator does not exist: " + TypeText(*l) + " " +
                              std::string(ScalarOpName(op)) + " " + TypeText(*r));
          }
        }
        e->type = DataType::kBoolean;
        break;
      }
      default: {  // arithmetic and ||
        if (op == ScalarOp::kConcat &&
            ((!l->unknown_type && IsArray(l->type)) || (!r->unknown_type && IsArray(r->type)))) {
          return BindArrayConcat(std::move(l), std::move(r), params());
        }
        if (l->unknown_type && r->unknown_type) {
          TDB_ASSIGN_OR_RETURN(l, CoerceTo(std::move(l), DataType::kText, "operand"));
          TDB_ASSIGN_OR_RETURN(r, CoerceTo(std::move(r), DataType::kText, "operand"));
        } else if (l->unknown_type) {
          const DataType t = op == ScalarOp::kConcat ? DataType::kText : r->type;
          TDB_ASSIGN_OR_RETURN(l, CoerceTo(std::move(l), t, "operand"));
        } else if (r->unknown_type) {
          const DataType t = op == ScalarOp::kConcat ? DataType::kText : l->type;
          TDB_ASSIGN_OR_RETURN(r, CoerceTo(std::move(r), t, "operand"));
        }
        TDB_ASSIGN_OR_RETURN(ArithmeticSignature sig, BindArithmetic(op, l->type, r->type));
        TDB_ASSIGN_OR_RETURN(
            l, Coerce(std::move(l), sig.left, CoercionKind::kExplicit, params(), "operand"));
        TDB_ASSIGN_OR_RETURN(
            r, Coerce(std::move(r), sig.right, CoercionKind::kExplicit, params(), "operand"));
        e->type = sig.result;
        break;
      }
    }
    e->children.push_back(std::move(l));
    e->children.push_back(std::move(r));
    return e;
  }

  // Brings two comparison operands to one type.
  Status UnifyOperands(ScalarOp op, BoundExprPtr* l, BoundExprPtr* r) {
    if ((*l)->unknown_type && (*r)->unknown_type) {
      TDB_ASSIGN_OR_RETURN(*l, CoerceTo(std::move(*l), DataType::kText, "operand"));
      TDB_ASSIGN_OR_RETURN(*r, CoerceTo(std::move(*r), DataType::kText, "operand"));
      return Status::Ok();
    }
    if ((*l)->unknown_type) {
      TDB_ASSIGN_OR_RETURN(*l, CoerceTo(std::move(*l), (*r)->type, "operand"));
      return Status::Ok();
    }
    if ((*r)->unknown_type) {
      TDB_ASSIGN_OR_RETURN(*r, CoerceTo(std::move(*r), (*l)->type, "operand"));
      return Status::Ok();
    }
    std::optional<DataType> common = CommonType((*l)->type, (*r)->type);
    if (!common.has_value()) {
      return Status(ErrorCode::kUndefinedFunction,
                    "operator does not exist: " + std::string(PgTypeName((*l)->type)) + " " +
                        std::string(ScalarOpName(op)) + " " + std::string(PgTypeName((*r)->type)) +
                        "; add an explicit cast to compare these types");
    }
    TDB_ASSIGN_OR_RETURN(*l, CoerceTo(std::move(*l), *common, "operand"));
    TDB_ASSIGN_OR_RETURN(*r, CoerceTo(std::move(*r), *common, "operand"));
    return Status::Ok();
  }

 private:
  // The common type of several expressions (CASE results, COALESCE, IN lists); unknowns
  // follow the known ones, all unknown gives TEXT.
  Result<DataType> CommonOf(const std::vector<BoundExpr*>& exprs, const std::string& what) {
    std::optional<DataType> type;
    for (const BoundExpr* e : exprs) {
      if (e->unknown_type) continue;
      if (!type.has_value()) {
        type = e->type;
        continue;
      }
      std::optional<DataType> common = CommonType(*type, e->type);
      if (!common.has_value()) {
        return Status(ErrorCode::kTypeMismatch, what + " types " + std::string(PgTypeName(*type)) +
                                                    " and " + std::string(PgTypeName(e->type)) +
                                                    " cannot be matched");
      }
      type = common;
    }
    return type.value_or(DataType::kText);
  }

  Result<BoundExprPtr> BindInList(const InListExpr& in) {
    auto e = std::make_unique<BoundExpr>();
    e->kind = BoundExprKind::kInList;
    e->type = DataType::kBoolean;
    e->negated = in.negated;
    TDB_ASSIGN_OR_RETURN(BoundExprPtr operand, Bind(*in.operand));
    e->children.push_back(std::move(operand));
    for (const auto& item : in.list) {
      TDB_ASSIGN_OR_RETURN(BoundExprPtr b, Bind(*item));
      e->children.push_back(std::move(b));
    }
    std::vector<BoundExpr*> all;
    for (auto& c : e->children)
      all.push_back(c.get());
    TDB_ASSIGN_OR_RETURN(DataType type, CommonOf(all, "IN"));
    for (auto& c : e->children) {
      TDB_ASSIGN_OR_RETURN(c, CoerceTo(std::move(c), type, "IN"));
    }
    return e;
  }

  Result<BoundExprPtr> BindCase(const CaseExpr& c) {
    auto e = std::make_unique<BoundExpr>();
    e->kind = BoundExprKind::kCase;
    e->name = "case";
    std::vector<BoundExprPtr> results;
    for (const CaseWhen& w : c.whens) {
      BoundExprPtr cond;
      if (c.operand) {
        TDB_ASSIGN_OR_RETURN(BoundExprPtr operand, Bind(*c.operand));
        TDB_ASSIGN_OR_RETURN(BoundExprPtr value, Bind(*w.condition));
        TDB_ASSIGN_OR_RETURN(cond,
                             BindBinary(ScalarOp::kEqual, std::move(operand), std::move(value)));
      } else {
        TDB_ASSIGN_OR_RETURN(cond, Bind(*w.condition));
        TDB_ASSIGN_OR_RETURN(cond, RequireBoolean(std::move(cond), "CASE/WHEN"));
      }
      e->children.push_back(std::move(cond));
      TDB_ASSIGN_OR_RETURN(BoundExprPtr result, Bind(*w.result));
      results.push_back(std::move(result));
    }
    if (c.else_result) {
      TDB_ASSIGN_OR_RETURN(BoundExprPtr result, Bind(*c.else_result));
      results.push_back(std::move(result));
      e->has_else = true;
    }
    std::vector<BoundExpr*> all;
    for (auto& r : results)
      all.push_back(r.get());
    TDB_ASSIGN_OR_RETURN(DataType type, CommonOf(all, "CASE"));
    e->type = type;
    // Interleave: cond0, result0, cond1, result1, ..., [else]
    std::vector<BoundExprPtr> conds = std::move(e->children);
    e->children.clear();
    for (size_t i = 0; i < conds.size(); ++i) {
      e->children.push_back(std::move(conds[i]));
      TDB_ASSIGN_OR_RETURN(BoundExprPtr r, CoerceTo(std::move(results[i]), type, "CASE result"));
      e->children.push_back(std::move(r));
    }
    if (e->has_else) {
      TDB_ASSIGN_OR_RETURN(BoundExprPtr r,
                           CoerceTo(std::move(results.back()), type, "CASE result"));
      e->children.push_back(std::move(r));
    }
    return e;
  }

  Result<BoundExprPtr> BindFunction(const FunctionCall& f) {
    const std::string& name = f.name.back();
    if (f.name.size() == 1 && name == "grouping") {
      return AtPosition(Status(ErrorCode::kGroupingError,
                               "GROUPING is allowed only in a query with GROUP BY, in its "
                               "select list, HAVING or ORDER BY"),
                        f.location);
    }
    if (f.name.size() == 1 && IsAggregateName(name)) {
      return Status(ErrorCode::kGroupingError,
                    "aggregate functions are not allowed in " +
                        std::string(*scope_.clause ? scope_.clause : "this context"));
    }
    if (f.within_group) {
      return Status(ErrorCode::kSyntaxError,
                    "WITHIN GROUP specified, but " + name + " is not an ordered-set aggregate");
    }
    if (f.filter || !f.agg_order.empty()) {  // PostgreSQL: 42809, reported as WITHIN GROUP's
      return Status(ErrorCode::kSyntaxError, std::string(f.filter ? "FILTER" : "ORDER BY") +
                                                 " specified, but " + name +
                                                 " is not an aggregate function");
    }
    if (f.no_parens && (name == "current_user" || name == "user" || name == "session_user" ||
                        name == "current_role")) {
      auto e = MakeConstant(Value::Text(binder_->context_.current_user));
      e->name = name;
      return e;
    }
    std::vector<BoundExprPtr> args;
    for (const auto& a : f.args) {
      TDB_ASSIGN_OR_RETURN(BoundExprPtr b, Bind(*a));
      args.push_back(std::move(b));
    }
    if (f.distinct || f.star) {
      return Status(ErrorCode::kUndefinedFunction, std::string(f.star ? "*" : "DISTINCT") +
                                                       " is only allowed in aggregates; " + name +
                                                       " is not an aggregate");
    }
    if (name == "coalesce" || name == "nullif") {
      if (name == "nullif" && args.size() != 2) {
        return Status(ErrorCode::kUndefinedFunction, "nullif takes two arguments");
      }
      if (args.empty()) {
        return Status(ErrorCode::kUndefinedFunction, "coalesce needs at least one argument");
      }
      std::vector<BoundExpr*> all;
      for (auto& a : args)
        all.push_back(a.get());
      TDB_ASSIGN_OR_RETURN(DataType type, CommonOf(all, name == "nullif" ? "NULLIF" : "COALESCE"));
      auto e = std::make_unique<BoundExpr>();
      e->kind = name == "coalesce" ? BoundExprKind::kCoalesce : BoundExprKind::kNullIf;
      e->type = type;
      e->name = name;
      for (auto& a : args) {
        TDB_ASSIGN_OR_RETURN(a, CoerceTo(std::move(a), type, name));
        e->children.push_back(std::move(a));
      }
      return e;
    }
    if (name == "unnest") {  // a set-returning function: PostgreSQL allows it here, we do not
      return AtPosition(Status(ErrorCode::kFeatureNotSupported,
                               "unnest is supported only in FROM, e.g. SELECT u FROM t, "
                               "unnest(t.tags) AS u"),
                        f.location);
    }
    const std::string lookup = f.no_parens && name == "current_timestamp" ? "now" : name;
    return CallFunction(name, lookup, std::move(args));
  }

  static constexpr const char* kRegTypes[] = {"regclass", "regtype", "regnamespace", "regrole"};
  static bool IsRegType(const std::string& name) {
    for (const char* kind : kRegTypes)
      if (name == kind) return true;
    return false;
  }

  // PostgreSQL's OID types, as tenantdb's catalogs carry them (tables/pg_catalog/):
  // `oid` is BIGINT; x::regclass / regtype / regnamespace / regrole turn a name (a string)
  // into its OID and an OID into its name (the text PostgreSQL prints for them); an
  // array type (int2[], oid[]) is the text of its array literal (function/text_array.h).
  // nullopt for any other type; `operand` is then left as it was.
  std::optional<Result<BoundExprPtr>> BindCatalogCast(const TypeName& type, BoundExprPtr& operand) {
    if (type.is_array && !type.data_type.has_value()) {
      return Coerce(std::move(operand), DataType::kText, CoercionKind::kExplicit, params(), "cast");
    }
    if (type.name == "oid" || type.name == "regproc" || type.name == "xid") {
      return Coerce(std::move(operand), DataType::kBigInt, CoercionKind::kExplicit, params(),
                    "cast");
    }
    for (const char* kind : kRegTypes) {
      if (type.name != kind) continue;
      const bool from_name = operand->unknown_type || operand->type == DataType::kText;
      auto arg = Coerce(std::move(operand), from_name ? DataType::kText : DataType::kBigInt,
                        CoercionKind::kExplicit, params(), "cast");
      if (!arg.ok()) return arg.status();
      std::vector<BoundExprPtr> args;
      args.push_back(std::move(*arg));
      const std::string fn = std::string(kind) + (from_name ? "_oid" : "_name");
      return CallFunction(type.name, fn, std::move(args));
    }
    return std::nullopt;
  }

  // A call of the registry's function `lookup` (reported as `name`) with bound `args`.
  Result<BoundExprPtr> CallFunction(const std::string& name, const std::string& lookup,
                                    std::vector<BoundExprPtr> args) {
    return BindFunctionCall(name, lookup, std::move(args), params());
  }

  Result<BoundExprPtr> BindSubquery(const SelectStmt& select, SubqueryKind kind,
                                    BoundExprPtr operand) {
    TDB_ASSIGN_OR_RETURN(PlanPtr plan, binder_->BindSelect(select, &scope_));
    if (kind != SubqueryKind::kExists && plan->columns.size() != 1) {
      return Status(ErrorCode::kSyntaxError, "subquery must return only one column");
    }
    auto e = std::make_unique<BoundExpr>();
    e->kind = BoundExprKind::kSubquery;
    e->subquery_kind = kind;
    e->name = kind == SubqueryKind::kExists ? "exists" : plan->columns[0].name;
    e->correlated = PlanReferencesOuter(*plan, 0);
    if (kind == SubqueryKind::kArray) {
      e->type = DataType::kText;
    } else if (kind == SubqueryKind::kScalar) {
      e->type = plan->columns[0].type;
    } else {
      e->type = DataType::kBoolean;
    }
    if (kind == SubqueryKind::kIn) {
      const DataType sub_type = plan->columns[0].type;
      if (operand->unknown_type) {
        TDB_ASSIGN_OR_RETURN(operand, CoerceTo(std::move(operand), sub_type, "IN"));
      }
      std::optional<DataType> common = CommonType(operand->type, sub_type);
      if (!common.has_value()) {
        return Status(ErrorCode::kUndefinedFunction,
                      "operator does not exist: " + std::string(PgTypeName(operand->type)) + " = " +
                          std::string(PgTypeName(sub_type)));
      }
      TDB_ASSIGN_OR_RETURN(operand, CoerceTo(std::move(operand), *common, "IN"));
      if (*common != sub_type) {
        // Cast the subquery's column to the common type with a projection on top.
        auto project = std::make_unique<ProjectNode>();
        project->columns = plan->columns;
        project->columns[0].type = *common;
        BoundExprPtr col = MakeColumn(0, sub_type, plan->columns[0].name);
        TDB_ASSIGN_OR_RETURN(col, CoerceTo(std::move(col), *common, "IN"));
        project->exprs.push_back(std::move(col));
        project->children.push_back(std::move(plan));
        project->Finish();
        plan = std::move(project);
      }
      e->children.push_back(std::move(operand));
    }
    e->subquery = std::shared_ptr<PlanNode>(std::move(plan));
    return e;
  }

  Binder* binder_;
  const Scope& scope_;
};

Result<BoundExprPtr> Binder::BindExpr(const Expr& expr, const Scope& scope) {
  ExprBinder binder(this, scope);
  return binder.Bind(expr);
}

Result<BoundExprPtr> Binder::BindOperator(ScalarOp op, BoundExprPtr l, BoundExprPtr r,
                                          const Scope& scope) {
  ExprBinder binder(this, scope);
  return binder.BindBinary(op, std::move(l), std::move(r));
}

}  // namespace tenantdb::sql
