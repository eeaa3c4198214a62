#include "storage/cold/column_chunk_writer.h"

#include <cmath>
#include <cstring>

#include "storage/cold/compression.h"
#include "storage/cold/parquet_types.h"
#include "storage/cold/rle_bitpacked.h"

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
  dict_mode_ = options_.dictionary && IsVariableWidth(field_.type);
  dict_pages_ = false;
  plain_pages_ = false;
  rle_pages_ = false;
  dict_index_.clear();
  dict_plain_.clear();
  dict_count_ = 0;
  pages_.clear();
  uncompressed_bytes_ = 0;
  num_values_ = 0;
  null_count_ = 0;
  nan_count_ = 0;
  has_min_max_ = false;
  min_s_.clear();
  max_s_.clear();
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
      ++null_count_;
      continue;
    }
    T v = values[i];
    Phys p = static_cast<Phys>(v);
    std::memcpy(dst + written * sizeof(Phys), &p, sizeof(Phys));
    ++written;
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(v)) {
        ++nan_count_;
        continue;
      }
      double d = static_cast<double>(v);
      if (!has_min_max_) {
        min_d_ = max_d_ = d;
        has_min_max_ = true;
      } else {
        if (d < min_d_) min_d_ = d;
        if (d > max_d_) max_d_ = d;
      }
    } else {
      auto x = static_cast<int64_t>(v);
      if (!has_min_max_) {
        min_i_ = max_i_ = x;
        has_min_max_ = true;
      } else {
        if (x < min_i_) min_i_ = x;
        if (x > max_i_) max_i_ = x;
      }
    }
  }
  plain_.resize(start + written * sizeof(Phys));
}

void ColumnChunkWriter::AppendBoolean(const ColumnVector& column, size_t offset, size_t count) {
  std::span<const uint8_t> values = column.values<uint8_t>();
  for (size_t i = offset; i < offset + count; ++i) {
    if (column.IsNull(i)) {
      ++null_count_;
      continue;
    }
    int64_t x = values[i] != 0;
    bools_.push_back(static_cast<uint8_t>(x));
    if (!has_min_max_) {
      min_i_ = max_i_ = x;
      has_min_max_ = true;
    } else {
      min_i_ = std::min(min_i_, x);
      max_i_ = std::max(max_i_, x);
    }
  }
}

void ColumnChunkWriter::UpdateBytesStats(std::string_view v) {
  if (!has_min_max_) {
    min_s_.assign(v);
    max_s_.assign(v);
    has_min_max_ = true;
  } else if (v < std::string_view(min_s_)) {
    min_s_.assign(v);
  } else if (v > std::string_view(max_s_)) {
    max_s_.assign(v);
  }
}

void ColumnChunkWriter::AppendBytes(const ColumnVector& column, size_t offset, size_t count) {
  for (size_t i = offset; i < offset + count; ++i) {
    if (column.IsNull(i)) {
      ++null_count_;
      continue;
    }
    std::string_view v = column.bytes(i);
    if (dict_mode_) {
      // Debian's abseil has its own string_view type for heterogeneous lookup.
      auto it = dict_index_.find(absl::string_view(v.data(), v.size()));
      if (it == dict_index_.end()) {
        it = dict_index_.emplace(std::string(v), dict_count_).first;
        ++dict_count_;
        PutLe(static_cast<uint32_t>(v.size()), &dict_plain_);
        dict_plain_.append(v);
        UpdateBytesStats(v);  // each distinct value once
      }
      indices_.push_back(it->second);
    } else {
      PutLe(static_cast<uint32_t>(v.size()), &plain_);
      plain_.append(v);
      UpdateBytesStats(v);
    }
  }
}

void ColumnChunkWriter::AppendUuid(const ColumnVector& column, size_t offset, size_t count) {
  std::span<const Uuid> values = column.values<Uuid>();
  for (size_t i = offset; i < offset + count; ++i) {
    if (column.IsNull(i)) {
      ++null_count_;
      continue;
    }
    std::string_view v(reinterpret_cast<const char*>(values[i].data()), 16);
    plain_.append(v);
    UpdateBytesStats(v);
  }
}

Status ColumnChunkWriter::Append(const ColumnVector& column, size_t offset, size_t count) {
  // Work in slices so pages close near their target size.
  constexpr size_t kSlice = 512;
  while (count > 0) {
    size_t n = std::min(count, kSlice);
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
    }
    page_values_ += n;
    num_values_ += static_cast<int64_t>(n);
    offset += n;
    count -= n;
    if (dict_mode_ && dict_plain_.size() > options_.dictionary_max_bytes) {
      // Dictionary too large: close this page with it, write the rest PLAIN.
      TDB_RETURN_IF_ERROR(FlushPage());
      dict_mode_ = false;
    } else if (PageBytes() >= options_.page_bytes) {
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
  defs_.clear();
  plain_.clear();
  bools_.clear();
  indices_.clear();
  page_values_ = 0;
  return Status::Ok();
}

parquet::Statistics ColumnChunkWriter::BuildStatistics() const {
  parquet::Statistics s;
  s.null_count = null_count_;
  if (field_.type == DataType::kReal || field_.type == DataType::kDouble) s.nan_count = nan_count_;
  if (!has_min_max_) return s;
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
  }
  s.min_value = std::move(lo);
  s.max_value = std::move(hi);
  return s;
}

Status ColumnChunkWriter::Finish(int64_t file_offset, std::string* out,
                                 parquet::ColumnChunk* meta) {
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
  out->append(pages_);
  m.total_compressed_size = static_cast<int64_t>(out->size() - chunk_start);
  m.total_uncompressed_size = uncompressed_bytes_;
  m.encodings.push_back(parquet::Encoding::kPlain);
  if (field_.nullable) m.encodings.push_back(parquet::Encoding::kRle);
  if (dict_pages_) m.encodings.push_back(parquet::Encoding::kRleDictionary);
  if (rle_pages_ && !field_.nullable) m.encodings.push_back(parquet::Encoding::kRle);
  if (options_.statistics) m.statistics = BuildStatistics();
  meta->file_path.reset();
  meta->file_offset = 0;  // deprecated; 0 when no metadata is written outside the footer
  meta->meta_data = std::move(m);
  ResetChunk();
  return Status::Ok();
}

}  // namespace tenantdb
