// PersistentCatalog's secondary indexes: one record per index (catalog_codec.h, kind
// 0x0D). Index numbers come from the table-number counter (its key is the same one
// CreateTables advances, under the same DDL mutex), so an index's entries and a table's
// rows never share a key prefix, and neither number is ever reused.
#include <rocksdb/write_batch.h>

#include "catalog/catalog_codec.h"
#include "catalog/catalog_scan.h"
#include "catalog/persistent_catalog.h"

namespace tenantdb {

namespace {

constexpr std::string_view kNextTableNumber = "next_table_number";  // persistent_catalog.cc

Status IndexNotFound(const NamespaceId& ns, const std::string& name) {
  return Status(ErrorCode::kNotFound,
                "index \"" + std::string(ns.str()) + "." + name + "\" does not exist");
}

}  // namespace

Result<IndexRecord> PersistentCatalog::CreateIndex(const NamespaceId& ns, const std::string& name,
                                                   IndexRecord index) {
  std::lock_guard<std::mutex> lock(ddl_mu_);
  TDB_RETURN_IF_ERROR(CheckNamespaceExists(ns));
  const std::string key = IndexKey(ns, name);
  TDB_ASSIGN_OR_RETURN(auto existing, store_->Get(KvFamily::kCatalog, key));
  bool taken = existing.has_value();
  if (!taken) {
    // PostgreSQL's indexes share the relation name space with tables.
    auto as_table = TableId::Make(std::string(ns.str()), name);
    if (as_table.ok()) {
      TDB_ASSIGN_OR_RETURN(auto table, store_->Get(KvFamily::kCatalog, TableKey(*as_table)));
      taken = table.has_value();
    }
  }
  // duplicate_table (42P07), PostgreSQL's code for a taken relation name.
  if (taken) return Status(ErrorCode::kDuplicateTable, "relation \"" + name + "\" already exists");
  if (next_table_number_ == UINT32_MAX) {
    return Status(ErrorCode::kInternal, "the catalog has run out of table numbers");
  }
  index.index_number = next_table_number_;
  index.ready = false;
  index.created_us = clock_->NowUnixMicros();
  rocksdb::ColumnFamilyHandle* cf = store_->family(KvFamily::kCatalog);
  rocksdb::WriteBatch batch;
  batch.Put(cf, key, EncodeIndexValue(index));
  batch.Put(cf, CounterKey(kNextTableNumber), EncodeCounterValue(uint64_t{next_table_number_} + 1));
  TDB_RETURN_IF_ERROR(store_->Write(&batch));
  ++next_table_number_;
  return index;
}

Status PersistentCatalog::SetIndexReady(const NamespaceId& ns, const std::string& name) {
  std::lock_guard<std::mutex> lock(ddl_mu_);
  const std::string key = IndexKey(ns, name);
  TDB_ASSIGN_OR_RETURN(auto existing, store_->Get(KvFamily::kCatalog, key));
  if (!existing.has_value()) return IndexNotFound(ns, name);
  TDB_ASSIGN_OR_RETURN(IndexRecord index, DecodeIndexValue(*existing));
  index.ready = true;
  rocksdb::WriteBatch batch;
  batch.Put(store_->family(KvFamily::kCatalog), key, EncodeIndexValue(index));
  return store_->Write(&batch);
}

Status PersistentCatalog::DropIndex(
    const NamespaceId& ns, const std::string& name,
    const std::function<void(rocksdb::WriteBatch*, const IndexRecord&)>& batch_extra) {
  std::lock_guard<std::mutex> lock(ddl_mu_);
  const std::string key = IndexKey(ns, name);
  TDB_ASSIGN_OR_RETURN(auto existing, store_->Get(KvFamily::kCatalog, key));
  if (!existing.has_value()) return IndexNotFound(ns, name);
  TDB_ASSIGN_OR_RETURN(IndexRecord index, DecodeIndexValue(*existing));
  rocksdb::WriteBatch batch;
  batch.Delete(store_->family(KvFamily::kCatalog), key);
  if (batch_extra) batch_extra(&batch, index);
  return store_->Write(&batch);
}

Result<std::optional<IndexRecord>> PersistentCatalog::GetIndex(const NamespaceId& ns,
                                                               const std::string& name) const {
  TDB_ASSIGN_OR_RETURN(auto value, store_->Get(KvFamily::kCatalog, IndexKey(ns, name)));
  if (!value.has_value()) return std::optional<IndexRecord>();
  TDB_ASSIGN_OR_RETURN(IndexRecord index, DecodeIndexValue(*value));
  return std::optional<IndexRecord>(std::move(index));
}

Status PersistentCatalog::ForEachIndex(
    const std::function<Status(const NamespaceId&, const std::string&, const IndexRecord&)>& fn)
    const {
  return ScanCatalogPrefix(*store_, KindPrefix(CatalogRecordKind::kIndex),
                           [&](std::string_view key, std::string_view value) -> Status {
                             TDB_ASSIGN_OR_RETURN(auto name, DecodeIndexKey(key));
                             TDB_ASSIGN_OR_RETURN(IndexRecord index, DecodeIndexValue(value));
                             return fn(name.first, name.second, index);
                           });
}

}  // namespace tenantdb
