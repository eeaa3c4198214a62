// ColumnChunkReader: decodes one column chunk of one row group into a ColumnVector
// (internal to ParquetReader).
//
// Reads data pages v1 and v2 with PLAIN, PLAIN_DICTIONARY / RLE_DICTIONARY, RLE
// (booleans), DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and
// BYTE_STREAM_SPLIT values, RLE definition levels, and UNCOMPRESSED, SNAPPY, ZSTD and
// GZIP pages. Each page is decoded in bulk: levels into a byte array, values into a typed
// scratch array (or views of the page for byte arrays), then scattered into the output.
// Malformed input of any kind is kCorruption; nothing reads out of bounds.
//
// Thread safety: not synchronized; keep one per thread. Scratch buffers are reused
// between calls, so a reader is cheap to call for every row group.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "storage/cold/parquet_metadata.h"
#include "storage/cold/parquet_types.h"
#include "types/column_vector.h"

namespace tenantdb {

class ColumnChunkReader {
 public:
  // Decodes the chunk held in data[0..size) (dictionary page first, if any) for
  // `column`, compressed with `codec`, which must hold exactly `num_rows` values.
  // Appends them to *out, whose type is column.type or a type it can be read as
  // (CanReadAs).
  Status Read(const ParquetColumnInfo& column, parquet::Codec codec, const uint8_t* data,
              size_t size, int64_t num_rows, ColumnVector* out);

  uint64_t pages_read() const { return pages_read_; }

 private:
  Status ReadDictionary(const parquet::PageHeader& header, const uint8_t* body);
  Status ReadDataPage(const parquet::PageHeader& header, const uint8_t* body, size_t max_values,
                      size_t* values_read, ColumnVector* out);
  Status DecodeValues(parquet::Encoding encoding, const uint8_t* data, size_t size, size_t n);
  Status DecodeIndices(const uint8_t* data, size_t size, size_t n);
  Status EmitArray(size_t n, const uint8_t* defs, ColumnVector* out);
  Status EmitNumeric(size_t n, const uint8_t* defs, ColumnVector* out);
  Status Emit(size_t n, const uint8_t* defs, ColumnVector* out);
  template <typename Phys>
  Status DecodeFixed(parquet::Encoding encoding, const uint8_t* data, size_t size, size_t n,
                     std::vector<Phys>* values, const std::vector<Phys>& dict);
  Status DecodeBytes(parquet::Encoding encoding, const uint8_t* data, size_t size, size_t n);
  const uint8_t* Decompress(const uint8_t* data, size_t size, size_t uncompressed,
                            std::string* buffer, Status* status);

  const ParquetColumnInfo* column_ = nullptr;
  parquet::Codec codec_ = parquet::Codec::kUncompressed;
  uint64_t pages_read_ = 0;

  // Dictionary of the current chunk, in the physical representation.
  bool has_dict_ = false;
  size_t dict_size_ = 0;
  std::vector<int32_t> dict_i32_;
  std::vector<int64_t> dict_i64_;
  std::vector<float> dict_f32_;
  std::vector<double> dict_f64_;
  std::vector<uint8_t> dict_bool_;
  std::vector<std::string_view> dict_bytes_;  // views into dict_buffer_
  std::string dict_buffer_;

  // Per-page scratch.
  std::string page_buffer_;
  std::vector<uint8_t> defs_;
  std::vector<uint32_t> indices_;
  std::vector<int32_t> i32_;
  std::vector<int64_t> i64_;
  std::vector<float> f32_;
  std::vector<double> f64_;
  std::vector<uint8_t> bool_;
  std::vector<std::string_view> bytes_;
  std::vector<int64_t> delta_;
  std::string arena_;
};

}  // namespace tenantdb
