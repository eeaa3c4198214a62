// Column comparison: orders two rows of ColumnVectors the way ORDER BY does, without
// materializing Values. Integers and timestamps by value; REAL/DOUBLE by value with NaN
// after everything and equal to itself (as PostgreSQL); TEXT, BYTEA and JSON bytewise
// (the C collation); UUID by its bytes; BOOLEAN false < true; arrays element by element
// (types/array_value.h).
//
// Thread safety: pure functions. Both rows must be non-NULL (callers order NULLs by
// NULLS FIRST / LAST themselves); both vectors must have the same type.
#pragma once

#include <cstddef>

#include "types/column_vector.h"

namespace tenantdb {

// <0, 0, >0 as row `row_a` of `a` sorts before, with or after row `row_b` of `b`.
int CompareAcross(const ColumnVector& a, size_t row_a, const ColumnVector& b, size_t row_b);
// The same for two rows of one vector.
int CompareInColumn(const ColumnVector& column, size_t a, size_t b);

}  // namespace tenantdb
