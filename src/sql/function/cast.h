// Casts between tenantdb's SQL types, with PostgreSQL's semantics.
//
// CastValue is CAST(v AS t) / v::t: every type converts to and from TEXT (text output is
// PostgreSQL's, e.g. 2024-01-31 12:00:00+00; text input accepts what PostgreSQL's input
// functions accept for our types), numbers convert among themselves with range checks
// (NUMERIC to an integer rounds halves away from zero, a float to NUMERIC goes through its
// 15-digit text as PostgreSQL's float8_numeric does),
// INT converts to and from BOOLEAN, and DATE, TIMESTAMP and TIMESTAMPTZ convert among
// themselves (the session time zone is always UTC). CanCastImplicitly and CommonType are
// the rules the binder uses to insert casts the user did not write.
//
// Thread safety: pure functions; call from any thread.
#pragma once

#include <optional>
#include <string_view>

#include "common/status.h"
#include "types/column_vector.h"
#include "types/data_type.h"
#include "types/value.h"

namespace tenantdb::sql {

// CAST(v AS to). NULL casts to NULL of `to`; a value of type `to` is returned unchanged.
// Fails with kInvalidTextRepresentation for text that does not parse ("invalid input syntax
// for type integer: \"abc\""), kNumericOutOfRange for numbers that do not fit ("integer out of
// range"), kDatetimeOverflow for dates and timestamps out of range, and kTypeMismatch for
// pairs PostgreSQL has no cast for ("cannot cast type bytea to date").
// BOOLEAN casts to TEXT as 'true'/'false' (PostgreSQL's cast), not the 't'/'f' of output.
Result<Value> CastValue(const Value& v, DataType to);

// CastValue applied to every row of `in`, appended to `out`, an empty vector of type `to`.
// Widening casts (integer to a wider integer or to a float, REAL to DOUBLE, DATE to
// TIMESTAMP[TZ], TIMESTAMP <-> TIMESTAMPTZ) and integer narrowing run as typed loops; other
// pairs go row by row through CastValue. Fails with the first failing row's error.
Status CastVector(const ColumnVector& in, DataType to, ColumnVector* out);

// Whether the binder may insert CAST(x AS to) for an expression of type `from` without the
// user asking: the type itself, SMALLINT -> INT -> BIGINT -> NUMERIC -> REAL -> DOUBLE and
// DATE -> TIMESTAMP -> TIMESTAMPTZ, each transitively. TEXT never casts implicitly.
bool CanCastImplicitly(DataType from, DataType to);

// Whether a value of type `from` may be stored in a column of type `to` without the user
// writing a cast (INSERT, UPDATE, COPY FROM a typed file): implicit casts, plus numbers
// to any number, date/times among themselves, anything to TEXT, and JSON <-> TEXT.
bool AssignmentCastAllowed(DataType from, DataType to);

// The type both sides of a comparison, or all branches of UNION / CASE / COALESCE, resolve
// to: the wider numeric type, the wider temporal type, TEXT for TEXT with TEXT or JSON, the
// type itself for equal types; nullopt when the two do not mix (e.g. TEXT and INT).
std::optional<DataType> CommonType(DataType a, DataType b);

// The name PostgreSQL prints for a type in messages: "integer", "double precision",
// "timestamp with time zone", ...
std::string_view PgTypeName(DataType type);

}  // namespace tenantdb::sql
