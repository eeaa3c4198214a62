#include "catalog/table_entry.h"

namespace tenantdb {

TableEntry::TableEntry(const TableDefinition& d, const StorageInfo* storage)
    : type_(d.type),
      access_level_(d.access_level),
      id_(d.id),
      schema_(d.schema),
      table_number_(d.table_number),
      schema_version_(d.schema_version),
      storage_id_(d.storage_id),
      ttl_seconds_(d.ttl_seconds),
      flush_policy_(d.flush_policy),
      storage_(storage) {}

TableEntry::~TableEntry() = default;

TableDefinition TableEntry::definition() const {
  TableDefinition d;
  d.id = id_;
  d.table_number = table_number_;
  d.type = type_;
  d.access_level = access_level_;
  d.schema_version = schema_version_;
  d.schema = schema_;
  d.storage_id = storage_id_;
  d.flush_policy = flush_policy_;
  d.ttl_seconds = ttl_seconds_;
  return d;
}

}  // namespace tenantdb
static_assert(sizeof(tenantdb::TableEntry) == 72, "see the size note in table_entry.h");
