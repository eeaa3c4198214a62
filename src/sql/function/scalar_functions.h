// The registry of built-in scalar functions (lower(), round(), date_trunc(), uuid_v7(), ...)
// the binder resolves calls against and the executor evaluates.
//
// Calling protocol:
//   1. The binder looks the name up (lower-case) with FindScalarFunction.
//   2. It calls Bind with the argument types. An argument whose type is not known yet (a NULL
//      literal, or an untyped string literal the binder wants typed like PostgreSQL's
//      `unknown`) is passed as std::nullopt. Bind fills `cast_to` with one type per argument:
//      the caller casts argument i to cast_to[i] (implicitly for typed arguments; a NULL
//      literal becomes NULL of that type; a string literal goes through CastValue from TEXT).
//      Bind returns the result type, or kUndefinedFunction "function lower(integer) does not
//      exist" when no overload accepts the arguments (the wrong number of them included).
//   3. Per row, the executor calls eval with the cast arguments. If `strict` and any
//      argument is NULL, it must produce NULL of the result type without calling eval.
//   4. `is_volatile` functions (now(), random(), snowflake_id(), uuid_v7(), ...) are never
//      constant-folded; the rest are deterministic given their arguments and the context.
// CURRENT_USER, COALESCE, NULLIF and CASE are the binder's, not functions here.
//
// Thread safety: the registry is built once, immutably, on first use; functions may be
// called from any thread. The random and id generators are per-thread or atomic.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "tables/request_context.h"
#include "tenantdb/clock.h"
#include "types/column_vector.h"
#include "types/data_type.h"
#include "types/value.h"

namespace tenantdb::sql {

// What a statement fixes for all the function calls it makes.
struct FunctionContext {
  // The statement's timestamp (microseconds since the Unix epoch, UTC): now(),
  // current_timestamp and current_date return it for every row, like PostgreSQL's
  // transaction timestamp.
  int64_t now_micros = 0;
  std::string_view current_user;
  // What volatile functions read per call (snowflake_id(), uuid_v7()): the database's
  // clock (Database::Options::clock). Never null.
  const Clock* clock = &Clock::System();
  // Who asks and in which session, for the catalog functions (pg_get_userbyid,
  // has_table_privilege, current_schema(), ...); a copy of the statement's request.
  RequestContext request;
};

// One argument list a function accepts and the type it then returns.
struct FunctionSignature {
  std::vector<DataType> params;
  DataType result;
};

struct ScalarFunction;

// Evaluates one call. `args` have the types Bind chose (and, for a strict function, none is
// NULL). Errors are the user's (e.g. 22012 "division by zero").
using ScalarEvalFn = Result<Value> (*)(std::span<const Value> args, const FunctionContext& ctx);

// Bind for functions whose argument lists a signature table cannot describe (variadic
// concat, greatest, ...): same contract as ScalarFunction::Bind.
using ScalarBindFn = Result<DataType> (*)(const ScalarFunction& function,
                                          std::span<const std::optional<DataType>> arg_types,
                                          std::vector<DataType>* cast_to);

struct ScalarFunction {
  std::string_view name;                      // lower-case
  std::vector<FunctionSignature> signatures;  // overloads, the preferred one first
  ScalarBindFn custom_bind = nullptr;         // replaces `signatures` when set
  ScalarEvalFn eval = nullptr;
  bool strict = true;        // any NULL argument gives NULL without calling eval
  bool is_volatile = false;  // never constant-folded

  // Chooses the overload for `arg_types` (nullopt = unknown type) and fills `cast_to` with
  // the type each argument must be cast to; returns the result type. The overload with the
  // most arguments matching exactly wins, the earlier one on a tie; the others must be
  // reachable by implicit casts (CanCastImplicitly); unknown arguments match anything.
  Result<DataType> Bind(std::span<const std::optional<DataType>> arg_types,
                        std::vector<DataType>* cast_to) const;
};

// The function named `lower_name`, or nullptr if there is none.
const ScalarFunction* FindScalarFunction(std::string_view lower_name);
// Every function's name (for "did you mean" hints; one allocation per name).
std::vector<std::string> ScalarFunctionNames();

// Resolves, casts and evaluates `name(args...)` in one go, honouring `strict`; the argument
// Values' types (NULLs included) are taken as known. For constant folding and tests.
Result<Value> EvalScalarFunction(std::string_view name, std::span<const Value> args,
                                 const FunctionContext& ctx);

// Evaluates `function` for each of `rows` rows of `args` (columns already cast to the types
// Bind chose, each `rows` long) and appends the results to `out`, an empty vector of the
// result type. Honours `strict`; a function without arguments is called once per row.
// Fails with the first failing row's error.
Status EvalScalarFunctionVector(const ScalarFunction& function,
                                std::span<const ColumnVector* const> args, size_t rows,
                                const FunctionContext& ctx, ColumnVector* out);

// "function lower(integer) does not exist", with kUndefinedFunction.
Status UndefinedFunctionError(std::string_view name,
                              std::span<const std::optional<DataType>> arg_types);

}  // namespace tenantdb::sql
