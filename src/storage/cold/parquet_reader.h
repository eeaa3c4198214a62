// ParquetReader: opens a Parquet file (written by tenantdb or any other writer), exposes
// its schema, row groups, statistics and key/value metadata, and reads row groups into
// tenantdb Batches with projection by column id (or name) and min/max row-group pruning.
//
// Usage:
//   TDB_ASSIGN_OR_RETURN(auto reader, ParquetReader::Open(path));
//   std::vector<ParquetColumnRange> where = {{"created_at", Value::Timestamp(t0), {}}};
//   for (size_t g = 0; g < reader->num_row_groups(); ++g) {
//     if (!reader->RowGroupMayMatch(g, where)) continue;
//     TDB_ASSIGN_OR_RETURN(Batch batch, reader->ReadRowGroup(g, table_schema));
//     ...
//   }
//
// Projection is by column id (Field::id, stored as Parquet's field_id) against the
// requested Schema, or by name for requested fields without an id and for files without
// field ids (written by other tools): a requested column the file lacks (added to the
// table after the file was written) reads as its missing value or NULL; file columns not
// requested are neither read from disk nor decompressed. A requested column may have a
// wider type than the stored one (CanReadAs in parquet_types.h).
//
// Errors: a file that is not Parquet, truncated or malformed gives kCorruption naming
// the file; features tenantdb does not read (DECIMAL columns, LZ4/BROTLI pages, nested
// columns) give kInvalidArgument when a read touches them; a requested column whose
// stored type cannot be read as the requested one gives kTypeMismatch.
//
// Thread safety: the metadata accessors are safe from several threads once Open returns;
// ReadRowGroup / Read are not (they reuse decoding buffers and update the counters): use
// one reader per thread, or synchronize.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "storage/cold/column_chunk_reader.h"
#include "storage/cold/file_io.h"
#include "storage/cold/parquet_metadata.h"
#include "storage/cold/parquet_types.h"
#include "types/batch.h"
#include "types/schema.h"

namespace tenantdb {

// A predicate on one column: min <= column <= max (each bound optional, inclusive).
// Row groups where no value can satisfy every range are skipped; rows are not filtered
// (the caller still evaluates its predicate on the rows of groups that are read).
struct ParquetColumnRange {
  std::string column;
  std::optional<Value> min;
  std::optional<Value> max;
};

// Statistics of one column chunk, decoded to tenantdb values.
struct ParquetColumnStats {
  std::optional<int64_t> null_count;
  std::optional<Value> min;  // nullopt: absent or unusable
  std::optional<Value> max;
  std::optional<int64_t> nan_count;
};

struct ParquetRowGroupInfo {
  int64_t num_rows = 0;
  int64_t compressed_bytes = 0;
  std::vector<ParquetColumnStats> columns;  // one per file column, in file order
};

// Counters of the work reads have done since Open.
struct ParquetScanCounters {
  uint64_t row_groups_read = 0;
  uint64_t row_groups_pruned = 0;  // skipped by Read() through the ranges
  uint64_t column_chunks_read = 0;
  uint64_t pages_read = 0;
  uint64_t bytes_read = 0;  // from the file, footer excluded
};

class ParquetReader {
 public:
  // Opens `path` and parses its footer. kIoError if it cannot be opened; kCorruption
  // (naming the file) if it is not a valid Parquet file.
  static Result<std::unique_ptr<ParquetReader>> Open(const std::string& path);

  // The file's columns as tenantdb fields (name, type, nullable), excluding columns
  // tenantdb cannot read (see columns() for those).
  const std::shared_ptr<const Schema>& schema() const { return schema_; }
  // Every leaf column of the file with its mapping (including unsupported ones).
  const std::vector<ParquetColumnInfo>& columns() const { return columns_; }

  int64_t num_rows() const { return meta_.num_rows; }
  size_t num_row_groups() const { return row_groups_.size(); }
  // Row count and statistics of group i; its `columns` follow columns(), not schema().
  const ParquetRowGroupInfo& row_group(size_t i) const { return row_groups_[i]; }
  // The file column (an index into columns()) holding `field` of a requested schema: by
  // column id when both have ids, else by name (see the projection rules above).
  std::optional<size_t> FindColumn(const Field& field) const;
  // Statistics of column `name` in group i; nullptr if the file has no such column.
  const ParquetColumnStats* column_stats(size_t i, std::string_view name) const;

  const std::vector<std::pair<std::string, std::string>>& key_value_metadata() const {
    return key_values_;
  }
  // The value stored under `key`, if any.
  std::optional<std::string_view> metadata_value(std::string_view key) const;
  const std::string& created_by() const { return created_by_; }

  // False when the statistics prove no row of group `i` satisfies all `ranges`. A range
  // on a column the file lacks, or without usable statistics, never excludes a group.
  bool RowGroupMayMatch(size_t i, const std::vector<ParquetColumnRange>& ranges) const;

  // Reads row group `i` as a Batch with `requested`'s columns (see projection above).
  Result<Batch> ReadRowGroup(size_t i, const std::shared_ptr<const Schema>& requested);

  // Reads every row group that RowGroupMayMatch `ranges`, one Batch per group.
  Result<std::vector<Batch>> Read(const std::shared_ptr<const Schema>& requested,
                                  const std::vector<ParquetColumnRange>& ranges = {});

  const ParquetScanCounters& counters() const { return counters_; }

  // ---- The page index (point reads) ----
  // Reads every column chunk's OffsetIndex and ColumnIndex (one read of the range the
  // writer puts them in). Returns false, keeping nothing, when some chunk has no
  // OffsetIndex (files from writers that skip the index). Errors: io_error, corruption.
  Result<bool> LoadPageIndex();
  // After LoadPageIndex() returned true: the pages of file column `c` (an index into
  // columns()) in row group `g`, and their bounds (nullptr when the chunk has none).
  const parquet::OffsetIndex& offset_index(size_t g, size_t c) const {
    return page_index_[g * columns_.size() + c].offsets;
  }
  const parquet::ColumnIndex* column_index(size_t g, size_t c) const {
    const auto& bounds = page_index_[g * columns_.size() + c].bounds;
    return bounds ? &*bounds : nullptr;
  }
  // Rows of page `p` of column `c` in group `g`.
  int64_t PageRows(size_t g, size_t c, size_t p) const;
  // Decodes data page `p` of file column `c` in row group `g` (with its chunk's
  // dictionary, if any) into *out, of a type the column can be read as (CanReadAs): the
  // rows [first_row_index, first_row_index + PageRows). Errors as ReadRowGroup.
  Status ReadPage(size_t g, size_t c, size_t p, ColumnVector* out);

 private:
  void MarkIntervalColumns();
  ParquetReader(std::unique_ptr<RandomAccessFile> file, parquet::FileMetaData meta)
      : file_(std::move(file)), meta_(std::move(meta)) {}
  Status Init();
  Status ReadColumnChunk(size_t group, const ParquetColumnInfo& column, ColumnVector* out);
  std::optional<size_t> FindColumn(std::string_view name) const;

  Status Corrupt(const std::string& what) const;

  std::unique_ptr<RandomAccessFile> file_;
  parquet::FileMetaData meta_;
  std::vector<ParquetColumnInfo> columns_;
  std::shared_ptr<const Schema> schema_;
  std::vector<ParquetRowGroupInfo> row_groups_;
  std::vector<std::pair<std::string, std::string>> key_values_;
  std::string created_by_;
  bool has_field_ids_ = false;  // some column carries a field_id
  uint64_t data_end_ = 0;       // offset where the footer starts

  struct ChunkPageIndex {
    parquet::OffsetIndex offsets;
    std::optional<parquet::ColumnIndex> bounds;
  };
  std::vector<ChunkPageIndex> page_index_;  // [group * columns + column], once loaded

  ColumnChunkReader chunk_reader_;
  std::vector<uint8_t> chunk_buffer_;
  ParquetScanCounters counters_;
};

}  // namespace tenantdb
