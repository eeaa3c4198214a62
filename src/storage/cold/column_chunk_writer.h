// ColumnChunkWriter: encodes the values of one column for one row group into Parquet
// pages (internal to ParquetWriter).
//
// Values arrive in slices of ColumnVectors; they are encoded into the current data page
// (RLE definition levels, then PLAIN values or RLE_DICTIONARY indices; v1 pages by
// default, v2 pages with RLE booleans on request) which is
// compressed and set aside when it reaches the page size. Byte columns (TEXT, BYTEA,
// JSON) start dictionary-encoded; once the dictionary passes its byte limit the current
// page is closed and the rest of the chunk is written PLAIN (pages already written keep
// using the dictionary, as the format allows). Finish() emits the dictionary page, then
// the data pages, and the chunk's metadata with statistics (null_count, min/max in the
// type's order: signed integers, IEEE floats without NaN, unsigned bytes).
//
// Thread safety: not synchronized; ParquetWriter owns one per column.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "common/status.h"
#include "storage/cold/parquet_metadata.h"
#include "types/column_vector.h"
#include "types/field.h"

namespace tenantdb {

struct ColumnChunkWriterOptions {
  parquet::Codec codec = parquet::Codec::kZstd;
  int zstd_level = 3;
  bool dictionary = true;
  size_t dictionary_max_bytes = 1 << 20;
  size_t page_bytes = 1 << 20;
  size_t page_rows = 8192;
  bool statistics = true;
  bool page_index = true;
  size_t statistics_max_bytes = 64;
  bool data_page_v2 = false;
};

class ColumnChunkWriter {
 public:
  ColumnChunkWriter(const Field& field, const ColumnChunkWriterOptions& options);

  // Encodes rows [offset, offset + count) of `column`, whose type is the field's. A NULL
  // in a NOT NULL field is the caller's error to have rejected before.
  Status Append(const ColumnVector& column, size_t offset, size_t count);

  // Ends the chunk: appends its pages to *out, which will be written at `file_offset`,
  // and fills *meta and, when page_index is on, *offset_index (always) and *column_index
  // (when statistics are on; nullopt otherwise). The writer is then ready for the next
  // row group's chunk.
  Status Finish(int64_t file_offset, std::string* out, parquet::ColumnChunk* meta,
                std::optional<parquet::OffsetIndex>* offset_index = nullptr,
                std::optional<parquet::ColumnIndex>* column_index = nullptr);

  // Whether the current chunk is still dictionary-encoded (for tests and stats).
  bool dictionary_active() const { return dict_mode_; }

 private:
  template <typename T, typename Phys>
  void AppendFixed(const ColumnVector& column, size_t offset, size_t count);
  void AppendBoolean(const ColumnVector& column, size_t offset, size_t count);
  void AppendBytes(const ColumnVector& column, size_t offset, size_t count);
  void AppendUuid(const ColumnVector& column, size_t offset, size_t count);
  void AppendInterval(const ColumnVector& column, size_t offset, size_t count);
  // NUMERIC as DECIMAL(p,s) (each value at the column's scale) or, unconstrained, as text.
  Status AppendScalars(const ColumnVector& column, size_t offset, size_t n);
  void AppendArrays(const ColumnVector& column, size_t offset, size_t count);
  Status AppendNumeric(const ColumnVector& column, size_t offset, size_t count);
  size_t PageBytes() const;
  Status FlushPage();
  Status WritePage(parquet::PageHeader header, std::string_view body, std::string* out);
  // Statistics of a run of values: the current page, or the pages of the chunk so far.
  // Only the min/max members of the field's kind are used (integers, doubles, bytes).
  struct ValueStats {
    int64_t null_count = 0;
    int64_t nan_count = 0;
    bool has_min_max = false;
    int64_t min_i = 0, max_i = 0;
    double min_d = 0, max_d = 0;
    std::string min_s, max_s;

    void AddInt(int64_t x);
    void AddDouble(double d);
    void AddBytes(std::string_view v);
    void Merge(const ValueStats& other);
  };
  // A data page written into pages_, for the page index.
  struct PageRecord {
    size_t offset = 0;  // in pages_
    int32_t size = 0;   // header included
    int64_t first_row = 0;
    ValueStats stats;
  };
  parquet::Statistics BuildStatistics(const ValueStats& stats) const;
  parquet::ColumnIndex BuildColumnIndex() const;
  void ResetChunk();

  Field field_;
  ColumnChunkWriterOptions options_;
  parquet::Type physical_;

  // Current page.
  std::vector<uint8_t> defs_;      // definition levels (nullable fields only)
  size_t page_values_ = 0;         // values including NULLs
  std::string plain_;              // PLAIN-encoded values
  std::vector<uint8_t> bools_;     // BOOLEAN values, bit-packed at page end
  std::vector<uint32_t> indices_;  // dictionary indices

  // Current chunk.
  bool dict_mode_ = false;
  bool dict_pages_ = false;  // some page used the dictionary
  bool plain_pages_ = false;
  bool rle_pages_ = false;  // v2 boolean pages
  absl::flat_hash_map<std::string, uint32_t> dict_index_;
  std::string dict_plain_;
  uint32_t dict_count_ = 0;
  std::string pages_;  // finished data pages, headers included
  int64_t uncompressed_bytes_ = 0;
  int64_t num_values_ = 0;

  // Statistics of the current page and of the chunk's finished pages; the pages.
  ValueStats page_stats_;
  ValueStats chunk_stats_;
  std::vector<PageRecord> page_records_;

  std::string levels_;   // encoded definition levels of the page being closed
  std::string scratch_;  // encoded values of the page being closed
  std::string page_;     // v1 page body (levels + values)
  std::string compressed_;
};

}  // namespace tenantdb
