#include "storage/cold/column_chunk_reader.h"

#include <cstring>

#include "storage/cold/compression.h"
#include "storage/cold/delta_encoding.h"
#include "storage/cold/rle_bitpacked.h"
#include "types/array_value.h"
#include "types/interval.h"
#include "types/numeric.h"

namespace tenantdb {

using parquet::Encoding;
using parquet::Type;

namespace {

Status Corrupt(const ParquetColumnInfo& c, const std::string& what) {
  return Status(ErrorCode::kCorruption, "Parquet column " + c.name + ": " + what);
}

Status Unsupported(const ParquetColumnInfo& c, const std::string& what) {
  return Status(ErrorCode::kInvalidArgument,
                "Parquet column " + c.name + " uses " + what + ", which tenantdb cannot read");
}

// Julian day number of 1970-01-01.
constexpr int64_t kJulianEpochDay = 2440588;

// Pages claiming more values are rejected: real writers close pages near 1 MiB, and the
// bound keeps a damaged header from forcing multi-gigabyte scratch allocations.
constexpr size_t kMaxPageValues = size_t{1} << 27;

}  // namespace

const uint8_t* ColumnChunkReader::Decompress(const uint8_t* data, size_t size, size_t uncompressed,
                                             std::string* buffer, Status* status) {
  if (codec_ == parquet::Codec::kUncompressed) {
    if (size != uncompressed) {
      *status = Corrupt(*column_, "uncompressed page sizes disagree");
      return nullptr;
    }
    return data;
  }
  *status = CheckUncompressedSize(codec_, data, size, uncompressed);
  if (!status->ok()) return nullptr;
  buffer->resize(uncompressed);
  auto* out = reinterpret_cast<uint8_t*>(buffer->data());
  *status = DecompressPage(codec_, data, size, out, uncompressed);
  return status->ok() ? out : nullptr;
}

template <typename Phys>
Status ColumnChunkReader::DecodeFixed(Encoding encoding, const uint8_t* data, size_t size, size_t n,
                                      std::vector<Phys>* values, const std::vector<Phys>& dict) {
  // Checked before sizing the output: a damaged header must not buy a large allocation.
  if ((encoding == Encoding::kPlain || encoding == Encoding::kByteStreamSplit) &&
      size / sizeof(Phys) < n) {
    return Corrupt(*column_, parquet::EncodingName(encoding) + " page shorter than its values");
  }
  values->resize(n);
  switch (encoding) {
    case Encoding::kPlain:
      if (n > 0) std::memcpy(values->data(), data, n * sizeof(Phys));
      return Status::Ok();
    case Encoding::kPlainDictionary:
    case Encoding::kRleDictionary: {
      TDB_RETURN_IF_ERROR(DecodeIndices(data, size, n));
      const Phys* d = dict.data();
      Phys* out = values->data();
      for (size_t i = 0; i < n; ++i)
        out[i] = d[indices_[i]];
      return Status::Ok();
    }
    case Encoding::kByteStreamSplit:
      return DecodeByteStreamSplit(data, size, n, sizeof(Phys),
                                   reinterpret_cast<uint8_t*>(values->data()));
    case Encoding::kDeltaBinaryPacked:
      if constexpr (std::is_integral_v<Phys>) {
        size_t used{};
        TDB_RETURN_IF_ERROR(DecodeDeltaBinaryPacked(data, size, n, &delta_, &used));
        if (delta_.size() != n) return Corrupt(*column_, "DELTA_BINARY_PACKED value count");
        for (size_t i = 0; i < n; ++i)
          (*values)[i] = static_cast<Phys>(delta_[i]);
        return Status::Ok();
      }
      break;
    default:
      break;
  }
  return Unsupported(*column_, parquet::EncodingName(encoding) + " encoding for " +
                                   parquet::TypeName(column_->physical));
}

Status ColumnChunkReader::DecodeIndices(const uint8_t* data, size_t size, size_t n) {
  if (!has_dict_) return Corrupt(*column_, "dictionary-encoded page without a dictionary page");
  indices_.resize(n);
  if (n == 0) return Status::Ok();
  if (size < 1) return Corrupt(*column_, "dictionary page data without a bit width");
  int width = data[0];
  if (width > 32) return Corrupt(*column_, "dictionary index bit width over 32");
  RleBitPackedDecoder dec(data + 1, size - 1, width);
  TDB_RETURN_IF_ERROR(dec.GetBatch(indices_.data(), n));
  // One pass to validate keeps the gather loops branch-free.
  uint32_t bad = 0;
  for (size_t i = 0; i < n; ++i)
    bad |= static_cast<uint32_t>(indices_[i] >= dict_size_);
  if (bad) return Corrupt(*column_, "dictionary index out of range");
  return Status::Ok();
}

Status ColumnChunkReader::DecodeBytes(Encoding encoding, const uint8_t* data, size_t size,
                                      size_t n) {
  bytes_.clear();
  bool fixed = column_->physical == Type::kFixedLenByteArray;
  auto width = static_cast<size_t>(column_->type_length);
  switch (encoding) {
    case Encoding::kPlain: {
      bytes_.reserve(n);
      if (fixed) {
        if (size / width < n) return Corrupt(*column_, "PLAIN page shorter than its values");
        for (size_t i = 0; i < n; ++i) {
          bytes_.emplace_back(reinterpret_cast<const char*>(data + i * width), width);
        }
        return Status::Ok();
      }
      size_t pos = 0;
      for (size_t i = 0; i < n; ++i) {
        if (size - pos < 4) return Corrupt(*column_, "PLAIN page shorter than its values");
        uint32_t len{};
        std::memcpy(&len, data + pos, 4);
        pos += 4;
        if (len > size - pos) return Corrupt(*column_, "byte array length beyond the page");
        bytes_.emplace_back(reinterpret_cast<const char*>(data + pos), len);
        pos += len;
      }
      return Status::Ok();
    }
    case Encoding::kPlainDictionary:
    case Encoding::kRleDictionary: {
      TDB_RETURN_IF_ERROR(DecodeIndices(data, size, n));
      bytes_.resize(n);
      const std::string_view* d = dict_bytes_.data();
      for (size_t i = 0; i < n; ++i)
        bytes_[i] = d[indices_[i]];
      return Status::Ok();
    }
    case Encoding::kDeltaLengthByteArray:
      if (fixed) break;
      TDB_RETURN_IF_ERROR(DecodeDeltaLengthByteArray(data, size, n, &bytes_));
      if (bytes_.size() != n) return Corrupt(*column_, "DELTA_LENGTH_BYTE_ARRAY value count");
      return Status::Ok();
    case Encoding::kDeltaByteArray:
      TDB_RETURN_IF_ERROR(DecodeDeltaByteArray(data, size, n, &arena_, &bytes_));
      if (bytes_.size() != n) return Corrupt(*column_, "DELTA_BYTE_ARRAY value count");
      return Status::Ok();
    case Encoding::kByteStreamSplit:
      if (!fixed) break;
      if (size / width < n)
        return Corrupt(*column_, "BYTE_STREAM_SPLIT page shorter than its values");
      arena_.resize(n * width);
      TDB_RETURN_IF_ERROR(
          DecodeByteStreamSplit(data, size, n, width, reinterpret_cast<uint8_t*>(arena_.data())));
      bytes_.reserve(n);
      for (size_t i = 0; i < n; ++i)
        bytes_.emplace_back(arena_.data() + i * width, width);
      return Status::Ok();
    default:
      break;
  }
  return Unsupported(*column_, parquet::EncodingName(encoding) + " encoding for " +
                                   parquet::TypeName(column_->physical));
}

Status ColumnChunkReader::DecodeValues(Encoding encoding, const uint8_t* data, size_t size,
                                       size_t n) {
  switch (column_->physical) {
    case Type::kBoolean:
      bool_.resize(n);
      if (encoding == Encoding::kPlain) {
        if (size * 8 < n) return Corrupt(*column_, "PLAIN page shorter than its values");
        UnpackBits(data, size, 0, 1, n, bool_.data());
        return Status::Ok();
      }
      if (encoding == Encoding::kRle) {
        // RLE booleans carry a 4-byte length, like v1 levels.
        if (size < 4) return Corrupt(*column_, "RLE boolean page without a length");
        uint32_t len{};
        std::memcpy(&len, data, 4);
        if (len > size - 4) return Corrupt(*column_, "RLE boolean length beyond the page");
        RleBitPackedDecoder dec(data + 4, len, 1);
        return dec.GetBatch(bool_.data(), n);
      }
      if (encoding == Encoding::kPlainDictionary || encoding == Encoding::kRleDictionary) {
        TDB_RETURN_IF_ERROR(DecodeIndices(data, size, n));
        for (size_t i = 0; i < n; ++i)
          bool_[i] = dict_bool_[indices_[i]];
        return Status::Ok();
      }
      return Unsupported(*column_, parquet::EncodingName(encoding) + " encoding for BOOLEAN");
    case Type::kInt32:
      return DecodeFixed(encoding, data, size, n, &i32_, dict_i32_);
    case Type::kInt64:
      return DecodeFixed(encoding, data, size, n, &i64_, dict_i64_);
    case Type::kFloat:
      return DecodeFixed(encoding, data, size, n, &f32_, dict_f32_);
    case Type::kDouble:
      return DecodeFixed(encoding, data, size, n, &f64_, dict_f64_);
    case Type::kInt96: {
      i64_.resize(n);
      if (encoding == Encoding::kPlainDictionary || encoding == Encoding::kRleDictionary) {
        TDB_RETURN_IF_ERROR(DecodeIndices(data, size, n));
        for (size_t i = 0; i < n; ++i)
          i64_[i] = dict_i64_[indices_[i]];
        return Status::Ok();
      }
      if (encoding != Encoding::kPlain) {
        return Unsupported(*column_, parquet::EncodingName(encoding) + " encoding for INT96");
      }
      if (size / 12 < n) return Corrupt(*column_, "PLAIN page shorter than its values");
      for (size_t i = 0; i < n; ++i) {
        int64_t nanos{};
        int32_t day{};
        std::memcpy(&nanos, data + i * 12, 8);
        std::memcpy(&day, data + i * 12 + 8, 4);
        // Unsigned arithmetic: damaged values wrap instead of overflowing.
        i64_[i] = static_cast<int64_t>(
            static_cast<uint64_t>(static_cast<int64_t>(day) - kJulianEpochDay) * kMicrosPerDay +
            static_cast<uint64_t>(nanos / 1000));
      }
      return Status::Ok();
    }
    case Type::kByteArray:
    case Type::kFixedLenByteArray:
      return DecodeBytes(encoding, data, size, n);
  }
  return Unsupported(*column_, parquet::TypeName(column_->physical));
}

namespace {

// Appends vals[0..nn) to the rows of a page of n rows: row i gets the next value when
// defs[i] is 1 and NULL when it is 0 (defs == nullptr: no NULLs).
template <typename T, typename AppendFn>
void Scatter(size_t n, const uint8_t* defs, const T* vals, ColumnVector* out, AppendFn append) {
  if (defs == nullptr) {
    for (size_t i = 0; i < n; ++i)
      append(vals[i]);
    return;
  }
  size_t k = 0;
  for (size_t i = 0; i < n; ++i) {
    if (defs[i]) {
      append(vals[k++]);
    } else {
      out->AppendNull();
    }
  }
}

// Scatter into a fixed-width column's storage (type Stored) in bulk: every row written
// through ColumnVector::AppendValid, the NULL ones then cleared.
template <typename Stored, typename T, typename Convert>
void ScatterFixed(size_t n, const uint8_t* defs, const T* vals, ColumnVector* out,
                  Convert convert) {
  const size_t base = out->size();
  std::span<Stored> dst = out->AppendValid<Stored>(n);
  if (defs == nullptr) {
    for (size_t i = 0; i < n; ++i)
      dst[i] = convert(vals[i]);
    return;
  }
  size_t k = 0;
  for (size_t i = 0; i < n; ++i) {
    if (defs[i]) {
      dst[i] = convert(vals[k++]);
    } else {
      out->SetNull<Stored>(base + i);
    }
  }
}

// Integers (BOOLEAN, SMALLINT, INT, DATE, BIGINT, TIMESTAMP[TZ]) as AppendInt64 stores
// them, `convert` giving each value as an int64_t.
template <typename T, typename Convert>
void ScatterInteger(size_t n, const uint8_t* defs, const T* vals, ColumnVector* out,
                    Convert convert) {
  switch (out->type()) {
    case DataType::kBoolean:
      return ScatterFixed<uint8_t>(n, defs, vals, out,
                                   [&](T v) { return static_cast<uint8_t>(convert(v) != 0); });
    case DataType::kSmallInt:
      return ScatterFixed<int16_t>(n, defs, vals, out,
                                   [&](T v) { return static_cast<int16_t>(convert(v)); });
    case DataType::kInt:
    case DataType::kDate:
      return ScatterFixed<int32_t>(n, defs, vals, out,
                                   [&](T v) { return static_cast<int32_t>(convert(v)); });
    default:
      return ScatterFixed<int64_t>(n, defs, vals, out,
                                   [&](T v) { return static_cast<int64_t>(convert(v)); });
  }
}

template <typename T>
void ScatterFloating(size_t n, const uint8_t* defs, const T* vals, ColumnVector* out) {
  if (out->type() == DataType::kReal) {
    return ScatterFixed<float>(n, defs, vals, out, [](T v) { return static_cast<float>(v); });
  }
  ScatterFixed<double>(n, defs, vals, out, [](T v) { return static_cast<double>(v); });
}

}  // namespace

// A NUMERIC column's values: DECIMAL's unscaled integers (INT32, INT64, or big-endian
// two's complement bytes) at the column's scale, or, for tenantdb's unconstrained
// NUMERIC, PostgreSQL's text.
Status ColumnChunkReader::EmitNumeric(size_t n, const uint8_t* defs, ColumnVector* out) {
  const int scale = column_->decimal_scale;
  size_t present = n;  // values decoded: the non-NULL rows
  if (defs != nullptr) {
    present = 0;
    for (size_t i = 0; i < n; ++i)
      present += defs[i] != 0;
  }
  std::vector<Numeric> values;
  values.reserve(present);
  switch (column_->physical) {
    case Type::kInt32:
      if (i32_.size() < present) return Corrupt(*column_, "fewer values than rows");
      for (size_t i = 0; i < present; ++i)
        values.push_back(Numeric{i32_[i], scale});
      break;
    case Type::kInt64:
      if (i64_.size() < present) return Corrupt(*column_, "fewer values than rows");
      for (size_t i = 0; i < present; ++i)
        values.push_back(Numeric{i64_[i], scale});
      break;
    case Type::kByteArray:
    case Type::kFixedLenByteArray:
      if (bytes_.size() < present) return Corrupt(*column_, "fewer values than rows");
      for (size_t i = 0; i < present; ++i) {
        const std::string_view v = bytes_[i];
        if (column_->decimal_precision == 0) {
          Result<Numeric> parsed = ParseNumeric(v);
          if (!parsed.ok()) return Corrupt(*column_, "NUMERIC value that does not parse");
          values.push_back(*parsed);
          continue;
        }
        if (v.empty() || v.size() > 16) return Corrupt(*column_, "DECIMAL value of a bad size");
        // Sign-extend from the first byte, then shift in the rest.
        unsigned __int128 u =
            static_cast<int8_t>(v[0]) < 0 ? ~static_cast<unsigned __int128>(0) : 0;
        for (char c : v)
          u = (u << 8) | static_cast<uint8_t>(c);
        values.push_back(Numeric{static_cast<__int128>(u), scale});
      }
      break;
    default:
      return Unsupported(*column_, "NUMERIC from " + parquet::TypeName(column_->physical));
  }
  const __int128 limit = NumericPow10(kNumericMaxPrecision);
  for (const Numeric& v : values) {
    if (v.unscaled <= -limit || v.unscaled >= limit) {
      return Corrupt(*column_, "DECIMAL value past 38 digits");
    }
  }
  ScatterFixed<Numeric>(n, defs, values.data(), out, [](const Numeric& v) { return v; });
  return Status::Ok();
}

// An array column's values: PostgreSQL's array text as tenantdb writes it.
Status ColumnChunkReader::EmitArray(size_t n, const uint8_t* defs, ColumnVector* out) {
  size_t present = n;
  if (defs != nullptr) {
    present = 0;
    for (size_t i = 0; i < n; ++i)
      present += defs[i] != 0;
  }
  if (column_->physical != Type::kByteArray) {
    return Unsupported(*column_, "arrays from " + parquet::TypeName(column_->physical));
  }
  if (bytes_.size() < present) return Corrupt(*column_, "fewer values than rows");
  std::vector<std::string> values;
  values.reserve(present);
  for (size_t i = 0; i < present; ++i) {
    Result<std::string> encoded = ParseFormattedArray(ElementType(out->type()), bytes_[i]);
    if (!encoded.ok()) return Corrupt(*column_, std::string(encoded.status().message()));
    values.push_back(std::move(*encoded));
  }
  Scatter(n, defs, values.data(), out, [out](const std::string& v) { out->AppendBytes(v); });
  return Status::Ok();
}

Status ColumnChunkReader::Emit(size_t n, const uint8_t* defs, ColumnVector* out) {
  if (out->type() == DataType::kNumeric) return EmitNumeric(n, defs, out);
  if (IsArray(out->type())) return EmitArray(n, defs, out);
  ParquetConversion conv = column_->conversion;
  switch (column_->physical) {
    case Type::kBoolean:
      ScatterInteger(n, defs, bool_.data(), out, [](uint8_t v) { return int64_t{v}; });
      break;
    case Type::kInt32:
      if (conv == ParquetConversion::kUint32ToInt64) {
        ScatterInteger(n, defs, i32_.data(), out,
                       [](int32_t v) { return int64_t{static_cast<uint32_t>(v)}; });
      } else {
        ScatterInteger(n, defs, i32_.data(), out, [](int32_t v) { return int64_t{v}; });
      }
      break;
    case Type::kInt64:
    case Type::kInt96:
      if (conv == ParquetConversion::kMillisToMicros) {
        ScatterInteger(n, defs, i64_.data(), out, [](int64_t v) { return MillisToMicros(v); });
      } else if (conv == ParquetConversion::kNanosToMicros) {
        ScatterInteger(n, defs, i64_.data(), out, [](int64_t v) { return NanosToMicros(v); });
      } else {
        ScatterInteger(n, defs, i64_.data(), out, [](int64_t v) { return v; });
      }
      break;
    case Type::kFloat:
      ScatterFloating(n, defs, f32_.data(), out);
      break;
    case Type::kDouble:
      ScatterFloating(n, defs, f64_.data(), out);
      break;
    case Type::kByteArray:
    case Type::kFixedLenByteArray:
      if (out->type() == DataType::kUuid) {
        for (const std::string_view& v : bytes_) {
          if (v.size() != 16) return Corrupt(*column_, "UUID value not 16 bytes");
        }
        Scatter(n, defs, bytes_.data(), out, [out](std::string_view v) {
          Uuid u;
          std::memcpy(u.data(), v.data(), 16);
          out->AppendUuid(u);
        });
      } else if (out->type() == DataType::kInterval) {
        for (const std::string_view& v : bytes_) {
          if (v.size() != kIntervalBytes) return Corrupt(*column_, "INTERVAL value not 16 bytes");
        }
        Scatter(n, defs, bytes_.data(), out,
                [out](std::string_view v) { out->AppendInterval(IntervalFromBytes(v.data())); });
      } else {
        Scatter(n, defs, bytes_.data(), out, [out](std::string_view v) { out->AppendBytes(v); });
      }
      break;
  }
  return Status::Ok();
}

Status ColumnChunkReader::ReadDictionary(const parquet::PageHeader& header, const uint8_t* body) {
  if (has_dict_) return Corrupt(*column_, "two dictionary pages in one column chunk");
  const parquet::DictionaryPageHeader& dh = *header.dictionary_page_header;
  if (dh.encoding != Encoding::kPlain && dh.encoding != Encoding::kPlainDictionary) {
    return Unsupported(*column_, parquet::EncodingName(dh.encoding) + " dictionary page");
  }
  if (dh.num_values < 0) return Corrupt(*column_, "negative dictionary size");
  Status st;
  // Decompress into the dictionary's own buffer: byte-array entries point into it.
  const uint8_t* page =
      Decompress(body, static_cast<size_t>(header.compressed_page_size),
                 static_cast<size_t>(header.uncompressed_page_size), &dict_buffer_, &st);
  if (page == nullptr) return st;
  auto size = static_cast<size_t>(header.uncompressed_page_size);
  auto n = static_cast<size_t>(dh.num_values);
  // Every entry takes at least one byte (booleans: one bit).
  if (column_->physical != Type::kBoolean && n > size) {
    return Corrupt(*column_, "dictionary larger than its page");
  }
  TDB_RETURN_IF_ERROR(DecodeValues(Encoding::kPlain, page, size, n));
  dict_size_ = n;
  switch (column_->physical) {
    case Type::kBoolean:
      dict_bool_ = bool_;
      break;
    case Type::kInt32:
      dict_i32_ = i32_;
      break;
    case Type::kInt64:
    case Type::kInt96:
      dict_i64_ = i64_;
      break;
    case Type::kFloat:
      dict_f32_ = f32_;
      break;
    case Type::kDouble:
      dict_f64_ = f64_;
      break;
    case Type::kByteArray:
    case Type::kFixedLenByteArray:
      dict_bytes_ = bytes_;
      break;
  }
  has_dict_ = true;
  return Status::Ok();
}

Status ColumnChunkReader::ReadDataPage(const parquet::PageHeader& header, const uint8_t* body,
                                       size_t max_values, size_t* values_read, ColumnVector* out) {
  auto compressed = static_cast<size_t>(header.compressed_page_size);
  auto uncompressed = static_cast<size_t>(header.uncompressed_page_size);
  const uint8_t* values;
  size_t values_size{};
  size_t n{};
  Encoding encoding;
  const uint8_t* def_data = nullptr;
  size_t def_size = 0;
  size_t declared_nulls = SIZE_MAX;
  Status st;
  if (header.type == parquet::PageType::kDataPage) {
    if (!header.data_page_header) return Corrupt(*column_, "DATA_PAGE without its header");
    const parquet::DataPageHeader& dp = *header.data_page_header;
    if (dp.num_values < 0 || static_cast<size_t>(dp.num_values) > max_values ||
        static_cast<size_t>(dp.num_values) > kMaxPageValues) {
      return Corrupt(*column_, "page holds more values than the row group");
    }
    n = static_cast<size_t>(dp.num_values);
    encoding = dp.encoding;
    const uint8_t* page = Decompress(body, compressed, uncompressed, &page_buffer_, &st);
    if (page == nullptr) return st;
    values = page;
    values_size = uncompressed;
    if (column_->optional) {
      if (dp.definition_level_encoding != Encoding::kRle) {
        return Unsupported(
            *column_, parquet::EncodingName(dp.definition_level_encoding) + " definition levels");
      }
      if (values_size < 4) return Corrupt(*column_, "page too short for its definition levels");
      uint32_t len{};
      std::memcpy(&len, values, 4);
      if (len > values_size - 4) return Corrupt(*column_, "definition levels beyond the page");
      def_data = values + 4;
      def_size = len;
      values += 4 + len;
      values_size -= 4 + len;
    }
  } else {
    if (!header.data_page_header_v2) return Corrupt(*column_, "DATA_PAGE_V2 without its header");
    const parquet::DataPageHeaderV2& dp = *header.data_page_header_v2;
    if (dp.num_values < 0 || static_cast<size_t>(dp.num_values) > max_values ||
        static_cast<size_t>(dp.num_values) > kMaxPageValues || dp.num_nulls < 0 ||
        dp.num_nulls > dp.num_values) {
      return Corrupt(*column_, "page value counts out of range");
    }
    if (dp.repetition_levels_byte_length < 0 || dp.definition_levels_byte_length < 0) {
      return Corrupt(*column_, "negative level lengths");
    }
    n = static_cast<size_t>(dp.num_values);
    declared_nulls = static_cast<size_t>(dp.num_nulls);
    encoding = dp.encoding;
    auto levels = static_cast<size_t>(dp.repetition_levels_byte_length) +
                  static_cast<size_t>(dp.definition_levels_byte_length);
    if (levels > compressed || levels > uncompressed) {
      return Corrupt(*column_, "levels larger than the page");
    }
    def_data = body + dp.repetition_levels_byte_length;
    def_size = static_cast<size_t>(dp.definition_levels_byte_length);
    if (dp.is_compressed && codec_ != parquet::Codec::kUncompressed) {
      values =
          Decompress(body + levels, compressed - levels, uncompressed - levels, &page_buffer_, &st);
      if (values == nullptr) return st;
    } else {
      if (compressed != uncompressed) return Corrupt(*column_, "uncompressed page sizes disagree");
      values = body + levels;
    }
    values_size = uncompressed - levels;
    if (!column_->optional) def_data = nullptr;
  }
  ++pages_read_;

  size_t non_null = n;
  const uint8_t* defs = nullptr;
  if (column_->optional && def_data != nullptr) {
    defs_.resize(n);
    RleBitPackedDecoder dec(def_data, def_size, 1);
    TDB_RETURN_IF_ERROR(dec.GetBatch(defs_.data(), n));
    size_t ones = 0;
    for (size_t i = 0; i < n; ++i)
      ones += defs_[i];
    non_null = ones;
    if (non_null != n) defs = defs_.data();  // all present: take the no-NULL path
  }
  if (declared_nulls != SIZE_MAX && declared_nulls != n - non_null) {
    return Corrupt(*column_, "null count disagrees with the definition levels");
  }
  TDB_RETURN_IF_ERROR(DecodeValues(encoding, values, values_size, non_null));
  TDB_RETURN_IF_ERROR(Emit(n, defs, out));
  *values_read = n;
  return Status::Ok();
}

Status ColumnChunkReader::Read(const ParquetColumnInfo& column, parquet::Codec codec,
                               const uint8_t* data, size_t size, int64_t num_rows,
                               ColumnVector* out) {
  column_ = &column;
  codec_ = codec;
  has_dict_ = false;
  dict_size_ = 0;
  auto want = static_cast<size_t>(num_rows);
  // Reserve at most a million rows up front: the row count comes from the file.
  out->Reserve(out->size() + std::min<size_t>(want, size_t{1} << 20));
  size_t have = 0;
  size_t pos = 0;
  while (have < want) {
    if (pos >= size) {
      return Corrupt(column, "column chunk ends after " + std::to_string(have) + " of " +
                                 std::to_string(want) + " values");
    }
    size_t used = 0;
    TDB_ASSIGN_OR_RETURN(parquet::PageHeader header,
                         parquet::ParsePageHeader(data + pos, size - pos, &used));
    pos += used;
    auto compressed = static_cast<size_t>(header.compressed_page_size);
    if (compressed > size - pos) return Corrupt(column, "page extends past its column chunk");
    const uint8_t* body = data + pos;
    pos += compressed;
    switch (header.type) {
      case parquet::PageType::kDictionaryPage:
        if (!header.dictionary_page_header) {
          return Corrupt(column, "DICTIONARY_PAGE without its header");
        }
        TDB_RETURN_IF_ERROR(ReadDictionary(header, body));
        break;
      case parquet::PageType::kDataPage:
      case parquet::PageType::kDataPageV2: {
        size_t n = 0;
        TDB_RETURN_IF_ERROR(ReadDataPage(header, body, want - have, &n, out));
        have += n;
        break;
      }
      default:
        break;  // index pages and unknown page types carry no values
    }
  }
  return Status::Ok();
}

}  // namespace tenantdb
