// HotTable: what the hot store needs to know about one table to read and write its rows —
// table number, type, current schema and version, primary-key layout, how to find
// older schema versions, and how long a STREAM table's rows live. Built from the catalog's
// TableDefinition or TableEntry per request (cheap: a shared_ptr copy and a short vector) or cached
// by the table provider.
//
// Thread safety: immutable after Make(); share freely.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "catalog/table_definition.h"
#include "catalog/table_entry.h"
#include "common/status.h"
#include "storage/hot/row_codec.h"
#include "types/batch.h"
#include "types/schema.h"

namespace tenantdb {

class HotTable {
 public:
  // `ttl_seconds`: how long a STREAM table's rows live (0: forever; see ttl_seconds()).
  // Errors (invalid_argument): no schema; SYSTEM table (no stored rows); no primary key;
  // a TTL on a table that is not STREAM.
  static Result<HotTable> Make(uint32_t table_number, TableType type, uint32_t schema_version,
                               std::shared_ptr<const Schema> schema, SchemaLookup lookup = {},
                               uint32_t ttl_seconds = 0);
  static Result<HotTable> FromDefinition(const TableDefinition& definition,
                                         SchemaLookup lookup = {});
  static Result<HotTable> FromEntry(const TableEntry& entry, SchemaLookup lookup = {});

  uint32_t table_number() const { return table_number_; }
  TableType type() const { return type_; }
  bool per_user() const { return IsPerUser(type_); }
  uint32_t schema_version() const { return schema_version_; }
  const std::shared_ptr<const Schema>& schema() const { return schema_; }
  // Positions of the key columns in the schema, and their types, in key order.
  const std::vector<size_t>& key_indices() const { return key_indices_; }
  const std::vector<DataType>& key_types() const { return key_types_; }
  // The encoded primary key (key_codec.h's AppendKeyColumns) of row `row` of `batch`,
  // whose first columns are the table's fields in order. Errors: invalid_argument.
  Result<std::string> KeyBytesOf(const Batch& batch, size_t row) const;
  // Schemas of older versions; empty when the caller has none to offer.
  const SchemaLookup& lookup() const { return lookup_; }
  // STREAM tables: a version written more than this many seconds ago is expired, and the
  // hot store treats it as absent for every read and write at once (the TTL job only
  // reclaims its space later). 0: versions never expire.
  uint32_t ttl_seconds() const { return ttl_seconds_; }

 private:
  uint32_t table_number_ = 0;
  TableType type_ = TableType::kShared;
  uint32_t schema_version_ = 0;
  std::shared_ptr<const Schema> schema_;
  std::vector<size_t> key_indices_;
  std::vector<DataType> key_types_;
  SchemaLookup lookup_;
  uint32_t ttl_seconds_ = 0;
};

}  // namespace tenantdb
