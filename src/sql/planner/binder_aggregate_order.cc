// ORDER BY inside an aggregate's arguments (string_agg(name, ', ' ORDER BY name),
// json_agg(x ORDER BY t DESC)): the sort keys, bound over the aggregate's input rows with
// PostgreSQL's rules — no aggregate inside, an orderable type, and with DISTINCT only
// the argument itself.
#include "sql/function/cast.h"
#include "sql/planner/binder_internal.h"
#include "sql/planner/error_position.h"

namespace tenantdb::sql {

Result<std::vector<SortKey>> Binder::BindAggregateOrder(const FunctionCall& f, const Scope& from,
                                                        const AggregateCall& call) {
  std::vector<SortKey> keys;
  for (const OrderByItem& o : f.agg_order) {
    if (ContainsAggregate(*o.expr)) {
      return AtPosition(
          Status(ErrorCode::kGroupingError, "aggregate function calls cannot be nested"),
          o.expr->location);
    }
    TDB_ASSIGN_OR_RETURN(BoundExprPtr e, BindExpr(*o.expr, from));
    const bool untyped = e->unknown_type;
    if (e->unknown_type) {
      TDB_ASSIGN_OR_RETURN(e, Coerce(std::move(e), DataType::kText, CoercionKind::kImplicit,
                                     context_.parameter_types, "ORDER BY"));
    }
    if (e->type == DataType::kJson) {
      return AtPosition(Status(ErrorCode::kUndefinedFunction,
                               "could not identify an ordering operator for type json"),
                        o.expr->location);
    }
    // Sorting the DISTINCT values by anything else would be ambiguous (PostgreSQL
    // refuses it the same way). An untyped literal ('x') never matches: the argument's
    // copy was typed by the aggregate, the ORDER BY's was not (as in PostgreSQL).
    if (call.distinct && (untyped || call.argument == nullptr || !e->Equals(*call.argument))) {
      return AtPosition(Status(ErrorCode::kInvalidColumnReference,
                               "in an aggregate with DISTINCT, ORDER BY expressions must "
                               "appear in argument list"),
                        o.expr->location);
    }
    SortKey key;
    key.descending = o.direction == SortDirection::kDescending;
    key.nulls_first =
        o.nulls == NullsOrder::kDefault ? key.descending : o.nulls == NullsOrder::kFirst;
    key.expr = std::move(e);
    keys.push_back(std::move(key));
  }
  return keys;
}

}  // namespace tenantdb::sql
