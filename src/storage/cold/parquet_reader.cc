#include "storage/cold/parquet_reader.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>

namespace tenantdb {

namespace {

constexpr uint64_t kMinFileSize = 12;  // magic + footer length + magic

Status CorruptFile(const std::string& path, const std::string& what) {
  return Status(ErrorCode::kCorruption, "file " + path + " is not a valid Parquet file: " + what);
}

bool SignedStatsOrder(const ParquetColumnInfo& c) {
  // The deprecated min/max fields use signed comparison: usable for signed numbers only.
  if (!c.type || c.conversion == ParquetConversion::kUint32ToInt64) return false;
  return c.physical == parquet::Type::kInt32 || c.physical == parquet::Type::kInt64 ||
         c.physical == parquet::Type::kFloat || c.physical == parquet::Type::kDouble ||
         c.physical == parquet::Type::kBoolean;
}

bool IsNan(const std::optional<Value>& v) {
  return v && IsFloatingPoint(v->type()) && std::isnan(v->as_double());
}

}  // namespace

Result<std::unique_ptr<ParquetReader>> ParquetReader::Open(const std::string& path) {
  TDB_ASSIGN_OR_RETURN(auto file, RandomAccessFile::Open(path));
  uint64_t size = file->size();
  if (size < kMinFileSize) {
    return CorruptFile(path, "only " + std::to_string(size) + " bytes long");
  }
  uint8_t head[4], tail[8];
  TDB_RETURN_IF_ERROR(file->ReadAt(0, 4, head));
  TDB_RETURN_IF_ERROR(file->ReadAt(size - 8, 8, tail));
  if (std::memcmp(head, parquet::kMagic, 4) != 0) {
    return CorruptFile(path, "it does not start with PAR1");
  }
  if (std::memcmp(tail + 4, "PARE", 4) == 0) {
    return Status(ErrorCode::kInvalidArgument,
                  "file " + path + " is an encrypted Parquet file, which tenantdb cannot read");
  }
  if (std::memcmp(tail + 4, parquet::kMagic, 4) != 0) {
    return CorruptFile(path, "it does not end with PAR1 (truncated or still being written?)");
  }
  uint32_t footer_len{};
  std::memcpy(&footer_len, tail, 4);
  if (footer_len == 0 || footer_len > size - kMinFileSize) {
    return CorruptFile(path, "footer length " + std::to_string(footer_len) +
                                 " does not fit in a file of " + std::to_string(size) + " bytes");
  }
  uint64_t footer_start = size - 8 - footer_len;
  std::vector<uint8_t> footer(footer_len);
  TDB_RETURN_IF_ERROR(file->ReadAt(footer_start, footer_len, footer.data()));
  Result<parquet::FileMetaData> meta = parquet::ParseFileMetaData(footer.data(), footer.size());
  if (!meta.ok()) return CorruptFile(path, std::string(meta.status().message()));
  std::unique_ptr<ParquetReader> reader(new ParquetReader(std::move(file), std::move(*meta)));
  reader->data_end_ = footer_start;
  TDB_RETURN_IF_ERROR(reader->Init());
  return reader;
}

Status ParquetReader::Corrupt(const std::string& what) const {
  return CorruptFile(file_->path(), what);
}

Status ParquetReader::Init() {
  const std::vector<parquet::SchemaElement>& schema = meta_.schema;
  if (schema.empty()) return Corrupt("empty schema");
  if (meta_.num_rows < 0) return Corrupt("negative row count");
  // Walk the depth-first schema list. Top-level leaves become columns; leaves under a
  // group (nested data) are listed as unsupported so leaf positions stay right.
  size_t leaf = 0;
  size_t idx = 1;
  struct Frame {
    int64_t remaining{};
    bool nested{};
  };
  std::vector<Frame> stack = {{schema[0].num_children.value_or(0), false}};
  if (stack[0].remaining < 0) return Corrupt("negative child count in the schema");
  while (!stack.empty()) {
    if (stack.back().remaining == 0) {
      stack.pop_back();
      continue;
    }
    --stack.back().remaining;
    if (idx >= schema.size()) return Corrupt("schema lists fewer elements than its child counts");
    const parquet::SchemaElement& e = schema[idx++];
    bool nested = stack.back().nested;
    if (e.num_children && *e.num_children > 0) {
      if (stack.size() > 64) return Corrupt("schema nested too deeply");
      if (*e.num_children > static_cast<int64_t>(schema.size())) {
        return Corrupt("schema child count larger than the schema");
      }
      stack.push_back({*e.num_children, true});
      continue;
    }
    if (!e.type) return Corrupt("schema leaf " + e.name + " has no type");
    ParquetColumnInfo info = MapParquetColumn(e, leaf++);
    if (nested) {
      info.type.reset();
      info.unsupported_reason =
          "column " + info.name + " is nested inside a group, which tenantdb cannot read";
    }
    columns_.push_back(std::move(info));
  }
  if (idx != schema.size()) return Corrupt("schema has elements outside its tree");
  MarkIntervalColumns();

  std::vector<Field> fields;
  for (const ParquetColumnInfo& c : columns_) {
    if (!c.type) continue;
    Field f;
    f.name = c.name;
    f.type = *c.type;
    f.nullable = c.optional;
    f.id = c.field_id;
    f.numeric_precision = static_cast<uint8_t>(c.decimal_precision);  // DECIMAL(p,s)
    f.numeric_scale = static_cast<uint8_t>(c.decimal_scale);
    fields.push_back(std::move(f));
    has_field_ids_ |= c.field_id != 0;
  }
  for (const parquet::KeyValue& kv : meta_.key_value_metadata) {
    key_values_.emplace_back(kv.key, kv.value.value_or(""));
  }
  created_by_ = meta_.created_by.value_or("");
  schema_ = std::make_shared<const Schema>(std::move(fields), SchemaMetadata{});

  bool orders_known = meta_.column_orders.size() == columns_.size();
  row_groups_.reserve(meta_.row_groups.size());
  for (size_t g = 0; g < meta_.row_groups.size(); ++g) {
    const parquet::RowGroup& rg = meta_.row_groups[g];
    if (rg.columns.size() != columns_.size()) {
      return Corrupt("row group " + std::to_string(g) + " has " +
                     std::to_string(rg.columns.size()) + " columns but the schema has " +
                     std::to_string(columns_.size()));
    }
    if (rg.num_rows < 0 || rg.num_rows > INT32_MAX) {
      return Corrupt("row group " + std::to_string(g) + " claims " + std::to_string(rg.num_rows) +
                     " rows (tenantdb reads row groups of up to 2^31-1 rows)");
    }
    ParquetRowGroupInfo info;
    info.num_rows = rg.num_rows;
    for (size_t c = 0; c < rg.columns.size(); ++c) {
      const parquet::ColumnChunk& chunk = rg.columns[c];
      if (!chunk.meta_data) {
        return Corrupt("column chunk " + std::to_string(c) + " of row group " + std::to_string(g) +
                       " has no metadata");
      }
      const parquet::ColumnMetaData& md = *chunk.meta_data;
      // Saturating: the sizes come from the file, and a hostile pair must not overflow.
      if (__builtin_add_overflow(info.compressed_bytes,
                                 std::max<int64_t>(md.total_compressed_size, 0),
                                 &info.compressed_bytes)) {
        info.compressed_bytes = INT64_MAX;
      }
      ParquetColumnStats stats;
      const ParquetColumnInfo& col = columns_[c];
      if (md.statistics) {
        const parquet::Statistics& s = *md.statistics;
        stats.null_count = s.null_count;
        stats.nan_count = s.nan_count;
        bool order_ok = !orders_known || meta_.column_orders[c] == parquet::kTypeDefinedOrder;
        if (order_ok && s.min_value && s.max_value) {
          stats.min = DecodeStatisticsValue(col, *s.min_value);
          stats.max = DecodeStatisticsValue(col, *s.max_value);
        } else if (s.min && s.max && SignedStatsOrder(col)) {
          stats.min = DecodeStatisticsValue(col, *s.min);
          stats.max = DecodeStatisticsValue(col, *s.max);
        }
        if (IsNan(stats.min) || IsNan(stats.max) || !stats.min || !stats.max) {
          stats.min.reset();
          stats.max.reset();
        }
      }
      info.columns.push_back(std::move(stats));
    }
    row_groups_.push_back(std::move(info));
  }
  return Status::Ok();
}

// Parquet has no INTERVAL with microseconds: tenantdb writes its 16 bytes unannotated and
// names those columns in the file's key-value metadata (parquet_writer.h).
void ParquetReader::MarkIntervalColumns() {
  for (const parquet::KeyValue& kv : meta_.key_value_metadata) {
    if (kv.key != kIntervalColumnsKey || !kv.value) continue;
    std::string_view names = *kv.value;
    while (!names.empty()) {
      const size_t comma = names.find(',');
      const std::string_view name = names.substr(0, comma);
      for (ParquetColumnInfo& c : columns_) {
        if (c.name == name && c.type == DataType::kBytea &&
            c.physical == parquet::Type::kFixedLenByteArray && c.type_length == 16) {
          c.type = DataType::kInterval;
        }
      }
      names.remove_prefix(comma == std::string_view::npos ? names.size() : comma + 1);
    }
  }
  // Unconstrained NUMERIC columns are PostgreSQL's text (parquet_types.h).
  for (const parquet::KeyValue& kv : meta_.key_value_metadata) {
    if (kv.key != kNumericColumnsKey || !kv.value) continue;
    std::string_view names = *kv.value;
    while (!names.empty()) {
      const size_t comma = names.find(',');
      const std::string_view name = names.substr(0, comma);
      for (ParquetColumnInfo& c : columns_) {
        if (c.name == name && c.type == DataType::kText &&
            c.physical == parquet::Type::kByteArray) {
          c.type = DataType::kNumeric;
          c.min_max_usable = false;  // text bounds do not order numbers
        }
      }
      names.remove_prefix(comma == std::string_view::npos ? names.size() : comma + 1);
    }
  }
  // Array columns are PostgreSQL's array text; the entry names each one's type.
  for (const parquet::KeyValue& kv : meta_.key_value_metadata) {
    if (kv.key != kArrayColumnsKey || !kv.value) continue;
    std::string_view entries = *kv.value;
    while (!entries.empty()) {
      const size_t comma = entries.find(',');
      const std::string_view entry = entries.substr(0, comma);
      const size_t colon = entry.rfind(':');
      const std::optional<DataType> type =
          colon == std::string_view::npos ? std::nullopt : ParseDataType(entry.substr(colon + 1));
      for (ParquetColumnInfo& c : columns_) {
        if (type && IsArray(*type) && c.name == entry.substr(0, colon) &&
            c.type == DataType::kText && c.physical == parquet::Type::kByteArray) {
          c.type = *type;
          c.min_max_usable = false;  // text bounds do not order arrays
        }
      }
      entries.remove_prefix(comma == std::string_view::npos ? entries.size() : comma + 1);
    }
  }
}

std::optional<std::string_view> ParquetReader::metadata_value(std::string_view key) const {
  for (const auto& [k, v] : key_values_) {
    if (k == key) return std::string_view(v);
  }
  return std::nullopt;
}

const ParquetColumnStats* ParquetReader::column_stats(size_t i, std::string_view name) const {
  std::optional<size_t> c = FindColumn(name);
  return c ? &row_groups_[i].columns[*c] : nullptr;
}

std::optional<size_t> ParquetReader::FindColumn(const Field& field) const {
  if (!has_field_ids_) return FindColumn(field.name);
  // In a file with ids, a field without one (the `_deleted` marker) is a column without
  // one: a table column may carry the same name.
  for (size_t i = 0; i < columns_.size(); ++i) {
    const ParquetColumnInfo& c = columns_[i];
    if (field.id != 0 ? c.field_id == field.id : c.field_id == 0 && c.name == field.name) {
      return i;
    }
  }
  return std::nullopt;
}

std::optional<size_t> ParquetReader::FindColumn(std::string_view name) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name == name) return i;
  }
  return std::nullopt;
}

bool ParquetReader::RowGroupMayMatch(size_t i,
                                     const std::vector<ParquetColumnRange>& ranges) const {
  const ParquetRowGroupInfo& group = row_groups_[i];
  for (const ParquetColumnRange& range : ranges) {
    std::optional<size_t> c = FindColumn(range.column);
    if (!c || !columns_[*c].type) continue;  // missing columns may read as a default
    const ParquetColumnStats& s = group.columns[*c];
    bool has_bound = (range.min && !range.min->is_null()) || (range.max && !range.max->is_null());
    if (!has_bound) continue;
    // A range is never satisfied by NULL.
    if (s.null_count && group.num_rows > 0 && *s.null_count >= group.num_rows) return false;
    if (!s.min || !s.max) continue;
    if (range.min && !range.min->is_null()) {
      // NaN sorts above every number (PostgreSQL), so NaNs may satisfy a lower bound
      // alone even when the non-NaN max is below it.
      bool nan_possible = IsFloatingPoint(*columns_[*c].type) && (!s.nan_count || *s.nan_count > 0);
      std::optional<int> cmp = ComparePruningValues(*s.max, *range.min);
      if (cmp && *cmp < 0 && !(nan_possible && !range.max)) return false;
    }
    if (range.max && !range.max->is_null()) {
      std::optional<int> cmp = ComparePruningValues(*s.min, *range.max);
      if (cmp && *cmp > 0) return false;
    }
  }
  return true;
}

Status ParquetReader::ReadColumnChunk(size_t group, const ParquetColumnInfo& column,
                                      ColumnVector* out) {
  const parquet::RowGroup& rg = meta_.row_groups[group];
  const parquet::ColumnChunk& chunk = rg.columns[column.leaf_index];
  const parquet::ColumnMetaData& md = *chunk.meta_data;
  if (chunk.file_path) {
    return Status(ErrorCode::kInvalidArgument,
                  "column " + column.name + " of " + file_->path() +
                      " is stored in another file, which tenantdb cannot read");
  }
  if (md.type != column.physical) {
    return Corrupt("column " + column.name + " is " + parquet::TypeName(md.type) +
                   " in a row group but " + parquet::TypeName(column.physical) + " in the schema");
  }
  int64_t start = md.data_page_offset;
  if (md.dictionary_page_offset && *md.dictionary_page_offset > 0 &&
      *md.dictionary_page_offset < start) {
    start = *md.dictionary_page_offset;
  }
  int64_t len = md.total_compressed_size;
  if (start < 4 || len <= 0 || static_cast<uint64_t>(start) > data_end_ ||
      static_cast<uint64_t>(len) > data_end_ - static_cast<uint64_t>(start)) {
    return Corrupt("column " + column.name + " of row group " + std::to_string(group) +
                   " lies outside the data section");
  }
  chunk_buffer_.resize(static_cast<size_t>(len));
  TDB_RETURN_IF_ERROR(
      file_->ReadAt(static_cast<uint64_t>(start), static_cast<size_t>(len), chunk_buffer_.data()));
  counters_.bytes_read += static_cast<uint64_t>(len);
  ++counters_.column_chunks_read;
  uint64_t pages_before = chunk_reader_.pages_read();
  Status st = chunk_reader_.Read(column, md.codec, chunk_buffer_.data(), chunk_buffer_.size(),
                                 rg.num_rows, out);
  counters_.pages_read += chunk_reader_.pages_read() - pages_before;
  if (!st.ok() && st.code() == ErrorCode::kCorruption) {
    return Corrupt(std::string(st.message()) + " (row group " + std::to_string(group) + ")");
  }
  return st;
}

Result<Batch> ParquetReader::ReadRowGroup(size_t i,
                                          const std::shared_ptr<const Schema>& requested) {
  if (i >= row_groups_.size()) {
    return Status(ErrorCode::kInvalidArgument, "row group " + std::to_string(i) +
                                                   " does not exist; the file has " +
                                                   std::to_string(row_groups_.size()));
  }
  auto rows = static_cast<size_t>(row_groups_[i].num_rows);
  Batch batch(requested);
  for (size_t j = 0; j < requested->num_fields(); ++j) {
    const Field& field = requested->field(j);
    ColumnVector& out = batch.mutable_column(j);
    std::optional<size_t> c = FindColumn(field);
    if (!c) {
      // A column added since the file was written: its recorded missing value, or NULL.
      const Value missing = MissingValue(*requested, j);
      out.Reserve(rows);
      for (size_t r = 0; r < rows; ++r) {
        if (missing.is_null()) {
          out.AppendNull();
        } else {
          out.Append(missing);
        }
      }
      continue;
    }
    const ParquetColumnInfo& column = columns_[*c];
    if (!column.type) return Status(ErrorCode::kInvalidArgument, column.unsupported_reason);
    if (!CanReadAs(*column.type, field.type)) {
      return Status(ErrorCode::kTypeMismatch, "column " + field.name + " is " +
                                                  std::string(DataTypeName(*column.type)) + " in " +
                                                  file_->path() + " and cannot be read as " +
                                                  std::string(DataTypeName(field.type)));
    }
    // One allocation for the whole chunk: grown value by value, a row group's column
    // reallocates a dozen times, each time into fresh pages the kernel must fault in.
    out.Reserve(rows);
    TDB_RETURN_IF_ERROR(ReadColumnChunk(i, column, &out));
    if (out.size() != rows) {
      return Corrupt("column " + field.name + " of row group " + std::to_string(i) + " holds " +
                     std::to_string(out.size()) + " values for " + std::to_string(rows) + " rows");
    }
  }
  ++counters_.row_groups_read;
  return batch;
}

Result<bool> ParquetReader::LoadPageIndex() {
  if (!page_index_.empty() || row_groups_.empty()) return !page_index_.empty();
  // The range holding every index of the file.
  uint64_t begin = UINT64_MAX, end = 0;
  for (const parquet::RowGroup& rg : meta_.row_groups) {
    for (const parquet::ColumnChunk& chunk : rg.columns) {
      if (!chunk.offset_index_offset || !chunk.offset_index_length) return false;
      auto add = [&](int64_t offset, int32_t length) {
        if (offset < 4 || length <= 0) return false;
        begin = std::min(begin, static_cast<uint64_t>(offset));
        end = std::max(end, static_cast<uint64_t>(offset) + static_cast<uint64_t>(length));
        return true;
      };
      if (!add(*chunk.offset_index_offset, *chunk.offset_index_length)) {
        return Corrupt("an offset index lies outside the file");
      }
      if (chunk.column_index_offset && chunk.column_index_length &&
          !add(*chunk.column_index_offset, *chunk.column_index_length)) {
        return Corrupt("a column index lies outside the file");
      }
    }
  }
  if (end > data_end_) return Corrupt("the page index overlaps the footer");
  std::vector<uint8_t> bytes(end - begin);
  TDB_RETURN_IF_ERROR(file_->ReadAt(begin, bytes.size(), bytes.data()));
  const uint8_t* base = bytes.data();
  std::vector<ChunkPageIndex> loaded;
  loaded.reserve(row_groups_.size() * columns_.size());
  for (const parquet::RowGroup& rg : meta_.row_groups) {
    if (rg.columns.size() != columns_.size()) return Corrupt("row group column count");
    for (size_t c = 0; c < rg.columns.size(); ++c) {
      const parquet::ColumnChunk& chunk = rg.columns[c];
      ChunkPageIndex& index = loaded.emplace_back();
      TDB_ASSIGN_OR_RETURN(index.offsets,
                           parquet::ParseOffsetIndex(base + (*chunk.offset_index_offset - begin),
                                                     *chunk.offset_index_length));
      const auto& pages = index.offsets.page_locations;
      if (pages.empty() || pages[0].first_row_index != 0) {
        return Corrupt("the offset index of column " + columns_[c].name + " misses row 0");
      }
      for (size_t p = 0; p < pages.size(); ++p) {
        const bool ordered = p == 0 || pages[p].first_row_index > pages[p - 1].first_row_index;
        if (!ordered || pages[p].first_row_index >= rg.num_rows || pages[p].offset < 4 ||
            pages[p].compressed_page_size <= 0 ||
            static_cast<uint64_t>(pages[p].offset) + pages[p].compressed_page_size > data_end_) {
          return Corrupt("the offset index of column " + columns_[c].name + " is inconsistent");
        }
      }
      if (chunk.column_index_offset && chunk.column_index_length) {
        TDB_ASSIGN_OR_RETURN(index.bounds,
                             parquet::ParseColumnIndex(base + (*chunk.column_index_offset - begin),
                                                       *chunk.column_index_length));
        if (index.bounds->null_pages.size() != pages.size()) {
          return Corrupt("the column index of column " + columns_[c].name +
                         " does not match its pages");
        }
      }
    }
  }
  page_index_ = std::move(loaded);
  return true;
}

int64_t ParquetReader::PageRows(size_t g, size_t c, size_t p) const {
  const auto& pages = offset_index(g, c).page_locations;
  const int64_t end = p + 1 < pages.size() ? pages[p + 1].first_row_index : row_groups_[g].num_rows;
  return end - pages[p].first_row_index;
}

Status ParquetReader::ReadPage(size_t g, size_t c, size_t p, ColumnVector* out) {
  assert(!page_index_.empty() && g < row_groups_.size() && c < columns_.size());
  const ParquetColumnInfo& column = columns_[c];
  if (!column.type) return Status(ErrorCode::kInvalidArgument, column.unsupported_reason);
  const parquet::ColumnMetaData& md = *meta_.row_groups[g].columns[c].meta_data;
  const parquet::PageLocation& page = offset_index(g, c).page_locations.at(p);
  // The dictionary page, when there is one, sits between dictionary_page_offset and the
  // first data page; the chunk reader wants it before the data page.
  uint64_t dict_begin = 0, dict_size = 0;
  if (md.dictionary_page_offset && *md.dictionary_page_offset > 0 &&
      *md.dictionary_page_offset < md.data_page_offset) {
    dict_begin = static_cast<uint64_t>(*md.dictionary_page_offset);
    dict_size = static_cast<uint64_t>(md.data_page_offset) - dict_begin;
    if (dict_size > data_end_) return Corrupt("dictionary page of column " + column.name);
  }
  const auto page_size = static_cast<uint64_t>(page.compressed_page_size);
  chunk_buffer_.resize(dict_size + page_size);
  if (dict_size > 0) {
    TDB_RETURN_IF_ERROR(file_->ReadAt(dict_begin, dict_size, chunk_buffer_.data()));
  }
  TDB_RETURN_IF_ERROR(file_->ReadAt(static_cast<uint64_t>(page.offset), page_size,
                                    chunk_buffer_.data() + dict_size));
  counters_.bytes_read += dict_size + page_size;
  const int64_t rows = PageRows(g, c, p);
  const size_t before = out->size();
  Status st =
      chunk_reader_.Read(column, md.codec, chunk_buffer_.data(), chunk_buffer_.size(), rows, out);
  ++counters_.pages_read;
  if (!st.ok() && st.code() == ErrorCode::kCorruption) {
    return Corrupt(std::string(st.message()) + " (row group " + std::to_string(g) + ", page " +
                   std::to_string(p) + ")");
  }
  TDB_RETURN_IF_ERROR(st);
  if (out->size() - before != static_cast<size_t>(rows)) {
    return Corrupt("page " + std::to_string(p) + " of column " + column.name + " holds " +
                   std::to_string(out->size() - before) + " values for " + std::to_string(rows) +
                   " rows");
  }
  return Status::Ok();
}

Result<std::vector<Batch>> ParquetReader::Read(const std::shared_ptr<const Schema>& requested,
                                               const std::vector<ParquetColumnRange>& ranges) {
  std::vector<Batch> batches;
  for (size_t g = 0; g < row_groups_.size(); ++g) {
    if (!RowGroupMayMatch(g, ranges)) {
      ++counters_.row_groups_pruned;
      continue;
    }
    TDB_ASSIGN_OR_RETURN(Batch b, ReadRowGroup(g, requested));
    batches.push_back(std::move(b));
  }
  return batches;
}

}  // namespace tenantdb
