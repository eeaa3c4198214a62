// ScalarOp: the operators the function layer binds and evaluates (arithmetic,
// comparison, logic, concatenation, pattern matching). The function layer's own enum, so
// that kernels, the binder's bound expressions, the optimizer and the executor do not
// depend on the parser's AST; the binder maps the AST's BinaryOp to it, once
// (planner/scalar_op_mapping.h).
//
// Thread safety: values and a pure function.
#pragma once

#include <cstdint>
#include <string_view>

namespace tenantdb::sql {

enum class ScalarOp : uint8_t {
  kAdd,
  kSubtract,
  kMultiply,
  kDivide,
  kModulo,
  kPower,
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kAnd,
  kOr,
  kConcat,
  kLike,
  kNotLike,
  kILike,
  kNotILike,
  kIsDistinctFrom,
  kIsNotDistinctFrom,
};

// The SQL spelling, for EXPLAIN and error messages: "+", "<>", "AND", "NOT ILIKE",
// "IS DISTINCT FROM", ...
std::string_view ScalarOpName(ScalarOp op);

}  // namespace tenantdb::sql
