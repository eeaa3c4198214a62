// DataType: the SQL column types tenantdb stores, with their names, PostgreSQL aliases
// and the fixed-width C++ type each is held in inside a columnar Batch.
//
//   type         in memory (per value)                    PostgreSQL names accepted
//   BOOLEAN      uint8_t 0/1                              boolean, bool
//   SMALLINT     int16_t                                  smallint, int2
//   INT          int32_t                                  integer, int, int4
//   BIGINT       int64_t                                  bigint, int8
//   REAL         float                                    real, float4
//   DOUBLE       double                                   double precision, float8, double
//   TEXT         bytes (UTF-8)                            text, varchar, char varying, string
//   BYTEA        bytes                                    bytea
//   DATE         int32_t days since 1970-01-01            date
//   TIMESTAMP    int64_t microseconds since 1970-01-01    timestamp [without time zone]
//   TIMESTAMPTZ  int64_t microseconds since epoch, UTC    timestamptz, timestamp with time zone
//   JSON         bytes (UTF-8 JSON text)                  json, jsonb
//   UUID         16 bytes, big-endian as printed          uuid
//
// The numeric values of DataType are persisted (catalog, row values): append only.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tenantdb {

enum class DataType : uint8_t {
  kBoolean = 1,
  kSmallInt = 2,
  kInt = 3,
  kBigInt = 4,
  kReal = 5,
  kDouble = 6,
  kText = 7,
  kBytea = 8,
  kDate = 9,
  kTimestamp = 10,
  kTimestampTz = 11,
  kJson = 12,
  kUuid = 13,
};

inline constexpr DataType kAllDataTypes[] = {
    DataType::kBoolean, DataType::kSmallInt,  DataType::kInt,         DataType::kBigInt,
    DataType::kReal,    DataType::kDouble,    DataType::kText,        DataType::kBytea,
    DataType::kDate,    DataType::kTimestamp, DataType::kTimestampTz, DataType::kJson,
    DataType::kUuid,
};

// Canonical SQL name: "BIGINT", "TIMESTAMPTZ", ...
std::string_view DataTypeName(DataType type);

// Parses a type name case-insensitively, including PostgreSQL's aliases; nullopt if
// unknown. Extra spaces between words are accepted ("double  precision").
std::optional<DataType> ParseDataType(std::string_view name);

// True for values held as bytes of varying length (TEXT, BYTEA, JSON).
constexpr bool IsVariableWidth(DataType type) {
  return type == DataType::kText || type == DataType::kBytea || type == DataType::kJson;
}
constexpr bool IsInteger(DataType type) {
  return type == DataType::kSmallInt || type == DataType::kInt || type == DataType::kBigInt;
}
constexpr bool IsFloatingPoint(DataType type) {
  return type == DataType::kReal || type == DataType::kDouble;
}
constexpr bool IsTemporal(DataType type) {
  return type == DataType::kDate || type == DataType::kTimestamp || type == DataType::kTimestampTz;
}

// Bytes per value in a Batch for fixed-width types; 0 for variable-width ones.
size_t FixedWidth(DataType type);

// Whether a stored DataType byte names a known type (for decoding persisted data).
bool IsValidDataType(uint8_t raw);

}  // namespace tenantdb
