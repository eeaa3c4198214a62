// TableEntry: the immutable, cached description of one table — and the base class of
// that table's provider.
//
// The SchemaCache maps TableId -> TableEntry. An entry holds the current definition
// (type, schema and its version, storage, flush policy, TTL, access level) and the
// storage's compiled path template, bound to this table. The table's single provider
// (tables/: User/Shared/Stream/System providers) *is* its entry: providers derive from
// TableEntry and add behaviour, never per-user state. So N users x M tables means M
// providers, and a table costs one allocation in the cache instead of three (entry,
// provider, back-pointer).
//
// Size: 64 bytes (72 with malloc's header): fields are laid out flat rather than as a
// nested TableDefinition to avoid two rounds of padding. A change to DDL produces a new
// entry; entries are never modified, only replaced.
//
// Thread safety: immutable, so any number of threads
// may read an entry they hold through a RefPtr or inside a cache read section.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "catalog/storage_registry.h"
#include "catalog/table_definition.h"
#include "common/ref_counted.h"

namespace tenantdb {

class TableEntry : public RefCounted<TableEntry> {
 public:
  // `storage` must be the StorageInfo named by definition.storage_id and outlive the
  // entry (StorageRegistry guarantees that). Takes the definition by value so callers
  // can move it in: copying a schema pointer or identifier is an atomic increment on a
  // count other threads share.
  TableEntry(TableDefinition definition, const StorageInfo* storage);
  virtual ~TableEntry();
  TableEntry(const TableEntry&) = delete;
  TableEntry& operator=(const TableEntry&) = delete;

  const TableId& id() const { return id_; }
  TableType type() const { return type_; }
  AccessLevel access_level() const { return access_level_; }
  uint32_t table_number() const { return table_number_; }
  uint32_t schema_version() const { return schema_version_; }
  const std::shared_ptr<const Schema>& schema() const { return schema_; }
  const StorageId& storage_id() const { return storage_->id; }
  const StorageInfo& storage() const { return *storage_; }
  FlushPolicy flush_policy() const {
    return type_ == TableType::kStream ? FlushPolicy{} : flush_or_ttl_;
  }
  uint32_t ttl_seconds() const { return type_ == TableType::kStream ? flush_or_ttl_.rows : 0; }
  const PathTemplate& path_template() const { return storage_->TemplateFor(type_); }

  // A copy of the definition this entry was built from.
  TableDefinition definition() const;

  // The directory (under the storage's base) for `user`'s cold files of this table, or
  // the table's directory for SHARED tables (user may then be null).
  // Error: invalid_argument when the template needs a user or shard that is missing.
  Result<std::string> StoragePath(const UserId* user, std::optional<uint32_t> shard) const {
    return path_template().Resolve(id_, user, shard);
  }

 private:
  friend class SchemaCache;
  TableType type_;
  AccessLevel access_level_;
  TableId id_;
  std::shared_ptr<const Schema> schema_;
  uint32_t table_number_;
  uint32_t schema_version_;
  // STREAM tables have a TTL and never flush; the others flush and have no TTL. One
  // field holds whichever applies (the TTL in `rows`), keeping the entry at 64 bytes.
  FlushPolicy flush_or_ttl_;
  const StorageInfo* storage_;
};

using TableEntryRef = RefPtr<const TableEntry>;

}  // namespace tenantdb
