// tenantdb/array.h: array values (DataType ArrayOf(elem), tenantdb/value.h) through the
// public API: read an array Value's elements, or build one (e.g. a parameter).
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tenantdb/status.h"
#include "tenantdb/value.h"

namespace tenantdb {

// The elements of `array`, in order; a NULL element is Value::Null(ElementType(type)).
// Errors: kInvalidArgument if `array` is not an array or is NULL; kCorruption if its bytes
// are not an array's encoding.
Result<std::vector<Value>> ArrayElements(const Value& array);

// An array of `element`s (a scalar type) holding `elements`, each of that type or NULL.
Value MakeArrayValue(DataType element, std::span<const Value> elements);

// PostgreSQL's array text form ('{1,2,NULL}', '{a,"b c"}') split into its elements'
// texts, nullopt for a NULL element (for parsing each with the element type's input).
// Errors: kInvalidTextRepresentation "malformed array literal"; kFeatureNotSupported for
// a multidimensional literal.
Result<std::vector<std::optional<std::string>>> SplitArrayText(std::string_view text);

}  // namespace tenantdb
