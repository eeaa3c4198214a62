#include "types/data_type.h"

#include <string>

namespace tenantdb {

std::string_view DataTypeName(DataType type) {
  if (IsArray(type)) {
    static constexpr std::string_view kArrayNames[] = {
        "UNKNOWN[]", "BOOLEAN[]", "SMALLINT[]", "INT[]",    "BIGINT[]",    "REAL[]",
        "DOUBLE[]",  "TEXT[]",    "BYTEA[]",    "DATE[]",   "TIMESTAMP[]", "TIMESTAMPTZ[]",
        "JSON[]",    "UUID[]",    "INTERVAL[]", "NUMERIC[]"};
    const size_t element = static_cast<size_t>(ElementType(type));
    return element < std::size(kArrayNames) ? kArrayNames[element] : "UNKNOWN[]";
  }
  switch (type) {
    case DataType::kBoolean:
      return "BOOLEAN";
    case DataType::kSmallInt:
      return "SMALLINT";
    case DataType::kInt:
      return "INT";
    case DataType::kBigInt:
      return "BIGINT";
    case DataType::kReal:
      return "REAL";
    case DataType::kDouble:
      return "DOUBLE";
    case DataType::kText:
      return "TEXT";
    case DataType::kBytea:
      return "BYTEA";
    case DataType::kDate:
      return "DATE";
    case DataType::kTimestamp:
      return "TIMESTAMP";
    case DataType::kTimestampTz:
      return "TIMESTAMPTZ";
    case DataType::kJson:
      return "JSON";
    case DataType::kUuid:
      return "UUID";
    case DataType::kInterval:
      return "INTERVAL";
    case DataType::kNumeric:
      return "NUMERIC";
  }
  return "UNKNOWN";
}

std::optional<DataType> ParseDataType(std::string_view name) {
  // Lower-case and collapse runs of blanks so "Double   Precision" matches.
  std::string key;
  bool blank = false;
  for (char c : name) {
    if (c == ' ' || c == '\t' || c == '\n') {
      blank = !key.empty();
      continue;
    }
    if (blank) key += ' ';
    blank = false;
    key += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  if (key.ends_with("[]")) {
    std::optional<DataType> element =
        ParseDataType(std::string_view(key).substr(0, key.size() - 2));
    if (!element || IsArray(*element)) return std::nullopt;
    return ArrayOf(*element);
  }
  struct Alias {
    std::string_view name;
    DataType type;
  };
  static constexpr Alias kAliases[] = {
      {"boolean", DataType::kBoolean},
      {"bool", DataType::kBoolean},
      {"smallint", DataType::kSmallInt},
      {"int2", DataType::kSmallInt},
      {"integer", DataType::kInt},
      {"int", DataType::kInt},
      {"int4", DataType::kInt},
      {"bigint", DataType::kBigInt},
      {"int8", DataType::kBigInt},
      {"real", DataType::kReal},
      {"float4", DataType::kReal},
      {"double precision", DataType::kDouble},
      {"double", DataType::kDouble},
      {"float8", DataType::kDouble},
      {"float", DataType::kDouble},
      {"text", DataType::kText},
      {"varchar", DataType::kText},
      {"character varying", DataType::kText},
      {"string", DataType::kText},
      {"bytea", DataType::kBytea},
      {"date", DataType::kDate},
      {"timestamp", DataType::kTimestamp},
      {"timestamp without time zone", DataType::kTimestamp},
      {"timestamptz", DataType::kTimestampTz},
      {"timestamp with time zone", DataType::kTimestampTz},
      {"json", DataType::kJson},
      {"jsonb", DataType::kJson},
      {"uuid", DataType::kUuid},
      {"interval", DataType::kInterval},
      {"numeric", DataType::kNumeric},
      {"decimal", DataType::kNumeric},
  };
  for (const Alias& alias : kAliases) {
    if (alias.name == key) return alias.type;
  }
  return std::nullopt;
}

size_t FixedWidth(DataType type) {
  switch (type) {
    case DataType::kBoolean:
      return 1;
    case DataType::kSmallInt:
      return 2;
    case DataType::kInt:
    case DataType::kDate:
    case DataType::kReal:
      return 4;
    case DataType::kBigInt:
    case DataType::kDouble:
    case DataType::kTimestamp:
    case DataType::kTimestampTz:
      return 8;
    case DataType::kUuid:
    case DataType::kInterval:
      return 16;
    case DataType::kNumeric:
      return sizeof(Numeric);
    case DataType::kText:
    case DataType::kBytea:
    case DataType::kJson:
      return 0;
  }
  return 0;
}

bool IsValidDataType(uint8_t raw) {
  if (raw & kArrayFlag) raw = static_cast<uint8_t>(raw & ~kArrayFlag);
  return raw >= static_cast<uint8_t>(DataType::kBoolean) &&
         raw <= static_cast<uint8_t>(DataType::kNumeric);
}

}  // namespace tenantdb
