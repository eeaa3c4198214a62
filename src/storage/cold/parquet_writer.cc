#include "storage/cold/parquet_writer.h"

#include <cassert>
#include <cstring>

#include "storage/cold/parquet_types.h"

namespace tenantdb {

namespace {

parquet::Codec CodecFor(ParquetCompression c) {
  switch (c) {
    case ParquetCompression::kNone:
      return parquet::Codec::kUncompressed;
    case ParquetCompression::kSnappy:
      return parquet::Codec::kSnappy;
    case ParquetCompression::kZstd:
      return parquet::Codec::kZstd;
  }
  return parquet::Codec::kUncompressed;
}

}  // namespace

Result<std::unique_ptr<ParquetWriter>> ParquetWriter::Open(const std::string& path,
                                                           std::shared_ptr<const Schema> schema,
                                                           ParquetWriterOptions options) {
  if (schema == nullptr || schema->num_fields() == 0) {
    return Status(ErrorCode::kInvalidArgument, "a Parquet file needs at least one column");
  }
  if (options.row_group_rows == 0 || options.row_group_rows > INT32_MAX) {
    return Status(ErrorCode::kInvalidArgument, "row_group_rows must be between 1 and 2^31-1");
  }
  if (options.page_rows == 0 || options.page_rows > INT32_MAX) {
    return Status(ErrorCode::kInvalidArgument, "page_rows must be between 1 and 2^31-1");
  }
  if (options.zstd_level < 1 || options.zstd_level > 22) {
    return Status(ErrorCode::kInvalidArgument, "zstd_level must be between 1 and 22");
  }
  TDB_ASSIGN_OR_RETURN(auto file, WritableFile::Create(path));
  TDB_RETURN_IF_ERROR(file->Append(std::string_view(parquet::kMagic, 4)));
  return std::unique_ptr<ParquetWriter>(
      new ParquetWriter(std::move(schema), std::move(options), std::move(file)));
}

ParquetWriter::ParquetWriter(std::shared_ptr<const Schema> schema, ParquetWriterOptions options,
                             std::unique_ptr<WritableFile> file)
    : schema_(std::move(schema)), options_(std::move(options)), file_(std::move(file)) {
  ColumnChunkWriterOptions copts;
  copts.codec = CodecFor(options_.compression);
  copts.zstd_level = options_.zstd_level;
  copts.dictionary = options_.dictionary_encoding;
  copts.dictionary_max_bytes = options_.dictionary_max_bytes;
  copts.page_bytes = options_.page_bytes;
  copts.page_rows = options_.page_rows;
  copts.page_index = options_.write_page_index;
  copts.statistics = options_.write_statistics;
  copts.statistics_max_bytes = options_.statistics_max_bytes;
  copts.data_page_v2 = options_.data_page_v2;
  columns_.reserve(schema_->num_fields());

  parquet::SchemaElement root;
  root.name = "schema";
  root.num_children = static_cast<int32_t>(schema_->num_fields());
  meta_.schema.push_back(root);
  for (const Field& f : schema_->fields()) {
    columns_.emplace_back(f, copts);
    meta_.schema.push_back(SchemaElementForField(f));
    meta_.column_orders.push_back(parquet::kTypeDefinedOrder);
  }
  meta_.version = 1;
  meta_.created_by = options_.created_by;
  for (const auto& [k, v] : options_.key_value_metadata)
    meta_.key_value_metadata.push_back({k, v});
  std::string intervals;
  for (const Field& f : schema_->fields()) {
    if (f.type == DataType::kInterval) intervals += (intervals.empty() ? "" : ",") + f.name;
  }
  if (!intervals.empty())
    meta_.key_value_metadata.push_back({std::string(kIntervalColumnsKey), intervals});
  std::string numerics;
  for (const Field& f : schema_->fields()) {
    if (f.type == DataType::kNumeric && f.numeric_precision == 0) {
      numerics += (numerics.empty() ? "" : ",") + f.name;
    }
  }
  if (!numerics.empty())
    meta_.key_value_metadata.push_back({std::string(kNumericColumnsKey), numerics});
  std::string arrays;
  for (const Field& f : schema_->fields()) {
    if (IsArray(f.type)) {
      arrays += (arrays.empty() ? "" : ",") + f.name + ":" + std::string(DataTypeName(f.type));
    }
  }
  if (!arrays.empty()) meta_.key_value_metadata.push_back({std::string(kArrayColumnsKey), arrays});
}

ParquetWriter::~ParquetWriter() = default;

Status ParquetWriter::Write(const Batch& batch) {
  if (closed_) return Status(ErrorCode::kInvalidArgument, "write to a closed Parquet writer");
  if (batch.num_columns() != schema_->num_fields()) {
    return Status(ErrorCode::kInvalidArgument, "batch has " + std::to_string(batch.num_columns()) +
                                                   " columns but the Parquet file has " +
                                                   std::to_string(schema_->num_fields()));
  }
  for (size_t c = 0; c < batch.num_columns(); ++c) {
    const Field& f = schema_->field(c);
    const ColumnVector& col = batch.column(c);
    if (col.type() != f.type) {
      return Status(ErrorCode::kInvalidArgument,
                    "column " + f.name + " is " + std::string(DataTypeName(f.type)) +
                        " in the Parquet file but " + std::string(DataTypeName(col.type())) +
                        " in the batch");
    }
    if (!f.nullable && col.null_count() > 0) {
      return Status(ErrorCode::kInvalidArgument, "column " + f.name +
                                                     " is NOT NULL but the batch has " +
                                                     std::to_string(col.null_count()) + " NULLs");
    }
  }
  size_t rows = batch.num_rows();
  size_t offset = 0;
  while (offset < rows) {
    size_t take = std::min(rows - offset, options_.row_group_rows - group_rows_);
    for (size_t c = 0; c < columns_.size(); ++c) {
      TDB_RETURN_IF_ERROR(columns_[c].Append(batch.column(c), offset, take));
    }
    offset += take;
    group_rows_ += take;
    rows_written_ += take;
    if (group_rows_ == options_.row_group_rows) TDB_RETURN_IF_ERROR(FlushRowGroup());
  }
  return Status::Ok();
}

Status ParquetWriter::FlushRowGroup() {
  if (group_rows_ == 0) return Status::Ok();
  parquet::RowGroup group;
  group.num_rows = static_cast<int64_t>(group_rows_);
  group.file_offset = static_cast<int64_t>(file_->size());
  group.ordinal = static_cast<int16_t>(meta_.row_groups.size());
  int64_t compressed = 0;
  std::vector<ChunkPageIndex>& indexes = page_indexes_.emplace_back(columns_.size());
  for (size_t c = 0; c < columns_.size(); ++c) {
    ColumnChunkWriter& col = columns_[c];
    chunk_buffer_.clear();
    parquet::ColumnChunk chunk;
    TDB_RETURN_IF_ERROR(col.Finish(static_cast<int64_t>(file_->size()), &chunk_buffer_, &chunk,
                                   &indexes[c].offsets, &indexes[c].bounds));
    TDB_RETURN_IF_ERROR(file_->Append(chunk_buffer_));
    group.total_byte_size += chunk.meta_data->total_uncompressed_size;
    compressed += chunk.meta_data->total_compressed_size;
    group.columns.push_back(std::move(chunk));
  }
  group.total_compressed_size = compressed;
  meta_.row_groups.push_back(std::move(group));
  meta_.num_rows += static_cast<int64_t>(group_rows_);
  group_rows_ = 0;
  return Status::Ok();
}

// The format's layout: every ColumnIndex, then every OffsetIndex, after the last row
// group and before the footer, so a reader that wants them finds them in one range.
Status ParquetWriter::WritePageIndexes() {
  assert(page_indexes_.size() == meta_.row_groups.size());
  std::string bytes;
  for (size_t g = 0; g < page_indexes_.size(); ++g) {
    for (size_t c = 0; c < page_indexes_[g].size(); ++c) {
      const auto& bounds = page_indexes_[g][c].bounds;
      if (!bounds) continue;
      parquet::ColumnChunk& chunk = meta_.row_groups[g].columns[c];
      const size_t start = bytes.size();
      parquet::SerializeColumnIndex(*bounds, &bytes);
      chunk.column_index_offset = static_cast<int64_t>(file_->size() + start);
      chunk.column_index_length = static_cast<int32_t>(bytes.size() - start);
    }
  }
  for (size_t g = 0; g < page_indexes_.size(); ++g) {
    for (size_t c = 0; c < page_indexes_[g].size(); ++c) {
      const auto& offsets = page_indexes_[g][c].offsets;
      if (!offsets) continue;
      parquet::ColumnChunk& chunk = meta_.row_groups[g].columns[c];
      const size_t start = bytes.size();
      parquet::SerializeOffsetIndex(*offsets, &bytes);
      chunk.offset_index_offset = static_cast<int64_t>(file_->size() + start);
      chunk.offset_index_length = static_cast<int32_t>(bytes.size() - start);
    }
  }
  page_indexes_.clear();
  return bytes.empty() ? Status::Ok() : file_->Append(bytes);
}

Status ParquetWriter::Close() {
  if (closed_) return Status(ErrorCode::kInvalidArgument, "Parquet writer closed twice");
  closed_ = true;
  TDB_RETURN_IF_ERROR(FlushRowGroup());
  TDB_RETURN_IF_ERROR(WritePageIndexes());
  std::string footer;
  parquet::SerializeFileMetaData(meta_, &footer);
  uint32_t len = static_cast<uint32_t>(footer.size());
  char len_le[4];
  std::memcpy(len_le, &len, 4);
  footer.append(len_le, 4);
  footer.append(parquet::kMagic, 4);
  TDB_RETURN_IF_ERROR(file_->Append(footer));
  if (options_.sync_on_close) TDB_RETURN_IF_ERROR(file_->Sync());
  TDB_RETURN_IF_ERROR(file_->Close());
  bytes_at_close_ = file_->size();
  file_.reset();
  return Status::Ok();
}

}  // namespace tenantdb
