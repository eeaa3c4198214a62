// Internals the binder's files share (not part of the binder's API).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sql/planner/binder.h"

namespace tenantdb::sql {

// One level of name resolution: the columns of a FROM clause (or of an aggregate's
// output), and the enclosing query's scope for correlated references.
struct Binder::Scope {
  const std::vector<OutputColumn>* columns = nullptr;
  const Scope* outer = nullptr;
  AggregateState* aggregate = nullptr;  // binding over GROUP BY output
  WindowState* window = nullptr;        // window functions allowed (select list, ORDER BY)
  const char* clause = "";              // "WHERE", "JOIN ON", ... for messages
};

// Aggregate mode: expressions refer to group keys and aggregate results, which are the
// output of the Aggregate node (keys first). `from` resolves aggregate arguments.
struct Binder::AggregateState {
  const Scope* from = nullptr;
  std::vector<std::string> group_texts;  // GROUP BY expressions as written (ToString)
  std::vector<std::string> group_bound;  // and bound (BoundExpr::ToString)
  std::vector<DataType> group_types;
  std::vector<AggregateCall> calls;  // each distinct call once (AggregateCall::Equals)
  // GROUPING SETS: the sets (positions in the keys) and the output column holding a
  // row's set (after the keys); null for a plain GROUP BY.
  const std::vector<std::vector<size_t>>* grouping_sets = nullptr;
  size_t grouping_set_column = 0;
  // Per FROM column: whether it is functionally dependent on the keys (its table's
  // primary key is grouped; binder_group_dependency.cc). Empty: none is.
  std::vector<bool> dependent;
};

// Window mode: a window function call binds its arguments, PARTITION BY and ORDER BY in
// `input` (the select list's scope without window functions: FROM columns, or GROUP BY
// output) and stands for a column the WindowNode appends. Its position is known only once
// the aggregates are all bound, so the column starts as kWindowPlaceholderColumn + call
// index and AddWindowNode moves it past the WindowNode's input.
struct Binder::WindowState {
  const Scope* input = nullptr;
  const std::vector<std::unique_ptr<WindowSpec>>* named = nullptr;  // WINDOW w AS (...)
  std::vector<WindowCall> calls;
};

// An expression's type as PostgreSQL's messages name it ("unknown" for an untyped literal).
std::string TypeText(const BoundExpr& e);

// Coercion contexts, from strict to loose.
enum class CoercionKind { kImplicit, kAssignment, kExplicit };

// Casts `expr` to `type`: folds untyped literals and fixes untyped parameters; errors
// type_mismatch (or invalid_text_representation for a literal that does not parse).
Result<BoundExprPtr> Coerce(BoundExprPtr expr, DataType type, CoercionKind kind,
                            std::vector<std::optional<DataType>>* parameter_types,
                            const std::string& what);

// An explicit cast to varchar(n) / char(n) (`expr` already cast to text): the first n
// characters, as PostgreSQL's length coercion gives; to NUMERIC(p,s): ApplyNumericTypmod. `expr`
// unchanged for other type names and without a length. Columns keep no length modifier (CREATE
// TABLE accepts varchar(n) as TEXT), so this is the only place a declared length takes effect.
// Error: invalid_argument for a length below 1 or above 10485760, as PostgreSQL's.
Result<BoundExprPtr> ApplyLengthModifier(BoundExprPtr expr, const TypeName& type);
// CAST(literal AS INTERVAL <fields> [(precision)]), INTERVAL '1' DAY: the literal read with
// the field range (types/interval.h ParseIntervalWithTypmod); only for a constant. nullopt
// (and `operand` untouched) unless `resolved` is INTERVAL and `type` has modifiers.
std::optional<Result<BoundExprPtr>> BindIntervalTypmod(BoundExprPtr& operand, const TypeName& type,
                                                       DataType resolved);

// NUMERIC(p) / NUMERIC(p,s) of a type name as {precision, scale}; {0, 0} for NUMERIC
// without a typmod and for other types. Errors (22023, invalid_argument) as PostgreSQL's
// for a precision outside 1..38 (PostgreSQL: 1..1000, docs/limits.md) or a scale outside
// 0..precision.
Result<std::pair<int, int>> NumericTypmodOf(const TypeName& type);
// `expr` (NUMERIC) rounded and checked against NUMERIC(precision, scale): a call of
// numeric_typmod, folded for a constant. `expr` unchanged when precision is 0.
Result<BoundExprPtr> ApplyNumericTypmod(BoundExprPtr expr, int precision, int scale);

// A decimal literal (1.5, 1e3, an integer too long for BIGINT): NUMERIC as in
// PostgreSQL, DOUBLE PRECISION past NUMERIC's 38 digits.
BoundExprPtr NumericLiteral(const std::string& text);

// name(args) bound to the registry's function `lookup` (function_call.cc): its overload
// for the argument types (array forms when an argument is an array), each argument cast
// to the type the overload takes. Errors: undefined_function.
Result<BoundExprPtr> BindFunctionCall(const std::string& name, const std::string& lookup,
                                      std::vector<BoundExprPtr> args,
                                      std::vector<std::optional<DataType>>* parameter_types);
// a || b with an array on one side, as PostgreSQL's operators: array_cat for two arrays
// (an untyped literal is an array's text), else array_append / array_prepend.
Result<BoundExprPtr> BindArrayConcat(BoundExprPtr l, BoundExprPtr r,
                                     std::vector<std::optional<DataType>>* parameter_types);
// ARRAY[]::int[]: the empty array, typed by the cast (it has no type of its own); null
// when `cast` is not of that form.
BoundExprPtr EmptyArrayCast(const CastExpr& cast);

bool IsAggregateName(const std::string& name);
// Every aggregate's name (IsAggregateName's list).
const std::vector<std::string>& AggregateNames();
// "function f(types) does not exist" for a name no function has, with a "did you mean"
// among the scalar, aggregate and window functions (binder_names.cc).
Status UnknownFunction(std::string_view name, std::span<const std::optional<DataType>> types);
// `message` with a "did you mean" for function `name` among the window and aggregate
// functions (`over`: a call with OVER) or among every function.
std::string WithFunctionSuggestion(std::string message, std::string_view name, bool over);

// count / sum / avg / min / max / bool_and / every / bool_or of an argument of type
// `argument`: the function and its result type, as in GROUP BY and over a window alike.
// Errors: undefined_function (no such aggregate takes that type).
struct AggregateSignature {
  AggregateFunction function;
  DataType type;
};
Result<AggregateSignature> ResolvePlainAggregate(const std::string& name, DataType argument);
// Whether the AST holds an aggregate call outside subqueries.
bool ContainsAggregate(const Expr& expr);

// Per output column of `from` (a FROM clause's plan): whether GROUP BY `keys` (bound over
// it) determine it, by PostgreSQL's rule (binder_group_dependency.cc). Empty: none.
std::vector<bool> DependentColumns(const PlanNode& from, const std::vector<BoundExprPtr>& keys);

// Whether a plan reads a column of a query enclosing it (`depth` levels of subquery
// below the plan's own level).
bool PlanReferencesOuter(const PlanNode& plan, int depth);

}  // namespace tenantdb::sql
