#include "sql/function/scalar_functions.h"

#include <string>

#include "absl/container/flat_hash_map.h"
#include "sql/function/array_functions.h"
#include "sql/function/cast.h"
#include "sql/function/function_registry.h"

namespace tenantdb::sql {
namespace {

struct Registry {
  std::vector<ScalarFunction> functions;
  std::vector<ScalarFunction> array_functions;  // array forms (array_functions.h)
  absl::flat_hash_map<std::string_view, const ScalarFunction*> by_name;
  absl::flat_hash_map<std::string_view, const ScalarFunction*> array_by_name;

  Registry() {
    AddStringFunctions(&functions);
    AddMathFunctions(&functions);
    AddDatetimeFunctions(&functions);
    AddIntervalFunctions(&functions);
    AddIdFunctions(&functions);
    AddPgCatalogFunctions(&functions);
    AddRegexFunctions(&functions);
    AddJsonFunctions(&functions);
    // `functions` is complete, so the pointers below stay valid.
    AddArrayFunctions(&array_functions);
    for (const ScalarFunction& f : functions)
      by_name.emplace(f.name, &f);
    for (const ScalarFunction& f : array_functions) {
      array_by_name.emplace(f.name, &f);
      by_name.emplace(f.name, &f);  // the only form of names like cardinality
    }
  }
};

const Registry& GetRegistry() {
  static const Registry* registry = new Registry();  // never destroyed: used until exit
  return *registry;
}

}  // namespace

Status UndefinedFunctionError(std::string_view name,
                              std::span<const std::optional<DataType>> arg_types) {
  std::string message = "function " + std::string(name) + "(";
  for (size_t i = 0; i < arg_types.size(); ++i) {
    if (i > 0) message += ", ";
    message += arg_types[i] ? PgTypeName(*arg_types[i]) : "unknown";
  }
  message += ") does not exist";
  return Status(ErrorCode::kUndefinedFunction, std::move(message));
}

Result<DataType> ScalarFunction::Bind(std::span<const std::optional<DataType>> arg_types,
                                      std::vector<DataType>* cast_to) const {
  if (custom_bind != nullptr) return custom_bind(*this, arg_types, cast_to);
  const FunctionSignature* best = nullptr;
  int best_exact = -1;
  for (const FunctionSignature& sig : signatures) {
    if (sig.params.size() != arg_types.size()) continue;
    int exact = 0;
    bool viable = true;
    for (size_t i = 0; i < arg_types.size() && viable; ++i) {
      if (!arg_types[i]) continue;
      if (*arg_types[i] == sig.params[i]) {
        ++exact;
      } else {
        viable = CanCastImplicitly(*arg_types[i], sig.params[i]);
      }
    }
    if (viable && exact > best_exact) {
      best = &sig;
      best_exact = exact;
    }
  }
  if (best == nullptr) return UndefinedFunctionError(name, arg_types);
  cast_to->assign(best->params.begin(), best->params.end());
  return best->result;
}

const ScalarFunction* FindScalarFunctionFor(std::string_view lower_name,
                                            std::span<const std::optional<DataType>> arg_types) {
  const Registry& registry = GetRegistry();
  for (const std::optional<DataType>& t : arg_types) {
    if (!t.has_value() || !IsArray(*t)) continue;
    auto it = registry.array_by_name.find(lower_name);
    if (it != registry.array_by_name.end()) return it->second;
    break;
  }
  return FindScalarFunction(lower_name);
}

std::vector<std::string> ScalarFunctionNames() {
  std::vector<std::string> names;
  for (const ScalarFunction& f : GetRegistry().functions)
    names.emplace_back(f.name);
  for (const ScalarFunction& f : GetRegistry().array_functions)
    names.emplace_back(f.name);
  return names;
}

const ScalarFunction* FindScalarFunction(std::string_view lower_name) {
  const Registry& registry = GetRegistry();
  auto it = registry.by_name.find(lower_name);
  return it == registry.by_name.end() ? nullptr : it->second;
}

Result<Value> EvalScalarFunction(std::string_view name, std::span<const Value> args,
                                 const FunctionContext& ctx) {
  std::vector<std::optional<DataType>> types;
  types.reserve(args.size());
  for (const Value& v : args)
    types.push_back(v.type());
  const ScalarFunction* f = FindScalarFunctionFor(name, types);
  if (f == nullptr) return UndefinedFunctionError(name, types);
  std::vector<DataType> cast_to;
  TDB_ASSIGN_OR_RETURN(DataType result, f->Bind(types, &cast_to));
  std::vector<Value> cast_args;
  cast_args.reserve(args.size());
  for (size_t i = 0; i < args.size(); ++i) {
    if (f->strict && args[i].is_null()) return Value::Null(result);
    TDB_ASSIGN_OR_RETURN(Value v, CastValue(args[i], cast_to[i]));
    cast_args.push_back(std::move(v));
  }
  return f->eval(cast_args, ctx);
}

Status EvalScalarFunctionVector(const ScalarFunction& function,
                                std::span<const ColumnVector* const> args, size_t rows,
                                const FunctionContext& ctx, ColumnVector* out) {
  for (const ColumnVector* arg : args) {
    if (arg->size() != rows) {
      return Status(ErrorCode::kInternal, "EvalScalarFunctionVector: argument length mismatch");
    }
  }
  out->Reserve(rows);
  std::vector<Value> row_args;
  row_args.reserve(args.size());
  for (size_t row = 0; row < rows; ++row) {
    row_args.clear();
    bool any_null = false;
    for (const ColumnVector* arg : args) {
      row_args.push_back(arg->GetValue(row));
      any_null |= row_args.back().is_null();
    }
    if (function.strict && any_null) {
      out->AppendNull();
      continue;
    }
    TDB_ASSIGN_OR_RETURN(Value v, function.eval(row_args, ctx));
    if (v.type() != out->type()) {
      return Status(ErrorCode::kInternal, "function " + std::string(function.name) + " returned " +
                                              std::string(PgTypeName(v.type())) +
                                              ", not the bound result type");
    }
    out->Append(v);
  }
  return Status::Ok();
}

void Add(std::vector<ScalarFunction>* out, std::string_view name,
         std::vector<FunctionSignature> signatures, ScalarEvalFn eval, bool is_volatile) {
  ScalarFunction f;
  f.name = name;
  f.signatures = std::move(signatures);
  f.eval = eval;
  f.is_volatile = is_volatile;
  out->push_back(std::move(f));
}

}  // namespace tenantdb::sql
