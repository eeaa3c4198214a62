// The array functions and operators (ARRAY[...], a[i], array_length, array_append, ||,
// @>, <@, &&, x op ANY/ALL (array), array_to_string, string_to_array, ...) over the array
// types of types/array_value.h, with PostgreSQL 15's NULL rules.
//
// Some names also have a TEXT form for the pg_catalog columns that hold an array's
// literal as text (array_to_string, array_position, array_upper, a[i] and = ANY over
// text, function/text_array.h); JSON has its own @> and <@. The registry keeps the
// array forms apart: FindScalarFunctionFor picks the array form when an argument is an
// array, the other form otherwise.
//
// The parser spells the forms that have no SQL function name as calls of:
//   "array"            ARRAY[e1, e2, ...]: the elements' common type; NULLs kept
//   "array_element"    a[i], 1-based, NULL out of range
//   "op any" / "op all" (op one of = <> < <= > >=): x op ANY (a) / x op ALL (a)
//
// Thread safety: pure functions, as scalar_functions.h.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "sql/function/scalar_functions.h"

namespace tenantdb::sql {

// The function `lower_name` for arguments of `arg_types` (nullopt = unknown): its array
// form if one of them is an array type and the name has one, else FindScalarFunction's.
const ScalarFunction* FindScalarFunctionFor(std::string_view lower_name,
                                            std::span<const std::optional<DataType>> arg_types);

// Adds the array forms to `out` (scalar_functions.cc's registry).
void AddArrayFunctions(std::vector<ScalarFunction>* out);

}  // namespace tenantdb::sql
