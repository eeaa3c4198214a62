// PostgreSQL's binary COPY format (the "COPY ... (FORMAT binary)" file layout): the
// 11-byte signature "PGCOPY\n\377\r\n\0", an int32 flags field (bit 16: OIDs, refused)
// and an int32 header-extension length; then per row an int16 field count and per field
// an int32 length (-1 for NULL) and the value in the type's binary send format; an int16
// -1 ends the data. All integers big-endian.
//
// Values use PostgreSQL's send/receive formats: bool 1 byte; int2/int4/int8 and
// float4/float8 big-endian; text, json and bytea their bytes (jsonb's leading version
// byte 1 is accepted); date int4 days and timestamp[tz] int8 microseconds since
// 2000-01-01; uuid 16 bytes; interval int8 microseconds, int4 days, int4 months.
//
// The decoding side is CopyDecoder's (copy_decoder.h): it cuts tuples into fields and
// the caller reads each field with ParseBinaryField.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "tenantdb/pg_binary.h"
#include "types/batch.h"
#include "types/value.h"

namespace tenantdb::sql {

inline constexpr std::string_view kBinaryCopySignature{"PGCOPY\n\377\r\n\0", 11};

// The signature, zero flags and an empty header extension.
void AppendBinaryCopyHeader(std::string* out);
// One row of `batch` as a tuple.
void AppendBinaryCopyTuple(const Batch& batch, size_t row, std::string* out);
// The end marker (int16 -1).
void AppendBinaryCopyTrailer(std::string* out);

// A field's bytes (not NULL) as a value of `type`: ValueFromPgBinary (tenantdb/pg_binary.h).
inline Result<Value> ParseBinaryField(std::string_view bytes, DataType type) {
  return ValueFromPgBinary(bytes, type);
}

}  // namespace tenantdb::sql
