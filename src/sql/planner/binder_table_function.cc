// Table functions in FROM: generate_series(start, stop [, step]) over integers, as
// PostgreSQL 15 types it (INT when every argument is SMALLINT / INT or an untyped
// literal, else BIGINT). Its column is named after the function, or after the FROM
// alias (`generate_series(1, 3) AS g` has column g), as in PostgreSQL. Over timestamps
// it takes (start, stop, step interval) and returns TIMESTAMP when the bounds are
// TIMESTAMP, else TIMESTAMPTZ.
//
// The JSON table functions take one JSON argument (an untyped literal is JSON) and
// name their columns as PostgreSQL's OUT parameters do, whatever the alias:
// json[b]_array_elements -> value json, json[b]_array_elements_text -> value text,
// json[b]_each -> key text, value json, json[b]_each_text -> key text, value text;
// json[b]_object_keys returns text in a column named like generate_series's.
//
// unnest(array) returns the elements, typed as the array's elements, in a column named
// like generate_series's.
//
// Errors: undefined_function (another function, or wrong argument count or types, at the
// call's position).
#include "sql/function/cast.h"
#include "sql/planner/binder_internal.h"
#include "sql/planner/error_position.h"

namespace tenantdb::sql {

namespace {

struct JsonTableFunction {
  std::string_view name;
  JsonExpansion kind;
};

constexpr JsonTableFunction kJsonTableFunctions[] = {
    {"array_elements", JsonExpansion::kElements},
    {"array_elements_text", JsonExpansion::kElementsText},
    {"each", JsonExpansion::kEach},
    {"each_text", JsonExpansion::kEachText},
    {"object_keys", JsonExpansion::kObjectKeys},
};

// The JSON table function `name` names (json_each, jsonb_array_elements, ...), if any.
std::optional<JsonTableFunction> FindJsonTableFunction(std::string_view name, bool* jsonb) {
  std::string_view rest;
  if (name.substr(0, 6) == "jsonb_") {
    *jsonb = true;
    rest = name.substr(6);
  } else if (name.substr(0, 5) == "json_") {
    *jsonb = false;
    rest = name.substr(5);
  } else {
    return std::nullopt;
  }
  for (const JsonTableFunction& f : kJsonTableFunctions)
    if (f.name == rest) return f;
  return std::nullopt;
}

}  // namespace

Result<PlanPtr> Binder::BindTableFunction(const FunctionCall& call, const std::string& alias,
                                          const Scope* outer) {
  const std::string name = JoinQualified(call.name);
  bool jsonb = false;
  if (std::optional<JsonTableFunction> json = FindJsonTableFunction(name, &jsonb)) {
    return BindJsonTableFunction(call, name, json->kind, jsonb, alias, outer);
  }
  if (name == "read_parquet") return BindReadParquet(call, alias);
  if (name == "unnest") return BindUnnest(call, alias, outer);
  if (name == "read_csv") return BindReadCsv(call, alias);
  if (name != "generate_series") {
    return AtPosition(Status(ErrorCode::kUndefinedFunction,
                             "function " + name +
                                 " does not exist as a table function; FROM takes "
                                 "generate_series(start, stop [, step]), unnest(array), "
                                 "read_parquet(path), "
                                 "read_csv(path [, option => value ...]) and "
                                 "the JSON table functions (jsonb_array_elements, jsonb_each, "
                                 "...)"),
                      call.location);
  }
  std::vector<OutputColumn> none;
  Scope scope;
  scope.columns = &none;
  scope.outer = outer;
  scope.clause = "functions in FROM";
  std::vector<BoundExprPtr> args;
  bool bigint = false, temporal = false;
  std::string signature;
  for (const ExprPtr& arg : call.args) {
    TDB_ASSIGN_OR_RETURN(BoundExprPtr e, BindExpr(*arg, scope));
    signature += std::string(signature.empty() ? "" : ", ") +
                 (e->unknown_type ? "unknown" : std::string(PgTypeName(e->type)));
    if (!e->unknown_type) {
      switch (e->type) {
        case DataType::kSmallInt:
        case DataType::kInt:
          break;
        case DataType::kBigInt:
          bigint = true;
          break;
        case DataType::kTimestamp:
        case DataType::kTimestampTz:
        case DataType::kDate:
        case DataType::kInterval:
          temporal = true;
          break;
        default:
          signature.clear();
          break;
      }
      if (signature.empty()) break;
    }
    args.push_back(std::move(e));
  }
  if (call.star || call.distinct || call.filter || signature.empty() || args.size() < 2 ||
      args.size() > 3) {
    return AtPosition(Status(ErrorCode::kUndefinedFunction,
                             "function generate_series(" + signature +
                                 ") does not exist; it takes (start, stop [, step]) integers"),
                      call.location);
  }
  if (temporal && args.size() != 3) {
    return AtPosition(Status(ErrorCode::kUndefinedFunction,
                             "function generate_series(" + signature +
                                 ") does not exist; over timestamps it takes (start, stop, "
                                 "step interval)"),
                      call.location);
  }
  // PostgreSQL: TIMESTAMP when the bounds are, else TIMESTAMPTZ (a DATE widens to it).
  DataType type = bigint ? DataType::kBigInt : DataType::kInt;
  if (temporal) {
    const bool plain = (args[0]->unknown_type || args[0]->type == DataType::kTimestamp) &&
                       (args[1]->unknown_type || args[1]->type == DataType::kTimestamp) &&
                       !(args[0]->unknown_type && args[1]->unknown_type);
    type = plain ? DataType::kTimestamp : DataType::kTimestampTz;
  }
  auto node = std::make_unique<FunctionScanNode>();
  node->function = name;
  for (size_t i = 0; i < args.size(); ++i) {
    const DataType arg_type = temporal && i == 2 ? DataType::kInterval : type;
    TDB_ASSIGN_OR_RETURN(BoundExprPtr e,
                         Coerce(std::move(args[i]), arg_type, CoercionKind::kImplicit,
                                context_.parameter_types, "generate_series argument"));
    node->args.push_back(std::move(e));
  }
  const std::string table = alias.empty() ? name : alias;
  node->columns.push_back(OutputColumn{table, type, table, false});
  node->Finish();
  return PlanPtr(std::move(node));
}

// unnest(array): one row per element, in order (NULL elements included), in a column
// named like generate_series's and typed as the elements; a NULL or empty array gives no
// rows. One array argument only (PostgreSQL's unnest(a, b, ...) zips several).
Result<PlanPtr> Binder::BindUnnest(const FunctionCall& call, const std::string& alias,
                                   const Scope* outer) {
  std::vector<OutputColumn> none;
  Scope scope;
  scope.columns = &none;
  scope.outer = outer;
  scope.clause = "functions in FROM";
  if (call.star || call.distinct || call.filter || call.args.size() != 1) {
    return AtPosition(
        Status(
            call.args.size() > 1 ? ErrorCode::kFeatureNotSupported : ErrorCode::kUndefinedFunction,
            call.args.size() > 1 ? "unnest of several arrays is not supported; unnest each "
                                   "array in its own FROM item"
                                 : "function unnest takes one array argument"),
        call.location);
  }
  TDB_ASSIGN_OR_RETURN(BoundExprPtr arg, BindExpr(*call.args[0], scope));
  if (arg->unknown_type || !IsArray(arg->type)) {
    return AtPosition(Status(ErrorCode::kUndefinedFunction,
                             "function unnest(" + TypeText(*arg) +
                                 ") does not exist; it takes an array (cast the argument: "
                                 "x::integer[])"),
                      call.location);
  }
  auto node = std::make_unique<FunctionScanNode>();
  node->function = "unnest";
  const DataType element = ElementType(arg->type);
  node->args.push_back(std::move(arg));
  const std::string table = alias.empty() ? "unnest" : alias;
  node->columns.push_back(OutputColumn{table, element, table, false});
  node->Finish();
  return PlanPtr(std::move(node));
}

Result<PlanPtr> Binder::BindJsonTableFunction(const FunctionCall& call, const std::string& name,
                                              JsonExpansion kind, bool jsonb,
                                              const std::string& alias, const Scope* outer) {
  std::vector<OutputColumn> none;
  Scope scope;
  scope.columns = &none;
  scope.outer = outer;
  scope.clause = "functions in FROM";
  if (call.star || call.distinct || call.filter || call.args.size() != 1) {
    return AtPosition(
        Status(ErrorCode::kUndefinedFunction,
               "function " + name + " takes one " + (jsonb ? "jsonb" : "json") + " argument"),
        call.location);
  }
  TDB_ASSIGN_OR_RETURN(BoundExprPtr arg, BindExpr(*call.args[0], scope));
  if (!arg->unknown_type && arg->type != DataType::kJson) {
    return AtPosition(Status(ErrorCode::kUndefinedFunction,
                             "function " + name + "(" + std::string(PgTypeName(arg->type)) +
                                 ") does not exist; it takes " + (jsonb ? "jsonb" : "json") +
                                 " (cast the argument: x::" + (jsonb ? "jsonb" : "json") + ")"),
                      call.location);
  }
  TDB_ASSIGN_OR_RETURN(arg, Coerce(std::move(arg), DataType::kJson, CoercionKind::kImplicit,
                                   context_.parameter_types, name + " argument"));
  auto node = std::make_unique<FunctionScanNode>();
  node->function = name;
  node->json = kind;
  node->jsonb = jsonb;
  node->args.push_back(std::move(arg));
  const std::string table = alias.empty() ? name : alias;
  switch (kind) {
    case JsonExpansion::kElements:
    case JsonExpansion::kElementsText:
      node->columns.push_back(OutputColumn{
          "value", kind == JsonExpansion::kElements ? DataType::kJson : DataType::kText, table,
          false});
      break;
    case JsonExpansion::kEach:
    case JsonExpansion::kEachText:
      node->columns.push_back(OutputColumn{"key", DataType::kText, table, false});
      node->columns.push_back(OutputColumn{
          "value", kind == JsonExpansion::kEach ? DataType::kJson : DataType::kText, table, false});
      break;
    case JsonExpansion::kObjectKeys:
      node->columns.push_back(OutputColumn{table, DataType::kText, table, false});
      break;
  }
  node->Finish();
  return PlanPtr(std::move(node));
}

}  // namespace tenantdb::sql
