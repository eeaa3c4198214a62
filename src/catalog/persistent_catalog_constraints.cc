// PersistentCatalog's UNIQUE and CHECK constraints of CREATE TABLE. A UNIQUE constraint
// is an index record (catalog_records.h, IndexRecord::constraint) numbered from the
// table-number counter like CREATE INDEX's; a table's CHECK constraints are one record
// of their own (kind 0x0F). Both go in the batch that creates the table, so a crash or
// a refused name leaves no table without its constraints, and no constraint without
// its table.
#include <rocksdb/write_batch.h>

#include "catalog/catalog_codec.h"
#include "catalog/catalog_scan.h"
#include "catalog/persistent_catalog.h"

namespace tenantdb {

Result<PersistentCatalog::CreatedTable> PersistentCatalog::CreateTableWithConstraints(
    TableDefinition definition, std::vector<std::pair<std::string, IndexRecord>> unique,
    std::vector<CheckConstraint> checks, const std::function<void(const CreatedTable&)>& publish) {
  CreatedTable out;
  auto stage = [&](rocksdb::WriteBatch* batch, const TableDefinition& table,
                   uint64_t* next) -> Status {
    rocksdb::ColumnFamilyHandle* cf = store_->family(KvFamily::kCatalog);
    const NamespaceId& ns = table.id.ns();
    for (auto& [name, record] : unique) {
      // PostgreSQL's indexes share the relation name space with tables (and with the
      // table being created).
      TDB_ASSIGN_OR_RETURN(auto index, store_->Get(KvFamily::kCatalog, IndexKey(ns, name)));
      bool taken = index.has_value() || name == table.id.table().str();
      if (!taken) {
        auto as_table = TableId::Make(std::string(ns.str()), name);
        if (as_table.ok()) {
          TDB_ASSIGN_OR_RETURN(auto t, store_->Get(KvFamily::kCatalog, TableKey(*as_table)));
          TDB_ASSIGN_OR_RETURN(auto v, store_->Get(KvFamily::kCatalog, ViewKey(*as_table)));
          taken = t.has_value() || v.has_value();
        }
      }
      if (taken) {
        return Status(ErrorCode::kDuplicateTable, "relation \"" + name + "\" already exists");
      }
      if (*next > UINT32_MAX) {
        return Status(ErrorCode::kInternal, "the catalog has run out of table numbers");
      }
      record.table = std::string(table.id.table().str());
      record.table_number = table.table_number;
      record.index_number = static_cast<uint32_t>((*next)++);
      record.unique = true;
      record.constraint = true;
      // The table has no rows yet: nothing to build.
      record.ready = true;
      record.created_us = table.created_us;
      batch->Put(cf, IndexKey(ns, name), EncodeIndexValue(record));
    }
    if (!checks.empty()) batch->Put(cf, ChecksKey(table.table_number), EncodeChecksValue(checks));
    out.table = table;
    out.indexes = unique;
    if (publish) publish(out);
    return Status::Ok();
  };
  std::vector<TableDefinition> one;
  one.push_back(std::move(definition));
  TDB_ASSIGN_OR_RETURN(auto created, CreateTables(std::move(one), stage));
  out.table = std::move(created.front());
  return out;
}

Status PersistentCatalog::ForEachChecks(
    const std::function<Status(uint32_t, std::vector<CheckConstraint>)>& fn) const {
  return ScanCatalogPrefix(*store_, KindPrefix(CatalogRecordKind::kChecks),
                           [&](std::string_view key, std::string_view value) -> Status {
                             TDB_ASSIGN_OR_RETURN(uint32_t table, DecodeChecksKey(key));
                             TDB_ASSIGN_OR_RETURN(auto checks, DecodeChecksValue(value));
                             return fn(table, std::move(checks));
                           });
}

}  // namespace tenantdb
