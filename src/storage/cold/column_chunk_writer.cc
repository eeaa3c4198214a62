#include "storage/cold/column_chunk_writer.h"

#include <cmath>
#include <cstring>

#include "storage/cold/compression.h"
#include "storage/cold/parquet_types.h"
#include "storage/cold/rle_bitpacked.h"
#include "types/array_value.h"
#include "types/interval.h"
#include "types/numeric.h"

namespace tenantdb {

namespace {

template <typename T>
void PutLe(T v, std::string* out) {
  char buf[sizeof(T)];
  std::memcpy(buf, &v, sizeof(T));
  out->append(buf, sizeof(T));
}

void PutLe32(uint32_t v, char* dst) {
  std::memcpy(dst, &v, 4);
}

// Byte columns whose stats are longer than the limit get shorter bounds: the min is cut
// (a prefix sorts no later), the max is cut and its last byte incremented (so it still
// sorts no earlier). For TEXT and JSON cuts fall on UTF-8 character boundaries and only
// an ASCII byte below 0x7f is incremented, so the bounds stay valid UTF-8.
size_t Utf8Cut(std::string_view s, size_t limit) {
  size_t cut = std::min(limit, s.size());
  while (cut > 0 && cut < s.size() && (static_cast<uint8_t>(s[cut]) & 0xC0) == 0x80)
    --cut;
  return cut;
}

std::string TruncateMin(std::string_view s, size_t limit, bool utf8) {
  if (s.size() <= limit) return std::string(s);
  return std::string(s.substr(0, utf8 ? Utf8Cut(s, limit) : limit));
}

// nullopt: no shorter upper bound found (write the exact value).
std::optional<std::string> TruncateMax(std::string_view s, size_t limit, bool utf8) {
  if (s.size() <= limit) return std::nullopt;
  std::string cut(s.substr(0, utf8 ? Utf8Cut(s, limit) : limit));
  while (!cut.empty()) {
    auto last = static_cast<uint8_t>(cut.back());
    if (utf8 ? last < 0x7f : last < 0xff) {
      cut.back() = static_cast<char>(last + 1);
      return cut;
    }
    cut.pop_back();
    if (utf8) {
      while (!cut.empty() && (static_cast<uint8_t>(cut.back()) & 0xC0) == 0x80)
        cut.pop_back();
      if (!cut.empty() && static_cast<uint8_t>(cut.back()) >= 0xC0) cut.pop_back();
    }
  }
  return std::nullopt;
}

}  // namespace

ColumnChunkWriter::ColumnChunkWriter(const Field& field, const ColumnChunkWriterOptions& options)
    : field_(field), options_(options) {
  physical_ = *SchemaElementForField(field).type;
  ResetChunk();
}

void ColumnChunkWriter::ResetChunk() {
  dict_mode_ = options_.dictionary && IsVariableWidth(field_.type) && !IsArray(field_.type);
  dict_pages_ = false;
  plain_pages_ = false;
  rle_pages_ = false;
  dict_index_.clear();
  dict_plain_.clear();
  dict_count_ = 0;
  pages_.clear();
  uncompressed_bytes_ = 0;
  num_values_ = 0;
  page_stats_ = ValueStats();
  chunk_stats_ = ValueStats();
  page_records_.clear();
}

void ColumnChunkWriter::ValueStats::AddInt(int64_t x) {
  if (!has_min_max) {
    min_i = max_i = x;
    has_min_max = true;
  } else {
    if (x < min_i) min_i = x;
    if (x > max_i) max_i = x;
  }
}

void ColumnChunkWriter::ValueStats::AddDouble(double d) {
  if (!has_min_max) {
    min_d = max_d = d;
    has_min_max = true;
  } else {
    if (d < min_d) min_d = d;
    if (d > max_d) max_d = d;
  }
}

void ColumnChunkWriter::ValueStats::AddBytes(std::string_view v) {
  if (!has_min_max) {
    min_s.assign(v);
    max_s.assign(v);
    has_min_max = true;
  } else if (v < std::string_view(min_s)) {
    min_s.assign(v);
  } else if (v > std::string_view(max_s)) {
    max_s.assign(v);
  }
}

void ColumnChunkWriter::ValueStats::Merge(const ValueStats& other) {
  null_count += other.null_count;
  nan_count += other.nan_count;
  if (!other.has_min_max) return;
  if (!has_min_max) {
    has_min_max = true;
    min_i = other.min_i;
    max_i = other.max_i;
    min_d = other.min_d;
    max_d = other.max_d;
    min_s = other.min_s;
    max_s = other.max_s;
    return;
  }
  min_i = std::min(min_i, other.min_i);
  max_i = std::max(max_i, other.max_i);
  min_d = std::min(min_d, other.min_d);
  max_d = std::max(max_d, other.max_d);
  if (other.min_s < min_s) min_s = other.min_s;
  if (other.max_s > max_s) max_s = other.max_s;
}

size_t ColumnChunkWriter::PageBytes() const {
  return plain_.size() + indices_.size() * 2 + bools_.size() / 8 + defs_.size() / 8;
}

template <typename T, typename Phys>
void ColumnChunkWriter::AppendFixed(const ColumnVector& column, size_t offset, size_t count) {
  std::span<const T> values = column.values<T>();
  bool check_nulls = column.null_count() > 0;
  size_t start = plain_.size();
  plain_.resize(start + count * sizeof(Phys));
  char* dst = plain_.data() + start;
  size_t written = 0;
  for (size_t i = offset; i < offset + count; ++i) {
    if (check_nulls && column.IsNull(i)) {
      ++page_stats_.null_count;
      continue;
    }
    T v = values[i];
    Phys p = static_cast<Phys>(v);
    std::memcpy(dst + written * sizeof(Phys), &p, sizeof(Phys));
    ++written;
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(v)) {
        ++page_stats_.nan_count;
        continue;
      }
      page_stats_.AddDouble(static_cast<double>(v));
    } else {
      page_stats_.AddInt(static_cast<int64_t>(v));
    }
  }
  plain_.resize(start + written * sizeof(Phys));
}

void ColumnChunkWriter::AppendBoolean(const ColumnVector& column, size_t offset, size_t count) {
  std::span<const uint8_t> values = column.values<uint8_t>();
  for (size_t i = offset; i < offset + count; ++i) {
    if (column.IsNull(i)) {
      ++page_stats_.null_count;
      continue;
    }
    int64_t x = values[i] != 0;
    bools_.push_back(static_cast<uint8_t>(x));
    page_stats_.AddInt(x);
  }
}

void ColumnChunkWriter::AppendBytes(const ColumnVector& column, size_t offset, size_t count) {
  for (size_t i = offset; i < offset + count; ++i) {
    if (column.IsNull(i)) {
      ++page_stats_.null_count;
      continue;
    }
    std::string_view v = column.bytes(i);
    // Per occurrence, not per distinct value: a page's bounds cover every value it holds.
    page_stats_.AddBytes(v);
    if (dict_mode_) {
      // Debian's abseil has its own string_view type for heterogeneous lookup.
      auto it = dict_index_.find(absl::string_view(v.data(), v.size()));
      if (it == dict_index_.end()) {
        it = dict_index_.emplace(std::string(v), dict_count_).first;
        ++dict_count_;
        PutLe(static_cast<uint32_t>(v.size()), &dict_plain_);
        dict_plain_.append(v);
      }
      indices_.push_back(it->second);
    } else {
      PutLe(static_cast<uint32_t>(v.size()), &plain_);
      plain_.append(v);
    }
  }
}

// INTERVAL as 16 bytes (types/interval.h), without min/max: the bytes do not sort as the
// intervals do, so the chunk has no bounds to prune by.
void ColumnChunkWriter::AppendInterval(const ColumnVector& column, size_t offset, size_t count) {
  std::span<const Interval> values = column.values<Interval>();
  for (size_t i = offset; i < offset + count; ++i) {
    if (column.IsNull(i)) {
      ++page_stats_.null_count;
      continue;
    }
    AppendIntervalBytes(values[i], &plain_);
  }
}

// NUMERIC(p,s) as DECIMAL: the unscaled integer at scale s, INT32 / INT64 little-endian
// or FIXED_LEN_BYTE_ARRAY(16) big-endian two's complement (parquet_types.cc picks by p).
// Unconstrained NUMERIC as PostgreSQL's text. No min/max either way: neither is decoded
// for pruning yet.
Status ColumnChunkWriter::AppendNumeric(const ColumnVector& column, size_t offset, size_t count) {
  std::span<const Numeric> values = column.values<Numeric>();
  for (size_t i = offset; i < offset + count; ++i) {
    if (column.IsNull(i)) {
      ++page_stats_.null_count;
      continue;
    }
    if (field_.numeric_precision == 0) {
      const std::string text = FormatNumeric(values[i]);
      PutLe(static_cast<uint32_t>(text.size()), &plain_);
      plain_.append(text);
      continue;
    }
    TDB_ASSIGN_OR_RETURN(Numeric v, RescaleNumeric(values[i], field_.numeric_scale));
    if (physical_ == parquet::Type::kInt32) {
      PutLe(static_cast<uint32_t>(static_cast<int32_t>(v.unscaled)), &plain_);
    } else if (physical_ == parquet::Type::kInt64) {
      const uint64_t u = static_cast<uint64_t>(static_cast<int64_t>(v.unscaled));
      char bytes[8];
      std::memcpy(bytes, &u, 8);
      plain_.append(bytes, 8);
    } else {
      unsigned __int128 u = static_cast<unsigned __int128>(v.unscaled);
      char bytes[16];
      for (int b = 15; b >= 0; --b) {
        bytes[b] = static_cast<char>(static_cast<uint8_t>(u & 0xff));
        u >>= 8;
      }
      plain_.append(bytes, 16);
    }
  }
  return Status::Ok();
}

// Arrays as PostgreSQL's array text (parquet_types.h), PLAIN, without min/max: text
// bounds do not order arrays.
void ColumnChunkWriter::AppendArrays(const ColumnVector& column, size_t offset, size_t count) {
  const DataType element = ElementType(field_.type);
  for (size_t i = offset; i < offset + count; ++i) {
    if (column.IsNull(i)) {
      ++page_stats_.null_count;
      continue;
    }
    const std::string text = FormatArray(element, column.bytes(i));
    PutLe(static_cast<uint32_t>(text.size()), &plain_);
    plain_.append(text);
  }
}

void ColumnChunkWriter::AppendUuid(const ColumnVector& column, size_t offset, size_t count) {
  std::span<const Uuid> values = column.values<Uuid>();
  for (size_t i = offset; i < offset + count; ++i) {
    if (column.IsNull(i)) {
      ++page_stats_.null_count;
      continue;
    }
    std::string_view v(reinterpret_cast<const char*>(values[i].data()), 16);
    plain_.append(v);
    page_stats_.AddBytes(v);
  }
}

// Rows [offset, offset + n) of a scalar column into the page (Append's slices).
Status ColumnChunkWriter::AppendScalars(const ColumnVector& column, size_t offset, size_t n) {
  switch (field_.type) {
    case DataType::kBoolean:
      AppendBoolean(column, offset, n);
      break;
    case DataType::kSmallInt:
      AppendFixed<int16_t, int32_t>(column, offset, n);
      break;
    case DataType::kInt:
    case DataType::kDate:
      AppendFixed<int32_t, int32_t>(column, offset, n);
      break;
    case DataType::kBigInt:
    case DataType::kTimestamp:
    case DataType::kTimestampTz:
      AppendFixed<int64_t, int64_t>(column, offset, n);
      break;
    case DataType::kReal:
      AppendFixed<float, float>(column, offset, n);
      break;
    case DataType::kDouble:
      AppendFixed<double, double>(column, offset, n);
      break;
    case DataType::kText:
    case DataType::kBytea:
    case DataType::kJson:
      AppendBytes(column, offset, n);
      break;
    case DataType::kUuid:
      AppendUuid(column, offset, n);
      break;
    case DataType::kInterval:
      AppendInterval(column, offset, n);
      break;
    case DataType::kNumeric:
      return AppendNumeric(column, offset, n);
  }
  return Status::Ok();
}

Status ColumnChunkWriter::Append(const ColumnVector& column, size_t offset, size_t count) {
  // Work in slices so pages close near their target size.
  constexpr size_t kSlice = 512;
  while (count > 0) {
    // Pages end at page_rows values exactly, so page boundaries fall on known rows.
    size_t n = std::min({count, kSlice, options_.page_rows - page_values_});
    if (field_.nullable) {
      size_t base = defs_.size();
      defs_.resize(base + n);
      if (column.null_count() == 0) {
        std::fill(defs_.begin() + base, defs_.end(), 1);
      } else {
        for (size_t i = 0; i < n; ++i)
          defs_[base + i] = column.IsNull(offset + i) ? 0 : 1;
      }
    }
    if (IsArray(field_.type)) {
      AppendArrays(column, offset, n);
    } else {
      TDB_RETURN_IF_ERROR(AppendScalars(column, offset, n));
    }
    page_values_ += n;
    num_values_ += static_cast<int64_t>(n);
    offset += n;
    count -= n;
    if (dict_mode_ && dict_plain_.size() > options_.dictionary_max_bytes) {
      // Dictionary too large: close this page with it, write the rest PLAIN.
      TDB_RETURN_IF_ERROR(FlushPage());
      dict_mode_ = false;
    } else if (PageBytes() >= options_.page_bytes || page_values_ >= options_.page_rows) {
      TDB_RETURN_IF_ERROR(FlushPage());
    }
  }
  return Status::Ok();
}

Status ColumnChunkWriter::WritePage(parquet::PageHeader header, std::string_view body,
                                    std::string* out) {
  TDB_RETURN_IF_ERROR(CompressPage(options_.codec, options_.zstd_level, body, &compressed_));
  header.uncompressed_page_size = static_cast<int32_t>(body.size());
  header.compressed_page_size = static_cast<int32_t>(compressed_.size());
  size_t before = out->size();
  parquet::SerializePageHeader(header, out);
  uncompressed_bytes_ += static_cast<int64_t>(out->size() - before + body.size());
  out->append(compressed_);
  return Status::Ok();
}

Status ColumnChunkWriter::FlushPage() {
  if (page_values_ == 0) return Status::Ok();
  if (page_values_ > INT32_MAX || PageBytes() > INT32_MAX / 2) {
    return Status(ErrorCode::kInvalidArgument, "Parquet page too large in column " + field_.name);
  }
  const bool v2 = options_.data_page_v2;
  const size_t page_start = pages_.size();
  const int64_t first_row = num_values_ - static_cast<int64_t>(page_values_);
  levels_.clear();
  size_t non_null = page_values_;
  if (field_.nullable) {
    RleBitPackedEncode(defs_.data(), defs_.size(), 1, &levels_);
    non_null = 0;
    for (uint8_t d : defs_)
      non_null += d;
  }
  // The values section.
  parquet::Encoding encoding = parquet::Encoding::kPlain;
  scratch_.clear();
  if (dict_mode_ && !indices_.empty()) {
    encoding = parquet::Encoding::kRleDictionary;
    int width = BitWidthFor(dict_count_ - 1);
    scratch_.push_back(static_cast<char>(width));
    RleBitPackedEncode(indices_.data(), indices_.size(), width, &scratch_);
    dict_pages_ = true;
  } else if (field_.type == DataType::kBoolean && v2) {
    // v2 pages carry booleans RLE-encoded (4-byte length, then the hybrid at width 1).
    encoding = parquet::Encoding::kRle;
    scratch_.append(4, '\0');
    RleBitPackedEncode(bools_.data(), bools_.size(), 1, &scratch_);
    PutLe32(static_cast<uint32_t>(scratch_.size() - 4), scratch_.data());
    rle_pages_ = true;
  } else {
    if (field_.type == DataType::kBoolean) {
      scratch_.resize((bools_.size() + 7) / 8, '\0');
      auto* dst = reinterpret_cast<uint8_t*>(scratch_.data());
      for (size_t i = 0; i < bools_.size(); ++i) {
        dst[i >> 3] |= static_cast<uint8_t>(bools_[i] << (i & 7));
      }
    } else {
      scratch_.append(plain_);
    }
    plain_pages_ = true;
  }

  parquet::PageHeader header;
  if (!v2) {
    // v1: [4-byte length + levels] [values], all compressed together.
    page_.clear();
    if (field_.nullable) {
      page_.append(4, '\0');
      PutLe32(static_cast<uint32_t>(levels_.size()), page_.data());
      page_.append(levels_);
    }
    page_.append(scratch_);
    header.type = parquet::PageType::kDataPage;
    parquet::DataPageHeader dp;
    dp.num_values = static_cast<int32_t>(page_values_);
    dp.encoding = encoding;
    dp.definition_level_encoding = parquet::Encoding::kRle;
    dp.repetition_level_encoding = parquet::Encoding::kRle;
    header.data_page_header = dp;
    TDB_RETURN_IF_ERROR(WritePage(header, page_, &pages_));
  } else {
    // v2: levels uncompressed and without a length prefix, then the compressed values.
    header.type = parquet::PageType::kDataPageV2;
    parquet::DataPageHeaderV2 dp;
    dp.num_values = static_cast<int32_t>(page_values_);
    dp.num_nulls = static_cast<int32_t>(page_values_ - non_null);
    dp.num_rows = static_cast<int32_t>(page_values_);
    dp.encoding = encoding;
    dp.definition_levels_byte_length = static_cast<int32_t>(levels_.size());
    dp.repetition_levels_byte_length = 0;
    dp.is_compressed = options_.codec != parquet::Codec::kUncompressed;
    header.data_page_header_v2 = dp;
    TDB_RETURN_IF_ERROR(CompressPage(options_.codec, options_.zstd_level, scratch_, &compressed_));
    header.uncompressed_page_size = static_cast<int32_t>(levels_.size() + scratch_.size());
    header.compressed_page_size = static_cast<int32_t>(levels_.size() + compressed_.size());
    size_t before = pages_.size();
    parquet::SerializePageHeader(header, &pages_);
    uncompressed_bytes_ +=
        static_cast<int64_t>(pages_.size() - before) + header.uncompressed_page_size;
    pages_.append(levels_);
    pages_.append(compressed_);
  }
  page_records_.push_back(
      {page_start, static_cast<int32_t>(pages_.size() - page_start), first_row, page_stats_});
  chunk_stats_.Merge(page_stats_);
  page_stats_ = ValueStats();
  defs_.clear();
  plain_.clear();
  bools_.clear();
  indices_.clear();
  page_values_ = 0;
  return Status::Ok();
}

parquet::Statistics ColumnChunkWriter::BuildStatistics(const ValueStats& stats) const {
  const int64_t min_i_ = stats.min_i, max_i_ = stats.max_i;
  const double min_d_ = stats.min_d, max_d_ = stats.max_d;
  const std::string& min_s_ = stats.min_s;
  const std::string& max_s_ = stats.max_s;
  parquet::Statistics s;
  s.null_count = stats.null_count;
  if (field_.type == DataType::kReal || field_.type == DataType::kDouble) {
    s.nan_count = stats.nan_count;
  }
  if (!stats.has_min_max) return s;
  std::string lo, hi;
  switch (field_.type) {
    case DataType::kBoolean:
      lo.push_back(static_cast<char>(min_i_));
      hi.push_back(static_cast<char>(max_i_));
      break;
    case DataType::kSmallInt:
    case DataType::kInt:
    case DataType::kDate:
      PutLe(static_cast<int32_t>(min_i_), &lo);
      PutLe(static_cast<int32_t>(max_i_), &hi);
      break;
    case DataType::kBigInt:
    case DataType::kTimestamp:
    case DataType::kTimestampTz:
      PutLe(min_i_, &lo);
      PutLe(max_i_, &hi);
      break;
    case DataType::kReal:
    case DataType::kDouble: {
      // Zero bounds are written as -0.0 (min) and +0.0 (max), as the format asks.
      double mn = min_d_ == 0 ? -0.0 : min_d_;
      double mx = max_d_ == 0 ? 0.0 : max_d_;
      if (field_.type == DataType::kReal) {
        PutLe(static_cast<float>(mn), &lo);
        PutLe(static_cast<float>(mx), &hi);
      } else {
        PutLe(mn, &lo);
        PutLe(mx, &hi);
      }
      break;
    }
    case DataType::kText:
    case DataType::kBytea:
    case DataType::kJson: {
      bool utf8 = field_.type != DataType::kBytea;
      size_t limit = options_.statistics_max_bytes;
      lo = TruncateMin(min_s_, limit, utf8);
      s.is_min_value_exact = lo.size() == min_s_.size();
      std::optional<std::string> cut = TruncateMax(max_s_, limit, utf8);
      s.is_max_value_exact = !cut.has_value();
      hi = cut ? std::move(*cut) : max_s_;
      break;
    }
    case DataType::kUuid:
      lo = min_s_;
      hi = max_s_;
      break;
    case DataType::kInterval:
    case DataType::kNumeric:
      break;  // never has_min_max
  }
  s.min_value = std::move(lo);
  s.max_value = std::move(hi);
  return s;
}

// The ColumnIndex of the chunk's pages: a page holding only NULLs is a null page with
// empty bounds; the boundary order is what the bounds as written show. (A page of NaNs
// only has no bounds at all; Finish writes no ColumnIndex for such a chunk.)
parquet::ColumnIndex ColumnChunkWriter::BuildColumnIndex() const {
  parquet::ColumnIndex index;
  bool ascending = true, descending = true;
  const ValueStats* previous = nullptr;
  for (const PageRecord& page : page_records_) {
    const ValueStats& st = page.stats;
    index.null_counts.push_back(st.null_count);
    if (!st.has_min_max) {
      index.null_pages.push_back(true);
      index.min_values.emplace_back();
      index.max_values.emplace_back();
      continue;
    }
    parquet::Statistics bounds = BuildStatistics(st);
    index.null_pages.push_back(false);
    index.min_values.push_back(std::move(*bounds.min_value));
    index.max_values.push_back(std::move(*bounds.max_value));
    if (previous != nullptr) {
      int by_min, by_max;
      if (IsVariableWidth(field_.type) || field_.type == DataType::kUuid) {
        // Compare the bounds as written (truncated for long values), bytewise unsigned.
        by_min = index.min_values[index.min_values.size() - 2].compare(index.min_values.back());
        by_max = index.max_values[index.max_values.size() - 2].compare(index.max_values.back());
      } else if (field_.type == DataType::kReal || field_.type == DataType::kDouble) {
        by_min = previous->min_d < st.min_d ? -1 : previous->min_d > st.min_d;
        by_max = previous->max_d < st.max_d ? -1 : previous->max_d > st.max_d;
      } else {
        by_min = previous->min_i < st.min_i ? -1 : previous->min_i > st.min_i;
        by_max = previous->max_i < st.max_i ? -1 : previous->max_i > st.max_i;
      }
      ascending &= by_min <= 0 && by_max <= 0;
      descending &= by_min >= 0 && by_max >= 0;
    }
    previous = &st;
  }
  index.boundary_order = ascending    ? parquet::BoundaryOrder::kAscending
                         : descending ? parquet::BoundaryOrder::kDescending
                                      : parquet::BoundaryOrder::kUnordered;
  return index;
}

Status ColumnChunkWriter::Finish(int64_t file_offset, std::string* out, parquet::ColumnChunk* meta,
                                 std::optional<parquet::OffsetIndex>* offset_index,
                                 std::optional<parquet::ColumnIndex>* column_index) {
  TDB_RETURN_IF_ERROR(FlushPage());
  size_t chunk_start = out->size();
  parquet::ColumnMetaData m;
  m.type = physical_;
  m.path_in_schema = {field_.name};
  m.codec = options_.codec;
  m.num_values = num_values_;
  if (dict_pages_) {
    parquet::PageHeader header;
    header.type = parquet::PageType::kDictionaryPage;
    parquet::DictionaryPageHeader dh;
    dh.num_values = static_cast<int32_t>(dict_count_);
    dh.encoding = parquet::Encoding::kPlain;
    header.dictionary_page_header = dh;
    TDB_RETURN_IF_ERROR(WritePage(header, dict_plain_, out));
    m.dictionary_page_offset = file_offset;
  }
  m.data_page_offset = file_offset + static_cast<int64_t>(out->size() - chunk_start);
  if (options_.page_index && offset_index != nullptr) {
    parquet::OffsetIndex& oi = offset_index->emplace();
    for (const PageRecord& page : page_records_) {
      oi.page_locations.push_back(
          {m.data_page_offset + static_cast<int64_t>(page.offset), page.size, page.first_row});
    }
  }
  if (options_.page_index && options_.statistics && column_index != nullptr) {
    // Pages with NaNs only have no usable bounds; an index must bound every non-null page.
    // INTERVAL pages have no bounds at all.
    bool usable = field_.type != DataType::kInterval && field_.type != DataType::kNumeric &&
                  !IsArray(field_.type);
    for (const PageRecord& page : page_records_)
      usable &= page.stats.has_min_max || page.stats.nan_count == 0;
    if (usable) *column_index = BuildColumnIndex();
  }
  out->append(pages_);
  m.total_compressed_size = static_cast<int64_t>(out->size() - chunk_start);
  m.total_uncompressed_size = uncompressed_bytes_;
  m.encodings.push_back(parquet::Encoding::kPlain);
  if (field_.nullable) m.encodings.push_back(parquet::Encoding::kRle);
  if (dict_pages_) m.encodings.push_back(parquet::Encoding::kRleDictionary);
  if (rle_pages_ && !field_.nullable) m.encodings.push_back(parquet::Encoding::kRle);
  if (options_.statistics) m.statistics = BuildStatistics(chunk_stats_);
  meta->file_path.reset();
  meta->file_offset = 0;  // deprecated; 0 when no metadata is written outside the footer
  meta->meta_data = std::move(m);
  ResetChunk();
  return Status::Ok();
}

}  // namespace tenantdb
