// tenantdb's types as PostgreSQL clients know them: the pg_type OID and length a
// RowDescription / ParameterDescription carries, and the reverse mapping for the
// parameter types a client declares in Parse.
//
//   BOOLEAN bool 16      SMALLINT int2 21     INT int4 23          BIGINT int8 20
//   REAL float4 700      DOUBLE float8 701    TEXT text 25         BYTEA bytea 17
//   DATE date 1082       TIMESTAMP 1114       TIMESTAMPTZ 1184     JSON json 114
//   UUID uuid 2950
// Accepted from clients besides: varchar 1043, bpchar 1042, name 19 (TEXT), jsonb 3802
// (JSON; binary jsonb carries a version byte), unknown 0 (the server infers the type).
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>

#include "tenantdb/value.h"

namespace tenantdb::server::pgwire {

inline constexpr uint32_t kUnknownOid = 0;
inline constexpr uint32_t kJsonbOid = 3802;

uint32_t TypeOid(DataType type);
// pg_type.typlen: bytes for fixed-width types, -1 for variable-width ones.
int16_t TypeLength(DataType type);
// The tenantdb type of a client-declared OID; nullopt for 0 and for types tenantdb lacks.
std::optional<DataType> DataTypeForOid(uint32_t oid);

}  // namespace tenantdb::server::pgwire
