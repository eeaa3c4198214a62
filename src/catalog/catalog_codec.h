// The binary layout of the persistent catalog in the KvStore's `catalog` family: keys
// (one record kind byte, then the record's identity) and values (a format byte, then
// the fields). Pure functions; PersistentCatalog is the only writer.
//
// Keys. Names are validated identifiers, which never contain a 0x00 byte, so 0x00 ends a
// name and a prefix scan over "kind + namespace + 0x00" finds exactly that namespace's
// tables. Numbers are big-endian so keys sort numerically.
//
//   kind  record            key after the kind byte               value
//   0x01  namespace         name                                  created, options
//   0x02  table             namespace 0x00 table                  TableRecord
//   0x03  schema version    table_number(4) version(4)            fields, metadata
//   0x04  storage           storage id                            base dir, templates
//   0x05  counter           counter name                          fixed64 value
//   0x06  manifest file     table_number(4) user 0x00 batch(8)    ManifestFile
//   0x07  manifest counter  table_number(4) user                  next batch number
//   0x08  table by number   table_number(4)                       namespace, table name
//   0x09  user              user id                               UserRecord (below)
//   0x0A  pending erasure   table_number(4)                       PendingErasure
//   0x0B  revoked token     token id (a JWT's jti)                expiry, Unix seconds
//   0x0C  view              namespace 0x00 view                   ViewRecord
//   0x0D  index             namespace 0x00 index name             IndexRecord
//   0x0E  table statistics  table_number(4)                       TableStatsRecord
//                                                                 (table_stats_record.h)
//   0x0F  check constraints table_number(4)                       CheckConstraint list
//
// Values start with a format byte (currently 1) so later versions can change a layout
// and still read the old one. Schema versions are at format 2, which adds each field's
// column id (field.h); format 1 values read with ids 1..n by position (catalogs written
// before column ids, whose old versions cannot tell a renamed column from a dropped one). Integers
// inside values are varints; strings are a varint length and the bytes. Every decoder checks
// lengths, enum ranges and identifier rules and returns ErrorCode::kCorruption for bytes that do
// not decode (never crashes).
//
// User values are the exception to the format byte: the first records held only a role
// byte (1..4), so a user value is the role byte, then (appended later) format byte 1,
// varint credentials_version, signed varint created_us and the password hash string. A
// value of just the role byte still decodes (no password, version 0).
//
// Complexity: linear in the size of the record. Thread safety: stateless functions.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "catalog/catalog_records.h"
#include "common/status.h"
#include "ids/identifier.h"
#include "ids/table_id.h"
#include "types/schema.h"

namespace tenantdb {

enum class CatalogRecordKind : uint8_t {
  kNamespace = 0x01,
  kTable = 0x02,
  kSchemaVersion = 0x03,
  kStorage = 0x04,
  kCounter = 0x05,
  kManifestFile = 0x06,
  kManifestCounter = 0x07,
  kTableByNumber = 0x08,
  kUser = 0x09,  // user id -> UserRecord
  kPendingErasure = 0x0A,
  kRevokedToken = 0x0B,  // token id -> expiry
  kView = 0x0C,          // namespace, name -> ViewRecord
  kIndex = 0x0D,         // namespace, index name -> IndexRecord
  kTableStats = 0x0E,    // table_number -> TableStatsRecord (table_stats_record.h)
  kChecks = 0x0F,        // table number -> the table's CHECK constraints
};

// ---- keys ----
std::string NamespaceKey(const NamespaceId& ns);
std::string TableKey(const TableId& id);
// Every table key of `ns` starts with this.
std::string TableKeyPrefix(const NamespaceId& ns);
std::string SchemaVersionKey(uint32_t table_number, uint32_t version);
// Every schema-version key of `table_number` starts with this.
std::string SchemaVersionKeyPrefix(uint32_t table_number);
std::string StorageKey(const StorageId& id);
std::string CounterKey(std::string_view name);
std::string ManifestFileKey(uint32_t table_number, const UserId& user, uint64_t batch_number);
// Every manifest-file key of (table_number, user) starts with this.
std::string ManifestFileKeyPrefix(uint32_t table_number, const UserId& user);
// Every manifest-file key of `table_number`, any user, starts with this.
std::string ManifestTableKeyPrefix(uint32_t table_number);
std::string ManifestCounterKey(uint32_t table_number, const UserId& user);
std::string ManifestCounterTableKeyPrefix(uint32_t table_number);
std::string TableByNumberKey(uint32_t table_number);
std::string PendingErasureKey(uint32_t table_number);
// The one-byte prefix of every key of `kind`.
std::string KindPrefix(CatalogRecordKind kind);
std::string UserKey(const UserId& user);
std::string RevokedTokenKey(std::string_view token_id);
// A view's key (views are named like tables); every view key of `ns` starts with the
// prefix.
std::string ViewKey(const TableId& id);
std::string ViewKeyPrefix(const NamespaceId& ns);
// An index's record key (the name is a validated identifier).
std::string IndexKey(const NamespaceId& ns, std::string_view index_name);
// (namespace, index name) of an index key. Error: corruption.
Result<std::pair<NamespaceId, std::string>> DecodeIndexKey(std::string_view key);
std::string EncodeIndexValue(const IndexRecord& index);
// The unique byte is 2 for a UNIQUE constraint's index (1: a unique index, 0: not unique).
Result<IndexRecord> DecodeIndexValue(std::string_view value);
// The record of a table's CHECK constraints (written only for tables that have some).
std::string ChecksKey(uint32_t table_number);
Result<uint32_t> DecodeChecksKey(std::string_view key);
std::string EncodeChecksValue(const std::vector<CheckConstraint>& checks);
Result<std::vector<CheckConstraint>> DecodeChecksValue(std::string_view value);
// The smallest key greater than every key starting with `prefix` (for range deletes and
// scan bounds). `prefix` must not be all 0xff bytes.
std::string PrefixEnd(std::string prefix);

// The names inside keys (errors: corruption).
Result<NamespaceId> DecodeNamespaceKey(std::string_view key);
Result<TableId> DecodeTableKey(std::string_view key);
Result<TableId> DecodeViewKey(std::string_view key);
Result<StorageId> DecodeStorageKey(std::string_view key);

// ---- values ----
std::string EncodeNamespaceValue(const NamespaceInfo& info);
// `id` comes from the key.
Result<NamespaceInfo> DecodeNamespaceValue(const NamespaceId& id, std::string_view value);

std::string EncodeTableValue(const TableRecord& record);
Result<TableRecord> DecodeTableValue(std::string_view value);

// The value of a table-by-number record: the table's name.
std::string EncodeTableByNumberValue(const TableId& id);
Result<TableId> DecodeTableByNumberValue(std::string_view value);

// Fields (with their column ids) and metadata of one schema version.
std::string EncodeSchemaValue(const Schema& schema);
// Decoded parts, ready for SchemaPool::Intern.
struct DecodedSchema {
  std::vector<Field> fields;
  SchemaMetadata metadata;
};
Result<DecodedSchema> DecodeSchemaValue(std::string_view value);

std::string EncodeStorageValue(const StorageSpec& spec);
Result<StorageSpec> DecodeStorageValue(const StorageId& id, std::string_view value);

std::string EncodeCounterValue(uint64_t value);
Result<uint64_t> DecodeCounterValue(std::string_view value);

std::string EncodeManifestFileValue(const ManifestFile& file);
Result<ManifestFile> DecodeManifestFileValue(std::string_view value);

std::string EncodeUserValue(const UserRecord& user);
Result<UserRecord> DecodeUserValue(std::string_view value);

// A revoked token's expiry (Unix seconds).
std::string EncodeRevokedTokenValue(int64_t expires_at_unix_s);
Result<int64_t> DecodeRevokedTokenValue(std::string_view value);

// `table_number` comes from the key.
std::string EncodePendingErasureValue(const PendingErasure& erasure);
Result<PendingErasure> DecodePendingErasureValue(uint32_t table_number, std::string_view value);

std::string EncodeViewValue(const ViewRecord& view);
Result<ViewRecord> DecodeViewValue(std::string_view value);

}  // namespace tenantdb
