// PostgreSQL object identifiers for tenantdb's catalog objects, and PostgreSQL's names of
// tenantdb's types: what pg_catalog, information_schema and the catalog functions
// (format_type, pg_get_userbyid, ::regclass, ...) agree on.
//
// The mapping (stable across restarts: derived from ids the catalog already keeps):
//   relations   a table numbered n (TableDefinition::table_number, never reused) is
//               16384 + 2n, its primary-key index 16384 + 2n + 1 (16384 is PostgreSQL's
//               first user OID). The built-in read-only tables are 12000 + k (system.*),
//               12100 + k (pg_catalog.*), 12200 + k (information_schema.*), k their
//               position in their namespace. A view `ns.name` is 0x40000000 |
//               (FNV-1a-32 of "ns\0name" & 0x3fffffff) (tables keep their numbered OIDs
//               below that up to 2^29 tables).
//   namespaces  pg_catalog 11 and public (tenantdb's `default`) 2200, as in PostgreSQL;
//               information_schema 12000, system 12001; any other namespace
//               0x80000000 | (FNV-1a-32 of its name & 0x3fffffff).
//   roles       root (the bootstrap superuser) 10, as PostgreSQL's; any other user
//               0xC0000000 | (FNV-1a-32 of its id & 0x3fffffff). Tables have no owner in
//               tenantdb: pg_class and pg_namespace name root, who may do everything.
//   database    tenantdb has one database, `tenantdb`, OID 1.
//   types       PostgreSQL's own OIDs (bool 16, int8 20, text 25, ...; PgTypes()).
// Hashed OIDs could collide (about one pair in 10^9 for two names); a collision shows two
// objects under one OID in the views, nothing else.
//
// Thread safety: pure functions and immutable tables.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "types/data_type.h"

namespace tenantdb {

inline constexpr std::string_view kPgCatalogNamespace = "pg_catalog";
inline constexpr std::string_view kInformationSchemaNamespace = "information_schema";
// The one database's name, as pg_database and current_database() show it.
inline constexpr std::string_view kPgDatabaseName = "tenantdb";

inline constexpr int64_t kPgCatalogNamespaceOid = 11;
inline constexpr int64_t kPublicNamespaceOid = 2200;
inline constexpr int64_t kInformationSchemaNamespaceOid = 12000;
inline constexpr int64_t kSystemNamespaceOid = 12001;
inline constexpr int64_t kRootRoleOid = 10;
inline constexpr int64_t kDatabaseOid = 1;
inline constexpr int64_t kFirstUserOid = 16384;
inline constexpr int64_t kSystemTableOidBase = 12000;
inline constexpr int64_t kPgCatalogTableOidBase = 12100;
inline constexpr int64_t kInformationSchemaTableOidBase = 12200;
inline constexpr int64_t kHeapAmOid = 2;
inline constexpr int64_t kBtreeAmOid = 403;
inline constexpr int64_t kDefaultTablespaceOid = 1663;

// The OID of tenantdb namespace `ns` (its tenantdb name: `default`, not `public`).
int64_t NamespaceOid(std::string_view ns);
// The name PostgreSQL tools see for namespace `ns`: `public` for `default`.
std::string PgNamespaceName(std::string_view ns);
int64_t RoleOid(std::string_view user_id);
int64_t TableOid(uint32_t table_number);
int64_t ViewOid(std::string_view ns, std::string_view name);
bool IsViewOid(int64_t oid);
int64_t PrimaryKeyIndexOid(uint32_t table_number);
// The table number of a table OID or of its primary-key index OID, else nullopt.
std::optional<uint32_t> TableNumberOfOid(int64_t oid, bool* is_index);

// One PostgreSQL type tenantdb has.
struct PgTypeInfo {
  int64_t oid;
  std::string_view name;         // pg_type.typname: int8
  std::string_view format_name;  // format_type(): bigint
  int16_t length;                // typlen: bytes, -1 variable
  char category;                 // typcategory: N numeric, S string, B boolean, ...
  int64_t array_oid;             // typarray
  DataType type;
};

// Every tenantdb type, in DataType order, then the array types.
std::span<const PgTypeInfo> PgTypes();
const PgTypeInfo& PgTypeOf(DataType type);
// The type with OID `oid`, or null when tenantdb lacks it.
const PgTypeInfo* PgTypeByOid(int64_t oid);
// The type format_type and ::regtype name `name` (typname or its SQL name), or null.
const PgTypeInfo* PgTypeByName(std::string_view name);

}  // namespace tenantdb
