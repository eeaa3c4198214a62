#include "tables/pg_catalog/pg_oids.h"

#include <array>

#include "catalog/namespace_alias.h"
#include "catalog/role.h"
#include "tables/system_table_provider.h"

namespace tenantdb {

namespace {

uint32_t Fnv1a32(std::string_view s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

constexpr std::array<PgTypeInfo, 30> kTypes = {{
    {16, "bool", "boolean", 1, 'B', 1000, DataType::kBoolean},
    {21, "int2", "smallint", 2, 'N', 1005, DataType::kSmallInt},
    {23, "int4", "integer", 4, 'N', 1007, DataType::kInt},
    {20, "int8", "bigint", 8, 'N', 1016, DataType::kBigInt},
    {700, "float4", "real", 4, 'N', 1021, DataType::kReal},
    {701, "float8", "double precision", 8, 'N', 1022, DataType::kDouble},
    {25, "text", "text", -1, 'S', 1009, DataType::kText},
    {17, "bytea", "bytea", -1, 'U', 1001, DataType::kBytea},
    {1082, "date", "date", 4, 'D', 1182, DataType::kDate},
    {1114, "timestamp", "timestamp without time zone", 8, 'D', 1115, DataType::kTimestamp},
    {1184, "timestamptz", "timestamp with time zone", 8, 'D', 1185, DataType::kTimestampTz},
    {114, "json", "json", -1, 'U', 199, DataType::kJson},
    {2950, "uuid", "uuid", 16, 'U', 2951, DataType::kUuid},
    {1186, "interval", "interval", 16, 'T', 1187, DataType::kInterval},
    {1700, "numeric", "numeric", -1, 'N', 1231, DataType::kNumeric},
    // The array types (category A), in their elements' order.
    {1000, "_bool", "boolean[]", -1, 'A', 0, ArrayOf(DataType::kBoolean)},
    {1005, "_int2", "smallint[]", -1, 'A', 0, ArrayOf(DataType::kSmallInt)},
    {1007, "_int4", "integer[]", -1, 'A', 0, ArrayOf(DataType::kInt)},
    {1016, "_int8", "bigint[]", -1, 'A', 0, ArrayOf(DataType::kBigInt)},
    {1021, "_float4", "real[]", -1, 'A', 0, ArrayOf(DataType::kReal)},
    {1022, "_float8", "double precision[]", -1, 'A', 0, ArrayOf(DataType::kDouble)},
    {1009, "_text", "text[]", -1, 'A', 0, ArrayOf(DataType::kText)},
    {1001, "_bytea", "bytea[]", -1, 'A', 0, ArrayOf(DataType::kBytea)},
    {1182, "_date", "date[]", -1, 'A', 0, ArrayOf(DataType::kDate)},
    {1115, "_timestamp", "timestamp without time zone[]", -1, 'A', 0,
     ArrayOf(DataType::kTimestamp)},
    {1185, "_timestamptz", "timestamp with time zone[]", -1, 'A', 0,
     ArrayOf(DataType::kTimestampTz)},
    {199, "_json", "json[]", -1, 'A', 0, ArrayOf(DataType::kJson)},
    {2951, "_uuid", "uuid[]", -1, 'A', 0, ArrayOf(DataType::kUuid)},
    {1187, "_interval", "interval[]", -1, 'A', 0, ArrayOf(DataType::kInterval)},
    {1231, "_numeric", "numeric[]", -1, 'A', 0, ArrayOf(DataType::kNumeric)},
}};

}  // namespace

int64_t NamespaceOid(std::string_view ns) {
  if (ns == kDefaultNamespace || ns == kDefaultNamespaceAlias) return kPublicNamespaceOid;
  if (ns == kPgCatalogNamespace) return kPgCatalogNamespaceOid;
  if (ns == kInformationSchemaNamespace) return kInformationSchemaNamespaceOid;
  if (ns == kSystemNamespace) return kSystemNamespaceOid;
  return int64_t{0x80000000} | (Fnv1a32(ns) & 0x3fffffffu);
}

std::string PgNamespaceName(std::string_view ns) {
  return std::string(ns == kDefaultNamespace ? kDefaultNamespaceAlias : ns);
}

int64_t RoleOid(std::string_view user_id) {
  if (user_id == kRootUserId) return kRootRoleOid;
  return int64_t{0xC0000000} | (Fnv1a32(user_id) & 0x3fffffffu);
}

int64_t TableOid(uint32_t table_number) {
  return kFirstUserOid + 2 * int64_t{table_number};
}

int64_t ViewOid(std::string_view ns, std::string_view name) {
  std::string key(ns);
  key += '\0';
  key += name;
  return int64_t{0x40000000} | (Fnv1a32(key) & 0x3fffffffu);
}

bool IsViewOid(int64_t oid) {
  return oid >= int64_t{0x40000000} && oid < int64_t{0x80000000};
}

int64_t PrimaryKeyIndexOid(uint32_t table_number) {
  return TableOid(table_number) + 1;
}

std::optional<uint32_t> TableNumberOfOid(int64_t oid, bool* is_index) {
  if (oid < kFirstUserOid || oid >= kFirstUserOid + 2 * (int64_t{1} << 32)) return std::nullopt;
  if (is_index != nullptr) *is_index = (oid - kFirstUserOid) % 2 == 1;
  return static_cast<uint32_t>((oid - kFirstUserOid) / 2);
}

std::span<const PgTypeInfo> PgTypes() {
  return kTypes;
}

const PgTypeInfo& PgTypeOf(DataType type) {
  for (const PgTypeInfo& t : kTypes)
    if (t.type == type) return t;
  return kTypes[6];  // text; every DataType is listed
}

const PgTypeInfo* PgTypeByOid(int64_t oid) {
  for (const PgTypeInfo& t : kTypes)
    if (t.oid == oid) return &t;
  return nullptr;
}

const PgTypeInfo* PgTypeByName(std::string_view name) {
  for (const PgTypeInfo& t : kTypes)
    if (t.name == name || t.format_name == name) return &t;
  return nullptr;
}

}  // namespace tenantdb
