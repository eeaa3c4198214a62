// PostgreSQL's array text form, one dimension: '{1,2,NULL}', '{a,"b c","NULL"}'.
//
// ParseTextArray splits a literal into element texts (the caller converts each to the
// element type); FormatTextArray quotes element texts back into a literal. Used by casts
// from and to text, Value::ToString of arrays, and the pg_catalog columns that hold an
// array's literal as TEXT (sql/function/text_array.h).
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace tenantdb {

using TextArray = std::vector<std::optional<std::string>>;  // nullopt: a NULL element

// Parses a one-dimensional array literal; an unquoted NULL (any case) is a NULL element,
// backslash escapes the next character. Errors: 22P02 "malformed array literal";
// 0A000 for a multi-dimensional literal ('{{1,2},{3,4}}').
Result<TextArray> ParseTextArray(std::string_view literal);
// PostgreSQL's output: elements quoted when empty, NULL (any case), or holding ", \, {, },
// comma or white space; " and \ escaped with a backslash.
std::string FormatTextArray(const TextArray& elements);

}  // namespace tenantdb
