// A SQL value as JSON text, as to_json / to_jsonb write it (json_functions.cc): numbers as
// numbers (non-finite ones as strings), booleans, JSON as itself (compacted), NULL as
// null, anything else as the JSON string of its text output. For json_agg.
// Thread safety: a pure function.
#pragma once

#include <string>

#include "common/status.h"
#include "types/value.h"

namespace tenantdb::sql {

// Errors: invalid_text_representation for a JSON value whose text does not parse.
Result<std::string> JsonText(const Value& v);

}  // namespace tenantdb::sql
