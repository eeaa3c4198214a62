#include "catalog/table_entry.h"

namespace tenantdb {

TableEntry::TableEntry(TableDefinition d, const StorageInfo* storage)
    : type_(d.type),
      access_level_(d.access_level),
      id_(std::move(d.id)),
      schema_(std::move(d.schema)),
      table_number_(d.table_number),
      schema_version_(d.schema_version),
      flush_or_ttl_(d.type == TableType::kStream ? FlushPolicy{d.ttl_seconds, 0} : d.flush_policy),
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
  d.storage_id = storage_->id;
  d.flush_policy = flush_policy();
  d.ttl_seconds = ttl_seconds();
  return d;
}

}  // namespace tenantdb
static_assert(sizeof(tenantdb::TableEntry) == 64, "see the size note in table_entry.h");
