// Arrays as tenantdb carries them in pg_catalog columns for PostgreSQL tools: the text of
// PostgreSQL's array literal ('{a,"b c",NULL}'). Catalog columns that are arrays in
// PostgreSQL (pg_index.indkey, pg_roles' memberof, ...) hold this text, and the array
// operations tools use (= ANY, array_to_string, array_upper, a[i]) also accept it when the
// array operand is TEXT. Real array values are types/array_value.h's; the literal syntax
// itself is types/array_text.h's.
// Thread safety: pure functions.
#pragma once

#include "types/array_text.h"

namespace tenantdb::sql {

using tenantdb::FormatTextArray;
using tenantdb::ParseTextArray;
using tenantdb::TextArray;

}  // namespace tenantdb::sql
