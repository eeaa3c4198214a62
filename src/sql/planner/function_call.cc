// Binding a call of a registered scalar function (sql/function/scalar_functions.h),
// and the array forms the binder spells as calls: a || b over arrays and ARRAY[]::t[].
// Pure functions over bound expressions.
#include "sql/function/array_functions.h"
#include "sql/function/cast.h"
#include "sql/planner/binder_internal.h"
#include "types/array_value.h"

namespace tenantdb::sql {

Result<BoundExprPtr> BindFunctionCall(const std::string& name, const std::string& lookup,
                                      std::vector<BoundExprPtr> args,
                                      std::vector<std::optional<DataType>>* parameter_types) {
  std::vector<std::optional<DataType>> types;
  for (const auto& a : args)
    types.push_back(a->unknown_type ? std::nullopt : std::optional<DataType>(a->type));
  const ScalarFunction* fn = FindScalarFunctionFor(lookup, types);
  if (fn == nullptr) return UnknownFunction(name, types);
  std::vector<DataType> cast_to;
  TDB_ASSIGN_OR_RETURN(DataType result, fn->Bind(types, &cast_to));
  auto e = std::make_unique<BoundExpr>();
  e->kind = BoundExprKind::kFunction;
  e->type = result;
  e->function = fn;
  e->name = name;
  for (size_t i = 0; i < args.size(); ++i) {
    TDB_ASSIGN_OR_RETURN(args[i], Coerce(std::move(args[i]), cast_to[i], CoercionKind::kExplicit,
                                         parameter_types, "argument"));
    e->children.push_back(std::move(args[i]));
  }
  // a[i] over catalog text: see Coerce.
  e->unknown_type = lookup == "array_element" && !IsArray(e->children[0]->type);
  return e;
}

Result<BoundExprPtr> BindArrayConcat(BoundExprPtr l, BoundExprPtr r,
                                     std::vector<std::optional<DataType>>* parameter_types) {
  const bool l_array = !l->unknown_type && IsArray(l->type);
  const bool r_array = !r->unknown_type && IsArray(r->type);
  const char* fn = "array_cat";
  if (l_array && !r_array && !r->unknown_type) fn = "array_append";
  if (r_array && !l_array && !l->unknown_type) fn = "array_prepend";
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(l));
  args.push_back(std::move(r));
  return BindFunctionCall("||", fn, std::move(args), parameter_types);
}

BoundExprPtr EmptyArrayCast(const CastExpr& cast) {
  if (cast.operand->kind != ExprKind::kFunction || !cast.type.data_type.has_value() ||
      !IsArray(*cast.type.data_type)) {
    return nullptr;
  }
  const auto& f = static_cast<const FunctionCall&>(*cast.operand);
  if (f.name.size() != 1 || f.name[0] != "array" || !f.args.empty()) return nullptr;
  const DataType element = ElementType(*cast.type.data_type);
  return MakeConstant(Value::Array(element, EncodeArray(element, {})));
}

}  // namespace tenantdb::sql
