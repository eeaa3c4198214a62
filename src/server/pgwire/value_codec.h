// Values on the wire: a result column's value as DataRow bytes, and a Bind parameter's
// bytes as a tenantdb Value, in PostgreSQL's text (format 0) and binary (format 1)
// representations.
//
// Text is what PostgreSQL prints and reads with its default settings (DateStyle ISO,
// TimeZone UTC, bytea_output hex, extra_float_digits 1). Binary follows PostgreSQL's
// send/recv functions: big-endian integers and IEEE floats, bool one byte, DATE Int32
// days and TIMESTAMP[TZ] Int64 microseconds since 2000-01-01, UUID 16 bytes, TEXT /
// BYTEA / JSON the raw bytes (binary jsonb: a version byte 1 first).
//
// Thread safety: pure functions. Cost: linear in the value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tenantdb/result.h"
#include "tenantdb/status.h"
#include "tenantdb/value.h"

namespace tenantdb::server::pgwire {

// Appends the value at (`row`, `column`) of `batch`, of column type `type`, to `out`
// without a length; the caller checked it is not NULL. Errors: those of the batch's
// accessors (a broken invariant: the column's declared type).
Status AppendValue(const RowBatch& batch, size_t row, size_t column, DataType type, bool binary,
                   std::string* out);

// The Value of a parameter whose bytes are `bytes` in `binary` or text format.
// `wire_oid`: the type the client declared in Parse (0: none), which says how binary
// bytes are laid out; `type`: the type the statement takes there. A value of a
// different integer or floating-point width is converted (checked for range).
// Errors: invalid_text_representation (22P02) for text that does not read as `type`,
// invalid_request (08P01) for binary bytes of the wrong length, numeric_out_of_range
// (22003), feature_not_supported for a binary parameter of a type with no binary form
// here.
Result<Value> DecodeParameter(std::string_view bytes, bool binary, uint32_t wire_oid,
                              DataType type);

// Text input of `type` as PostgreSQL reads it (used for text-format parameters).
Result<Value> ParseTextValue(std::string_view text, DataType type);

}  // namespace tenantdb::server::pgwire
