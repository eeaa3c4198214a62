// Decoders for Parquet's delta and split encodings, which other writers (DuckDB with
// PARQUET_VERSION V2, Spark, Arrow) use and tenantdb reads but does not write:
//   DELTA_BINARY_PACKED     integers as bit-packed deltas from a running minimum
//   DELTA_LENGTH_BYTE_ARRAY lengths (DELTA_BINARY_PACKED), then all bytes back to back
//   DELTA_BYTE_ARRAY        shared-prefix lengths and suffixes (the above two)
//   BYTE_STREAM_SPLIT       byte k of every value in stream k
// All decoders check bounds and return kCorruption on malformed input.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace tenantdb {

// Decodes one DELTA_BINARY_PACKED stream at the start of data[0..size) into *out
// (replacing it); kCorruption if it holds more than `max_values` values. *consumed is the
// length of the stream. Arithmetic wraps modulo 2^64, as the format requires; INT32
// callers truncate.
Status DecodeDeltaBinaryPacked(const uint8_t* data, size_t size, size_t max_values,
                               std::vector<int64_t>* out, size_t* consumed);

// Decodes DELTA_LENGTH_BYTE_ARRAY into views of `data`; at most `max_values` values.
Status DecodeDeltaLengthByteArray(const uint8_t* data, size_t size, size_t max_values,
                                  std::vector<std::string_view>* out);

// Decodes DELTA_BYTE_ARRAY; the values are rebuilt in *arena and *out views it.
Status DecodeDeltaByteArray(const uint8_t* data, size_t size, size_t max_values, std::string* arena,
                            std::vector<std::string_view>* out);

// Reassembles `n` values of `width` bytes from BYTE_STREAM_SPLIT data into out (n*width
// bytes).
Status DecodeByteStreamSplit(const uint8_t* data, size_t size, size_t n, size_t width,
                             uint8_t* out);

}  // namespace tenantdb
