// ParquetWriter: writes tenantdb Batches of one Schema to a Parquet file that any Parquet
// reader (DuckDB, Arrow, Spark) can read. See parquet_types.h for how each DataType is
// stored; NOT NULL columns are REQUIRED, the others OPTIONAL with definition levels.
//
// Usage:
//   TDB_ASSIGN_OR_RETURN(auto writer, ParquetWriter::Open(tmp_path, schema, options));
//   TDB_RETURN_IF_ERROR(writer->Write(batch));     // any number of times
//   TDB_RETURN_IF_ERROR(writer->Close());          // footer, fsync, close
//   // caller renames tmp_path to its final name and fsyncs the directory
//
// Rows are buffered only as encoded, compressed pages of the current row group; a row
// group is written out every `row_group_rows` rows and at Close(). If the writer is
// destroyed without Close() the file is left incomplete (no footer): callers write to a
// temporary name so such a file is never mistaken for data.
//
// Thread safety: not synchronized; one thread writes a file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "storage/cold/column_chunk_writer.h"
#include "storage/cold/file_io.h"
#include "storage/cold/parquet_metadata.h"
#include "types/batch.h"
#include "types/schema.h"

namespace tenantdb {

enum class ParquetCompression : uint8_t {
  kNone,
  kSnappy,
  kZstd,
};

struct ParquetWriterOptions {
  // Codec for every page. zstd compresses best at a speed close to snappy's; snappy
  // decompresses fastest. Default: kZstd.
  ParquetCompression compression = ParquetCompression::kZstd;

  // zstd level (1..19). Higher is smaller and slower to write, no slower to read.
  // Default: 3 (zstd's own default).
  int zstd_level = 3;

  // Rows per row group. A row group is the unit of min/max pruning and of reading:
  // smaller groups prune more finely but add footer and per-chunk overhead.
  // Default: 128 Ki rows.
  size_t row_group_rows = 128 * 1024;

  // Target size of a data page before compression. Default: 1 MiB.
  size_t page_bytes = 1 << 20;

  // Most values in one data page. Pages are the unit a point read decodes (through the
  // page index), so smaller pages make flushed primary-key lookups cheaper and scans
  // a little slower. Default: 8192.
  size_t page_rows = 8192;

  // Write the page index (an OffsetIndex per column chunk, and a ColumnIndex with each
  // page's min/max when statistics are on) between the row groups and the footer, as
  // parquet-mr, Arrow and DuckDB read it. Default: true.
  bool write_page_index = true;

  // Dictionary-encode TEXT, BYTEA and JSON columns (RLE_DICTIONARY). Repetitive text
  // (status values, thread ids, roles) shrinks several-fold. Default: true.
  bool dictionary_encoding = true;

  // Once a column chunk's dictionary holds more than this many bytes, the chunk's
  // remaining pages are written PLAIN: mostly-unique text gains nothing from a
  // dictionary. Default: 1 MiB.
  size_t dictionary_max_bytes = 1 << 20;

  // Write column-chunk statistics (null_count, min, max) that readers use to skip row
  // groups. Default: true.
  bool write_statistics = true;

  // Longest TEXT/BYTEA/JSON min or max kept in statistics; longer ones are replaced by a
  // shorter bound (a prefix for the min, an incremented prefix for the max) so long
  // values do not bloat the footer. Default: 64 bytes.
  size_t statistics_max_bytes = 64;

  // Write DATA_PAGE_V2 pages (levels outside the compressed section, RLE booleans)
  // instead of v1 pages. v1 is what DuckDB, Spark and Arrow write by default and what
  // every reader accepts; v2 exists for tests and for readers that prefer it.
  // Default: false.
  bool data_page_v2 = false;

  // Key/value pairs stored in the file footer (e.g. tenantdb's schema version).
  std::vector<std::pair<std::string, std::string>> key_value_metadata;

  // Recorded as the footer's created_by. Default: "tenantdb version 0.1.0".
  std::string created_by = "tenantdb version 0.1.0";

  // fsync the file in Close() before closing it. Turn off only for scratch files.
  // Default: true.
  bool sync_on_close = true;
};

class ParquetWriter {
 public:
  // Creates (or truncates) `path`. kInvalidArgument for an empty schema or bad options;
  // kIoError if the file cannot be created.
  static Result<std::unique_ptr<ParquetWriter>> Open(const std::string& path,
                                                     std::shared_ptr<const Schema> schema,
                                                     ParquetWriterOptions options = {});
  ~ParquetWriter();
  ParquetWriter(const ParquetWriter&) = delete;
  ParquetWriter& operator=(const ParquetWriter&) = delete;

  // Appends the rows of `batch`, whose columns must have the writer schema's types in
  // order (names are not checked). kInvalidArgument (and nothing written) for a column
  // count or type mismatch or a NULL in a NOT NULL column.
  Status Write(const Batch& batch);

  // Writes the last row group and the footer, fsyncs (sync_on_close) and closes. After
  // an error the file is unusable. Calling Close twice is an error.
  Status Close();

  uint64_t rows_written() const { return rows_written_; }
  size_t row_groups_written() const { return meta_.row_groups.size(); }
  // File size so far (final after Close).
  uint64_t bytes_written() const { return file_ ? file_->size() : bytes_at_close_; }

 private:
  ParquetWriter(std::shared_ptr<const Schema> schema, ParquetWriterOptions options,
                std::unique_ptr<WritableFile> file);
  Status FlushRowGroup();
  // Writes the page indexes and points the footer's column chunks at them.
  Status WritePageIndexes();

  std::shared_ptr<const Schema> schema_;
  ParquetWriterOptions options_;
  std::unique_ptr<WritableFile> file_;
  std::vector<ColumnChunkWriter> columns_;
  parquet::FileMetaData meta_;
  // Per row group, per column: the page index, written at Close().
  struct ChunkPageIndex {
    std::optional<parquet::OffsetIndex> offsets;
    std::optional<parquet::ColumnIndex> bounds;
  };
  std::vector<std::vector<ChunkPageIndex>> page_indexes_;
  size_t group_rows_ = 0;
  uint64_t rows_written_ = 0;
  uint64_t bytes_at_close_ = 0;
  bool closed_ = false;
  std::string chunk_buffer_;
};

}  // namespace tenantdb
