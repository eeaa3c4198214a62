// Arrays as tenantdb carries them for PostgreSQL tools: the text of PostgreSQL's array
// literal ('{a,"b c",NULL}'), one dimension. tenantdb has no array type; catalog columns
// that are arrays in PostgreSQL (pg_index.indkey, pg_roles' memberof, ...) hold this
// text, and the few array operations tools use (= ANY, ARRAY(SELECT ...),
// array_to_string, array_upper, a[i]) read and write it. PostgreSQL's array output
// format is kept, so a client reading the text sees what PostgreSQL would send.
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace tenantdb::sql {

using TextArray = std::vector<std::optional<std::string>>;  // nullopt: a NULL element

// Parses a one-dimensional array literal. Errors: invalid_text_representation
// ("malformed array literal").
Result<TextArray> ParseTextArray(std::string_view literal);
// PostgreSQL's output: elements quoted when empty, NULL, or holding ", \, {, }, comma or
// white space.
std::string FormatTextArray(const TextArray& elements);

}  // namespace tenantdb::sql
