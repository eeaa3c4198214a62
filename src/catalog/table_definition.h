// TableDefinition: everything the catalog knows about one version of a table.
//
// This is the plain value that DDL builds, the persistent catalog stores (one per schema
// version) and the SchemaCache turns into a TableEntry. Validate() enforces the rules of
// the table types (see table_options.h and the design page).
//
// Thread safety: a value type; the Schema it points to is immutable and shared.
#pragma once

#include <cstdint>
#include <memory>

#include "catalog/table_options.h"
#include "common/status.h"
#include "ids/identifier.h"
#include "ids/table_id.h"
#include "types/schema.h"

namespace tenantdb {

struct TableDefinition {
  TableId id;
  // Stable number that prefixes every RocksDB key of the table: never reused, so keys
  // of a dropped table cannot be mistaken for a new one's.
  uint32_t table_number = 0;
  TableType type = TableType::kShared;
  AccessLevel access_level = AccessLevel::kPublic;  // SHARED tables only
  uint32_t schema_version = 1;
  std::shared_ptr<const Schema> schema;  // from the SchemaPool
  StorageId storage_id;
  FlushPolicy flush_policy;
  uint32_t ttl_seconds = 0;  // STREAM tables only
  // When CREATE TABLE ran (microseconds since the epoch, by the database's clock); set by
  // the catalog, ignored on create.
  int64_t created_us = 0;

  // Errors (invalid_argument): no schema or no columns; duplicate column names; a column
  // without an id or with another column's (field.h); USER or
  // STREAM table without a PRIMARY KEY; STREAM without TTL_SECONDS; TTL on a non-STREAM
  // table; FLUSH_POLICY on a STREAM table; a nullable primary-key column.
  Status Validate() const;
};

}  // namespace tenantdb
