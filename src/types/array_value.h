// Array values: the one byte encoding of a one-dimensional array of a scalar element type
// (DataType ArrayOf(elem), include/tenantdb/value.h), and PostgreSQL's ordering and text
// output over it.
//
// An array is carried like TEXT: one byte string per value (in a Value, a ColumnVector's
// byte buffer, a hot row, a hash key), so every layer that moves bytes moves arrays.
// The encoding is canonical for its element type, so equal encodings are identical
// arrays. Layout (little-endian; persisted in hot rows: append only):
//   u32 element count, then per element one tag byte, 0 = NULL, 1 = a value, followed by
//   the value: BOOLEAN 1 byte, SMALLINT 2, INT/DATE 4, BIGINT/TIMESTAMP[TZ] 8, REAL 4 and
//   DOUBLE 8 (IEEE bits), UUID 16, INTERVAL kIntervalBytes, NUMERIC kNumericBytes;
//   TEXT/BYTEA/JSON a u32 length then the bytes.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "types/value.h"

namespace tenantdb {

// Encodes `elements`, each of type `element` or NULL. `element` must be a scalar type.
std::string EncodeArray(DataType element, std::span<const Value> elements);

// Building an encoding one element at a time (array_agg): AppendArrayElement appends one
// element (NULL or of the array's element type) to `body`; EncodeArrayBody then makes
// the encoding of the `count` elements appended.
void AppendArrayElement(const Value& element, std::string* body);
std::string EncodeArrayBody(uint32_t count, std::string_view body);

// The elements of an encoded array of `element`s. Errors: kCorruption when `encoded` is
// not an encoding of such an array.
Result<std::vector<Value>> DecodeArray(DataType element, std::string_view encoded);

// Number of elements (0 for an empty or undecodable array).
uint32_t ArrayCardinality(std::string_view encoded);

// PostgreSQL's btree order of two arrays of `element`s: element by element (NULL after
// every value, NULL equal to NULL; REAL/DOUBLE NaN after every number), then the shorter
// array first. 0 means equal, which is also SQL `=` on arrays.
int CompareArrays(DataType element, std::string_view a, std::string_view b);

// <0, 0, >0 for two non-NULL values of one type, in the order ORDER BY uses (NaN after
// every number, bytes in the C collation, arrays by CompareArrays).
int CompareScalars(const Value& a, const Value& b);

// Bytes equal for arrays that are SQL-equal (for hash keys: GROUP BY, DISTINCT, hash
// joins): `encoded` with NUMERIC elements normalized (1.0 = 1.00), -0.0 as 0.0 and one NaN.
std::string ArrayKeyBytes(DataType element, std::string_view encoded);

// PostgreSQL's text output: {1,2,NULL}, {a,"b c"}, {} for an empty array.
std::string FormatArray(DataType element, std::string_view encoded);

// Reads back what FormatArray wrote (the text of an array in a Parquet file tenantdb
// wrote): the encoding of an array of `element`s. Only tenantdb's own output form of each
// element type is accepted, not all of PostgreSQL's input syntax (SQL casts go through
// sql/function/cast.h). Errors: kCorruption for text that is not such output.
Result<std::string> ParseFormattedArray(DataType element, std::string_view text);

}  // namespace tenantdb
