// The Parquet file-format metadata structures (parquet.thrift) that tenantdb reads and
// writes, and their Thrift compact (de)serialization.
//
// Only fields tenantdb uses are kept; unknown fields are skipped on read, so files from
// newer writers still parse. Enum-typed fields keep whatever integer the file holds
// (values outside the enumerators are possible and handled by the callers as
// "unsupported"). Parse functions validate that required fields are present and return
// kCorruption otherwise.
//
// Thread safety: plain value types and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace tenantdb::parquet {

inline constexpr char kMagic[4] = {'P', 'A', 'R', '1'};

enum class Type : int32_t {
  kBoolean = 0,
  kInt32 = 1,
  kInt64 = 2,
  kInt96 = 3,
  kFloat = 4,
  kDouble = 5,
  kByteArray = 6,
  kFixedLenByteArray = 7,
};

enum class ConvertedType : int32_t {
  kUtf8 = 0,
  kMap = 1,
  kMapKeyValue = 2,
  kList = 3,
  kEnum = 4,
  kDecimal = 5,
  kDate = 6,
  kTimeMillis = 7,
  kTimeMicros = 8,
  kTimestampMillis = 9,
  kTimestampMicros = 10,
  kUint8 = 11,
  kUint16 = 12,
  kUint32 = 13,
  kUint64 = 14,
  kInt8 = 15,
  kInt16 = 16,
  kInt32 = 17,
  kInt64 = 18,
  kJson = 19,
  kBson = 20,
  kInterval = 21,
};

enum class Repetition : int32_t { kRequired = 0, kOptional = 1, kRepeated = 2 };

enum class Encoding : int32_t {
  kPlain = 0,
  kPlainDictionary = 2,
  kRle = 3,
  kBitPacked = 4,
  kDeltaBinaryPacked = 5,
  kDeltaLengthByteArray = 6,
  kDeltaByteArray = 7,
  kRleDictionary = 8,
  kByteStreamSplit = 9,
};

enum class Codec : int32_t {
  kUncompressed = 0,
  kSnappy = 1,
  kGzip = 2,
  kLzo = 3,
  kBrotli = 4,
  kLz4 = 5,
  kZstd = 6,
  kLz4Raw = 7,
};

enum class PageType : int32_t {
  kDataPage = 0,
  kIndexPage = 1,
  kDictionaryPage = 2,
  kDataPageV2 = 3,
};

enum class TimeUnit : uint8_t { kMillis, kMicros, kNanos };

// The LogicalType union, flattened: `kind` says which member is set.
struct LogicalType {
  enum class Kind : uint8_t {
    kNone = 0,  // absent
    kString,
    kMap,
    kList,
    kEnum,
    kDecimal,
    kDate,
    kTime,
    kTimestamp,
    kInteger,
    kUnknown,  // NullType
    kJson,
    kBson,
    kUuid,
    kFloat16,
    kOther,  // a union member this reader does not know
  };
  Kind kind = Kind::kNone;
  int32_t decimal_scale = 0;
  int32_t decimal_precision = 0;
  bool is_adjusted_to_utc = false;    // TIME, TIMESTAMP
  TimeUnit unit = TimeUnit::kMicros;  // TIME, TIMESTAMP
  int8_t bit_width = 0;               // INTEGER
  bool is_signed = true;              // INTEGER
};

struct SchemaElement {
  std::optional<Type> type;
  std::optional<int32_t> type_length;
  std::optional<Repetition> repetition;
  std::string name;
  std::optional<int32_t> num_children;
  std::optional<ConvertedType> converted_type;
  std::optional<int32_t> scale;
  std::optional<int32_t> precision;
  std::optional<int32_t> field_id;
  LogicalType logical_type;
};

struct Statistics {
  std::optional<std::string> max;  // deprecated: signed order only
  std::optional<std::string> min;
  std::optional<int64_t> null_count;
  std::optional<int64_t> distinct_count;
  std::optional<std::string> max_value;
  std::optional<std::string> min_value;
  std::optional<bool> is_max_value_exact;
  std::optional<bool> is_min_value_exact;
  std::optional<int64_t> nan_count;
};

struct KeyValue {
  std::string key;
  std::optional<std::string> value;
};

struct ColumnMetaData {
  Type type = Type::kBoolean;
  std::vector<Encoding> encodings;
  std::vector<std::string> path_in_schema;
  Codec codec = Codec::kUncompressed;
  int64_t num_values = 0;
  int64_t total_uncompressed_size = 0;
  int64_t total_compressed_size = 0;
  int64_t data_page_offset = 0;
  std::optional<int64_t> index_page_offset;
  std::optional<int64_t> dictionary_page_offset;
  std::optional<Statistics> statistics;
};

struct ColumnChunk {
  std::optional<std::string> file_path;
  int64_t file_offset = 0;
  std::optional<ColumnMetaData> meta_data;
  // Where the chunk's page index lives (between the row groups and the footer).
  std::optional<int64_t> offset_index_offset;
  std::optional<int32_t> offset_index_length;
  std::optional<int64_t> column_index_offset;
  std::optional<int32_t> column_index_length;
};

// The page index (parquet.thrift's PageLocation / OffsetIndex / ColumnIndex): where each
// data page of a column chunk starts and which rows it holds, and each page's min/max,
// so a reader can go straight to the one page that may hold a value.
struct PageLocation {
  int64_t offset = 0;                // of the page header in the file
  int32_t compressed_page_size = 0;  // header included
  int64_t first_row_index = 0;       // within the row group
};

struct OffsetIndex {
  std::vector<PageLocation> page_locations;
};

enum class BoundaryOrder : int32_t { kUnordered = 0, kAscending = 1, kDescending = 2 };

struct ColumnIndex {
  std::vector<bool> null_pages;  // true: the page holds only NULLs (min/max empty)
  std::vector<std::string> min_values;
  std::vector<std::string> max_values;
  BoundaryOrder boundary_order = BoundaryOrder::kUnordered;
  std::vector<int64_t> null_counts;  // empty when absent
};

struct RowGroup {
  std::vector<ColumnChunk> columns;
  int64_t total_byte_size = 0;
  int64_t num_rows = 0;
  std::optional<int64_t> file_offset;
  std::optional<int64_t> total_compressed_size;
  std::optional<int16_t> ordinal;
};

// ColumnOrder union member ids: 1 TYPE_ORDER, 2 IEEE_754_TOTAL_ORDER, 3 INT96 order.
inline constexpr int kTypeDefinedOrder = 1;

struct FileMetaData {
  int32_t version = 1;
  std::vector<SchemaElement> schema;  // depth-first, root first
  int64_t num_rows = 0;
  std::vector<RowGroup> row_groups;
  std::vector<KeyValue> key_value_metadata;
  std::optional<std::string> created_by;
  std::vector<int> column_orders;  // one union member id per leaf column (0: unknown)
};

struct DataPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::kPlain;
  Encoding definition_level_encoding = Encoding::kRle;
  Encoding repetition_level_encoding = Encoding::kRle;
};

struct DictionaryPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::kPlain;
  std::optional<bool> is_sorted;
};

struct DataPageHeaderV2 {
  int32_t num_values = 0;
  int32_t num_nulls = 0;
  int32_t num_rows = 0;
  Encoding encoding = Encoding::kPlain;
  int32_t definition_levels_byte_length = 0;
  int32_t repetition_levels_byte_length = 0;
  bool is_compressed = true;
};

struct PageHeader {
  PageType type = PageType::kDataPage;
  int32_t uncompressed_page_size = 0;
  int32_t compressed_page_size = 0;
  std::optional<int32_t> crc;
  std::optional<DataPageHeader> data_page_header;
  std::optional<DictionaryPageHeader> dictionary_page_header;
  std::optional<DataPageHeaderV2> data_page_header_v2;
};

// Appends the compact encoding of `meta` to *out.
void SerializeFileMetaData(const FileMetaData& meta, std::string* out);
// Parses a footer; kCorruption when malformed or when a required field is missing.
Result<FileMetaData> ParseFileMetaData(const uint8_t* data, size_t size);

// Appends the compact encoding of an OffsetIndex / ColumnIndex to *out.
void SerializeOffsetIndex(const OffsetIndex& index, std::string* out);
void SerializeColumnIndex(const ColumnIndex& index, std::string* out);
// Parse them; kCorruption when malformed, a required field is missing or the lists of a
// ColumnIndex differ in length.
Result<OffsetIndex> ParseOffsetIndex(const uint8_t* data, size_t size);
Result<ColumnIndex> ParseColumnIndex(const uint8_t* data, size_t size);

// Appends the compact encoding of `header` to *out.
void SerializePageHeader(const PageHeader& header, std::string* out);
// Parses the page header at the start of [data, data+size); *consumed is its length.
Result<PageHeader> ParsePageHeader(const uint8_t* data, size_t size, size_t* consumed);

// Human-readable names for error messages ("BYTE_ARRAY", "SNAPPY", ...).
std::string TypeName(Type type);
std::string EncodingName(Encoding encoding);
std::string CodecName(Codec codec);

}  // namespace tenantdb::parquet
