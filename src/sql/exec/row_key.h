// Row keys and row comparison for the hashing and sorting operators.
//
// AppendKeyValue writes one column value of one row as bytes that are equal exactly when
// the SQL values are equal for grouping (NULLs group together; -0.0 and 0.0 are one
// key; every NaN is one key), so hash aggregation, DISTINCT, UNION and hash joins can key
// a flat_hash_map by the concatenation. CompareInColumn orders two rows of one column
// with the order ORDER BY uses (CompareValues), without materializing Values.
//
// Thread safety: pure functions.
#pragma once

#include <string>

#include "types/column_compare.h"
#include "types/column_vector.h"

namespace tenantdb::sql {

void AppendKeyValue(const ColumnVector& column, size_t row, std::string* out);
// CompareInColumn / CompareAcross (types/column_compare.h) order rows for ORDER BY.
using tenantdb::CompareAcross;
using tenantdb::CompareInColumn;

}  // namespace tenantdb::sql
