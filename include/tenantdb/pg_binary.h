// tenantdb/pg_binary.h: PostgreSQL's binary send/receive format of a single value (public
// API), shared by binary COPY and the wire protocol's binary parameters.
//
//   bool 1 byte (non-zero is true); int2 / int4 / int8 and float4 / float8 big-endian;
//   text, json and bytea their bytes (jsonb's leading version byte 1 is accepted);
//   date int4 days and timestamp[tz] int8 microseconds since 2000-01-01; uuid 16 bytes;
//   interval int8 microseconds, int4 days, int4 months; numeric int16 ndigits, int16
//   weight, uint16 sign, int16 dscale, then ndigits base-10000 int16 digits; arrays
//   array_send's header (dimensions, NULL flag, element OID, length, lower bound 1), then
//   each element as int4 length (-1 NULL) and its bytes.
//
// Thread safety: pure function.
#pragma once

#include <string>
#include <string_view>

#include "tenantdb/status.h"
#include "tenantdb/value.h"

namespace tenantdb {

// `bytes` (one value, not NULL) as a value of `type`. Errors: invalid_text_representation
// ("incorrect binary data format ...") for a length the type does not have or JSON that
// does not parse, character_not_in_repertoire for TEXT that is not UTF-8,
// datetime_field_overflow for a date or timestamp outside tenantdb's range.
Result<Value> ValueFromPgBinary(std::string_view bytes, DataType type);

// An array value (non-NULL) in PostgreSQL's binary format (array_send: one dimension,
// lower bound 1, each element in its type's format), for binary result columns.
std::string ArrayToPgBinary(const Value& array);
// NUMERIC in PostgreSQL's binary format (numeric_send), for binary result columns.
std::string NumericToPgBinary(const Numeric& v);
// NUMERIC from PostgreSQL's text input ("1.50", " -2e3 "), as text parameters carry it.
// Errors: invalid_text_representation, numeric_out_of_range past 38 digits.
Result<Numeric> NumericFromText(std::string_view text);

}  // namespace tenantdb
