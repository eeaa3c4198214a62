#include "server/pgwire/pg_types.h"

#include <iterator>

namespace tenantdb::server::pgwire {

namespace {

// Each scalar's array type OID (pg_type.typarray), indexed by DataType.
constexpr uint32_t kArrayOids[] = {
    0,     // (none)
    1000,  // BOOLEAN
    1005,  // SMALLINT
    1007,  // INT
    1016,  // BIGINT
    1021,  // REAL
    1022,  // DOUBLE
    1009,  // TEXT
    1001,  // BYTEA
    1182,  // DATE
    1115,  // TIMESTAMP
    1185,  // TIMESTAMPTZ
    199,   // JSON
    2951,  // UUID
    1187,  // INTERVAL
    1231,  // NUMERIC
};

}  // namespace

uint32_t TypeOid(DataType type) {
  if (IsArray(type)) {
    const size_t element = static_cast<size_t>(ElementType(type));
    return element < std::size(kArrayOids) ? kArrayOids[element] : 1009;
  }
  switch (type) {
    case DataType::kBoolean:
      return 16;
    case DataType::kSmallInt:
      return 21;
    case DataType::kInt:
      return 23;
    case DataType::kBigInt:
      return 20;
    case DataType::kReal:
      return 700;
    case DataType::kDouble:
      return 701;
    case DataType::kText:
      return 25;
    case DataType::kBytea:
      return 17;
    case DataType::kDate:
      return 1082;
    case DataType::kTimestamp:
      return 1114;
    case DataType::kTimestampTz:
      return 1184;
    case DataType::kJson:
      return 114;
    case DataType::kUuid:
      return 2950;
    case DataType::kInterval:
      return 1186;
    case DataType::kNumeric:
      return 1700;
  }
  return 25;
}

int16_t TypeLength(DataType type) {
  if (IsArray(type)) return -1;
  switch (type) {
    case DataType::kBoolean:
      return 1;
    case DataType::kSmallInt:
      return 2;
    case DataType::kInt:
    case DataType::kReal:
    case DataType::kDate:
      return 4;
    case DataType::kBigInt:
    case DataType::kDouble:
    case DataType::kTimestamp:
    case DataType::kTimestampTz:
      return 8;
    case DataType::kUuid:
    case DataType::kInterval:
      return 16;
    case DataType::kText:
    case DataType::kBytea:
    case DataType::kJson:
    case DataType::kNumeric:
      return -1;
  }
  return -1;
}

std::optional<DataType> DataTypeForOid(uint32_t oid) {
  switch (oid) {
    case 16:
      return DataType::kBoolean;
    case 21:
      return DataType::kSmallInt;
    case 23:
      return DataType::kInt;
    case 20:
      return DataType::kBigInt;
    case 700:
      return DataType::kReal;
    case 701:
      return DataType::kDouble;
    case 25:
    case 1043:  // varchar
    case 1042:  // bpchar
    case 19:    // name
      return DataType::kText;
    case 17:
      return DataType::kBytea;
    case 1082:
      return DataType::kDate;
    case 1114:
      return DataType::kTimestamp;
    case 1184:
      return DataType::kTimestampTz;
    case 114:
    case kJsonbOid:
      return DataType::kJson;
    case 2950:
      return DataType::kUuid;
    case 1186:
      return DataType::kInterval;
    case 1700:
      return DataType::kNumeric;
    case 1015:  // varchar[]
      return ArrayOf(DataType::kText);
    case 3807:  // jsonb[]
      return ArrayOf(DataType::kJson);
    default:
      for (size_t i = 1; i < std::size(kArrayOids); ++i) {
        if (kArrayOids[i] == oid) return ArrayOf(static_cast<DataType>(i));
      }
      return std::nullopt;
  }
}

}  // namespace tenantdb::server::pgwire
