// Page compression codecs for Parquet: zstd and snappy (read and write) and gzip (read
// only, for files from other writers), over libzstd, libsnappy and zlib.
//
// Snappy is the raw block format (not the framing format), as Parquet specifies.
//
// Thread safety: pure functions; safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "storage/cold/parquet_metadata.h"

namespace tenantdb {

// Replaces *out with `input` compressed by `codec` (kUncompressed copies). `zstd_level`
// applies to kZstd only. kInvalidArgument for a codec tenantdb does not write.
Status CompressPage(parquet::Codec codec, int zstd_level, std::string_view input, std::string* out);

// Decompresses `input` into out[0..uncompressed_size): the page header says how large the
// result is, and anything else is kCorruption. kInvalidArgument names a codec tenantdb
// cannot read (LZO, BROTLI, LZ4).
Status DecompressPage(parquet::Codec codec, const uint8_t* input, size_t input_size, uint8_t* out,
                      size_t uncompressed_size);

// Checks, before any buffer is allocated, that `input` claims to decompress to
// `uncompressed_size` bytes where the codec records that (snappy, zstd), that the codec
// can expand `input_size` bytes that far (snappy ~22x, DEFLATE 1032x, zstd as its block
// headers allow), and that the size is below 1 GiB, so a damaged page header cannot
// make the reader allocate gigabytes for a few bytes of input. kCorruption otherwise.
Status CheckUncompressedSize(parquet::Codec codec, const uint8_t* input, size_t input_size,
                             size_t uncompressed_size);

}  // namespace tenantdb
