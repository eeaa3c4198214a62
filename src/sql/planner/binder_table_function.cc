// Table functions in FROM: generate_series(start, stop [, step]) over integers, as
// PostgreSQL 15 types it (INT when every argument is SMALLINT / INT or an untyped
// literal, else BIGINT). Its column is named after the function, or after the FROM
// alias (`generate_series(1, 3) AS g` has column g), as in PostgreSQL. The timestamp
// form needs INTERVAL, which tenantdb does not have yet.
//
// Errors: undefined_function (another function, or wrong argument count or types, at the
// call's position), feature_not_supported (timestamp arguments).
#include "sql/function/cast.h"
#include "sql/planner/binder_internal.h"
#include "sql/planner/error_position.h"

namespace tenantdb::sql {

Result<PlanPtr> Binder::BindTableFunction(const FunctionCall& call, const std::string& alias,
                                          const Scope* outer) {
  const std::string name = JoinQualified(call.name);
  if (name != "generate_series") {
    return AtPosition(
        Status(ErrorCode::kUndefinedFunction, "function " + name +
                                                  " does not exist as a table function; FROM takes "
                                                  "generate_series(start, stop [, step])"),
        call.location);
  }
  std::vector<OutputColumn> none;
  Scope scope;
  scope.columns = &none;
  scope.outer = outer;
  scope.clause = "functions in FROM";
  std::vector<BoundExprPtr> args;
  bool bigint = false;
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
          return AtPosition(Status(ErrorCode::kFeatureNotSupported,
                                   "generate_series over timestamps needs an INTERVAL step, "
                                   "and tenantdb has no INTERVAL type yet"),
                            call.location);
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
  const DataType type = bigint ? DataType::kBigInt : DataType::kInt;
  auto node = std::make_unique<FunctionScanNode>();
  node->function = name;
  for (BoundExprPtr& e : args) {
    TDB_ASSIGN_OR_RETURN(e, Coerce(std::move(e), type, CoercionKind::kImplicit,
                                   context_.parameter_types, "generate_series argument"));
    node->args.push_back(std::move(e));
  }
  const std::string table = alias.empty() ? name : alias;
  node->columns.push_back(OutputColumn{table, type, table, false});
  node->Finish();
  return PlanPtr(std::move(node));
}

}  // namespace tenantdb::sql
