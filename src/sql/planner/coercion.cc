// PostgreSQL's coercions of bound expressions (implicit, assignment, explicit: which casts
// each context allows, folding untyped literals and typing untyped parameters) and the
// SQL type names tenantdb resolves. Pure functions.
#include <cstdlib>

#include "sql/function/cast.h"
#include "sql/function/scalar_functions.h"
#include "sql/planner/binder_internal.h"
#include "types/interval.h"
#include "types/numeric.h"

namespace tenantdb::sql {

std::string TypeText(const BoundExpr& e) {
  return e.unknown_type ? "unknown" : std::string(PgTypeName(e.type));
}

namespace {

BoundExprPtr MakeCast(BoundExprPtr operand, DataType type) {
  auto cast = std::make_unique<BoundExpr>();
  cast->kind = BoundExprKind::kCast;
  cast->type = type;
  cast->name = operand->name;
  cast->children.push_back(std::move(operand));
  return cast;
}

}  // namespace

Result<BoundExprPtr> Coerce(BoundExprPtr expr, DataType type, CoercionKind kind,
                            std::vector<std::optional<DataType>>* parameter_types,
                            const std::string& what) {
  if (expr->unknown_type) {
    if (expr->kind == BoundExprKind::kConstant) {
      TDB_ASSIGN_OR_RETURN(Value v, CastValue(expr->value, type));
      expr->value = std::move(v);
      expr->type = type;
      expr->unknown_type = false;
      return expr;
    }
    if (expr->kind == BoundExprKind::kParameter) {
      if (parameter_types != nullptr &&
          static_cast<size_t>(expr->parameter) < parameter_types->size()) {
        (*parameter_types)[expr->parameter] = type;
      }
      expr->type = type;
      expr->unknown_type = false;
      return expr;
    }
    // An array element (a[i] over an array's literal text, function/text_array.h) has
    // the type its context asks for, as PostgreSQL's typed arrays give it: cast at run
    // time.
    expr->unknown_type = false;
    if (expr->type == type) return expr;
    return MakeCast(std::move(expr), type);
  }
  if (expr->type == type) return expr;
  bool allowed = false;
  switch (kind) {
    case CoercionKind::kImplicit:
      allowed = CanCastImplicitly(expr->type, type);
      break;
    case CoercionKind::kAssignment:
      allowed = AssignmentCastAllowed(expr->type, type);
      break;
    case CoercionKind::kExplicit:
      allowed = true;
      break;
  }
  if (!allowed) {
    return Status(ErrorCode::kTypeMismatch, what + " is of type " + std::string(PgTypeName(type)) +
                                                " but expression is of type " + TypeText(*expr));
  }
  if (expr->kind == BoundExprKind::kConstant) {
    TDB_ASSIGN_OR_RETURN(Value v, CastValue(expr->value, type));
    expr->value = std::move(v);
    expr->type = type;
    return expr;
  }
  return MakeCast(std::move(expr), type);
}

Result<BoundExprPtr> ApplyLengthModifier(BoundExprPtr expr, const TypeName& type) {
  if (type.data_type == DataType::kNumeric) {  // NUMERIC(p,s): round and range-check
    TDB_ASSIGN_OR_RETURN(auto typmod, NumericTypmodOf(type));
    return ApplyNumericTypmod(std::move(expr), typmod.first, typmod.second);
  }
  // char(n) is "bpchar" to the parser, and a bare char means char(1) (PostgreSQL's
  // grammar gives it that modifier). tenantdb has no blank-padded type: char(n) is
  // truncated like varchar(n) but not padded to n.
  if ((type.name != "varchar" && type.name != "bpchar") || type.modifiers.size() != 1) {
    return expr;
  }
  constexpr int64_t kMaxLength = 10485760;  // PostgreSQL's limit for varchar(n) / char(n)
  const int64_t n = type.modifiers[0];
  const std::string name = type.name == "bpchar" ? "char" : "varchar";
  if (n < 1) {
    return Status(ErrorCode::kInvalidArgument, "length for type " + name + " must be at least 1");
  }
  if (n > kMaxLength) {
    return Status(ErrorCode::kInvalidArgument,
                  "length for type " + name + " cannot exceed " + std::to_string(kMaxLength));
  }
  if (expr->type != DataType::kText) return expr;
  // left(expr, n), which counts characters, not bytes: folded now for a constant.
  const Value length = Value::Int(static_cast<int32_t>(n));
  if (expr->kind == BoundExprKind::kConstant) {
    const Value args[] = {expr->value, length};
    TDB_ASSIGN_OR_RETURN(expr->value, EvalScalarFunction("left", args, FunctionContext{}));
    return expr;
  }
  const ScalarFunction* left = FindScalarFunction("left");
  if (left == nullptr) return Status(ErrorCode::kInternal, "function left() is not registered");
  auto call = std::make_unique<BoundExpr>();
  call->kind = BoundExprKind::kFunction;
  call->type = DataType::kText;
  call->function = left;
  call->name = expr->name;
  call->children.push_back(std::move(expr));
  call->children.push_back(MakeConstant(length));
  return call;
}

std::optional<Result<BoundExprPtr>> BindIntervalTypmod(BoundExprPtr& operand, const TypeName& type,
                                                       DataType resolved) {
  if (resolved != DataType::kInterval || type.modifiers.empty()) return std::nullopt;
  const int64_t range = type.modifiers[0];
  const int64_t precision = type.modifiers.size() > 1 ? type.modifiers[1] : kIntervalFullPrecision;
  std::optional<std::string> text;
  if (operand->kind == BoundExprKind::kConstant && !operand->value.is_null()) {
    if (operand->type == DataType::kText) text = std::string(operand->value.as_bytes());
    if (operand->type == DataType::kInterval) text = operand->value.ToString();
  }
  if (operand->kind == BoundExprKind::kConstant && operand->value.is_null()) {
    return MakeConstant(Value::Null(DataType::kInterval));
  }
  if (!text.has_value()) {
    return Status(ErrorCode::kFeatureNotSupported,
                  "INTERVAL fields or precision (DAY, HOUR TO MINUTE, (3), ...) apply to "
                  "literals only; cast to INTERVAL without them");
  }
  Result<Interval> v = ParseIntervalWithTypmod(*text, range, precision);
  if (!v.ok()) return v.status();
  return MakeConstant(Value::FromInterval(*v));
}

Result<std::pair<int, int>> NumericTypmodOf(const TypeName& type) {
  if (type.data_type != DataType::kNumeric || type.modifiers.empty()) return std::pair{0, 0};
  if (type.modifiers.size() > 2) {
    return Status(ErrorCode::kInvalidArgument, "invalid NUMERIC type modifier");
  }
  const int64_t precision = type.modifiers[0];
  const int64_t scale = type.modifiers.size() > 1 ? type.modifiers[1] : 0;
  if (precision < 1 || precision > kNumericMaxPrecision) {
    return Status(ErrorCode::kInvalidArgument, "NUMERIC precision " + std::to_string(precision) +
                                                   " must be between 1 and " +
                                                   std::to_string(kNumericMaxPrecision));
  }
  if (scale < 0 || scale > precision) {
    return Status(ErrorCode::kInvalidArgument, "NUMERIC scale " + std::to_string(scale) +
                                                   " must be between 0 and precision " +
                                                   std::to_string(precision));
  }
  return std::pair{static_cast<int>(precision), static_cast<int>(scale)};
}

Result<BoundExprPtr> ApplyNumericTypmod(BoundExprPtr expr, int precision, int scale) {
  if (precision == 0 || expr->type != DataType::kNumeric) return expr;
  const Value p = Value::Int(precision), s = Value::Int(scale);
  if (expr->kind == BoundExprKind::kConstant) {
    const Value args[] = {expr->value, p, s};
    TDB_ASSIGN_OR_RETURN(expr->value,
                         EvalScalarFunction("numeric_typmod", args, FunctionContext{}));
    return expr;
  }
  const ScalarFunction* f = FindScalarFunction("numeric_typmod");
  if (f == nullptr) return Status(ErrorCode::kInternal, "numeric_typmod is not registered");
  auto call = std::make_unique<BoundExpr>();
  call->kind = BoundExprKind::kFunction;
  call->type = DataType::kNumeric;
  call->function = f;
  call->name = expr->name;
  call->children.push_back(std::move(expr));
  call->children.push_back(MakeConstant(p));
  call->children.push_back(MakeConstant(s));
  return call;
}

BoundExprPtr NumericLiteral(const std::string& text) {
  Result<Numeric> n = ParseNumeric(text);
  if (n.ok()) return MakeConstant(Value::FromNumeric(*n));
  return MakeConstant(Value::Double(std::strtod(text.c_str(), nullptr)));
}

Result<DataType> ResolveTypeName(const TypeName& type) {
  if (type.data_type.has_value()) return *type.data_type;
  if (type.is_array) {
    return Status(ErrorCode::kFeatureNotSupported,
                  "arrays of type \"" + type.name + "\" are not supported");
  }
  if (type.name == "bpchar" || type.name == "char" || type.name == "name") return DataType::kText;
  return Status(ErrorCode::kFeatureNotSupported,
                "type \"" + type.name +
                    "\" is not supported; use BOOLEAN, SMALLINT, INT, BIGINT, REAL, DOUBLE, TEXT, "
                    "BYTEA, DATE, TIMESTAMP, TIMESTAMPTZ, INTERVAL, NUMERIC, JSON or UUID");
}

// ---- the expression binder ----

}  // namespace tenantdb::sql
