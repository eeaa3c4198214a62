// The mapping between tenantdb DataTypes and Parquet column types, in both directions,
// and the encoding of min/max statistics values.
//
//   tenantdb      written as                         also read from
//   BOOLEAN       BOOLEAN
//   SMALLINT      INT32 + INT(16,true) / INT_16      INT32 + INT(8,*) / INT_8 / UINT_8
//   INT           INT32                              INT32 + INT(32,true) / UINT_16 / INT(16,false)
//   BIGINT        INT64                              INT64 + INT(64,true) / UINT_32 / INT(32,false)
//   REAL          FLOAT
//   DOUBLE        DOUBLE
//   TEXT          BYTE_ARRAY + STRING / UTF8         + ENUM
//   BYTEA         BYTE_ARRAY                         FIXED_LEN_BYTE_ARRAY (not 16 + UUID), BSON
//   JSON          BYTE_ARRAY + JSON / JSON
//   DATE          INT32 + DATE / DATE
//   TIMESTAMP     INT64 + TIMESTAMP(false, MICROS)   MILLIS/NANOS (converted to micros),
//                   / TIMESTAMP_MICROS                 TIMESTAMP_MILLIS, INT96
//   TIMESTAMPTZ   INT64 + TIMESTAMP(true, MICROS)    MILLIS/NANOS
//   UUID          FIXED_LEN_BYTE_ARRAY(16) + UUID
//   NUMERIC(p,s)  DECIMAL(p,s) on INT32 (p <= 9),     DECIMAL on BYTE_ARRAY, FLBA(<= 16)
//                   INT64 (p <= 18), FLBA(16)
//   NUMERIC       BYTE_ARRAY + STRING (PostgreSQL's text; named in kNumericColumnsKey)
//   elem[]        BYTE_ARRAY + STRING (PostgreSQL's array text; named in kArrayColumnsKey)
//
// A converted TIMESTAMP_MICROS/MILLIS without a logical type reads as TIMESTAMP (what
// DuckDB does). DECIMAL past 38 digits, TIME, INTERVAL, UINT_64, FLOAT16 and nested columns are not
// mapped: such a column is listed with its reason and errors only if a read requests it.
//
// Thread safety: pure functions and value types.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "storage/cold/parquet_metadata.h"
#include "types/field.h"
#include "types/value.h"

namespace tenantdb {

// The key-value metadata entry naming a file's INTERVAL columns (comma-separated): they
// are stored as 16 unannotated bytes (types/interval.h), which alone read as BYTEA.
inline constexpr std::string_view kIntervalColumnsKey = "tenantdb.interval_columns";
// The entry naming a file's unconstrained NUMERIC columns (comma-separated): stored as
// PostgreSQL's text, which alone reads as TEXT.
inline constexpr std::string_view kNumericColumnsKey = "tenantdb.numeric_columns";
// The entry naming a file's array columns with their types ("tags:TEXT[],n:INT[]"):
// stored as PostgreSQL's array text ('{a,"b c",NULL}'), which alone reads as TEXT.
inline constexpr std::string_view kArrayColumnsKey = "tenantdb.array_columns";

// How the physical values of a column become tenantdb values.
enum class ParquetConversion : uint8_t {
  kNone,            // same representation
  kMillisToMicros,  // INT64 milliseconds → microseconds
  kNanosToMicros,   // INT64 nanoseconds → microseconds (floor)
  kInt96ToMicros,   // legacy INT96 (nanos of day, Julian day) → microseconds
  kUint32ToInt64,   // INT32 holding an unsigned 32-bit value
};

// One leaf column of a Parquet file as tenantdb sees it.
struct ParquetColumnInfo {
  std::string name;
  uint32_t field_id = 0;  // the SchemaElement's field_id (tenantdb's column id); 0: none
  size_t leaf_index = 0;  // position in RowGroup::columns
  parquet::Type physical = parquet::Type::kInt32;
  int32_t type_length = 0;       // FIXED_LEN_BYTE_ARRAY only
  bool optional = true;          // max definition level 1 (else 0)
  std::optional<DataType> type;  // nullopt: not readable by tenantdb (see reason)
  std::string unsupported_reason;
  ParquetConversion conversion = ParquetConversion::kNone;
  bool min_max_usable = true;  // statistics min/max ordered as tenantdb compares
  int decimal_precision = 0;   // DECIMAL columns (type NUMERIC); 0: NUMERIC stored as text
  int decimal_scale = 0;
};

// Unit conversions for timestamps stored in milliseconds or nanoseconds: wrap instead of
// overflowing on hostile values, and round nanoseconds toward negative infinity so
// instants before 1970 keep their order.
inline int64_t MillisToMicros(int64_t v) {
  return static_cast<int64_t>(static_cast<uint64_t>(v) * 1000u);
}
inline int64_t NanosToMicros(int64_t v) {
  return v >= 0 ? v / 1000 : -((-(v + 1)) / 1000) - 1;
}

// The schema element tenantdb writes for `field`.
parquet::SchemaElement SchemaElementForField(const Field& field);

// Maps a leaf schema element (type set, no children) to tenantdb.
ParquetColumnInfo MapParquetColumn(const parquet::SchemaElement& element, size_t leaf_index);

// Decodes a statistics min/max value (PLAIN encoding without length prefixes) into a
// Value of the column's tenantdb type; nullopt when malformed or unsupported.
std::optional<Value> DecodeStatisticsValue(const ParquetColumnInfo& column, std::string_view raw);

// Orders two non-NULL values for row-group pruning: integers, dates and timestamps
// numerically (across widths), REAL/DOUBLE numerically (also against integers), bytes
// unsigned lexicographically. nullopt when the two cannot be compared (a NaN, or types
// that do not mix); callers then keep the row group.
std::optional<int> ComparePruningValues(const Value& a, const Value& b);

// Whether a column stored as `stored` may be read into a requested column of type
// `requested`: identical, a widening of integers or REAL→DOUBLE, or TEXT↔JSON.
bool CanReadAs(DataType stored, DataType requested);

}  // namespace tenantdb
