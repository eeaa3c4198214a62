// PersistentCatalog's views: one record per view (catalog_codec.h, kind 0x0C), in the
// table name space (CreateTables refuses a view's name and CreateView a table's).
#include <rocksdb/write_batch.h>

#include "catalog/catalog_codec.h"
#include "catalog/catalog_scan.h"
#include "catalog/persistent_catalog.h"

namespace tenantdb {

Status PersistentCatalog::CreateView(const TableId& id, ViewRecord view, bool replace) {
  TDB_RETURN_IF_ERROR(id.ns().CheckNotReserved());
  std::lock_guard<std::mutex> lock(ddl_mu_);
  TDB_RETURN_IF_ERROR(CheckNamespaceExists(id.ns()));
  TDB_ASSIGN_OR_RETURN(auto table, store_->Get(KvFamily::kCatalog, TableKey(id)));
  if (table.has_value()) {
    return Status(ErrorCode::kAlreadyExists, "a table named " + id.ToString() + " already exists");
  }
  const std::string key = ViewKey(id);
  TDB_ASSIGN_OR_RETURN(auto existing, store_->Get(KvFamily::kCatalog, key));
  view.created_us = clock_->NowUnixMicros();
  if (existing.has_value()) {
    if (!replace) {
      return Status(ErrorCode::kAlreadyExists, "view " + id.ToString() + " already exists");
    }
    TDB_ASSIGN_OR_RETURN(ViewRecord old, DecodeViewValue(*existing));
    view.created_us = old.created_us;
  }
  rocksdb::WriteBatch batch;
  batch.Put(store_->family(KvFamily::kCatalog), key, EncodeViewValue(view));
  return store_->Write(&batch);
}

Status PersistentCatalog::DropViews(const std::vector<TableId>& ids) {
  std::lock_guard<std::mutex> lock(ddl_mu_);
  rocksdb::WriteBatch batch;
  for (const TableId& id : ids) {
    const std::string key = ViewKey(id);
    TDB_ASSIGN_OR_RETURN(auto existing, store_->Get(KvFamily::kCatalog, key));
    if (!existing.has_value()) {
      return Status(ErrorCode::kNotFound, "view " + id.ToString() + " does not exist");
    }
    batch.Delete(store_->family(KvFamily::kCatalog), key);
  }
  return store_->Write(&batch);
}

Result<std::optional<ViewRecord>> PersistentCatalog::GetView(const TableId& id) const {
  TDB_ASSIGN_OR_RETURN(auto value, store_->Get(KvFamily::kCatalog, ViewKey(id)));
  if (!value.has_value()) return std::optional<ViewRecord>();
  TDB_ASSIGN_OR_RETURN(ViewRecord view, DecodeViewValue(*value));
  return std::optional<ViewRecord>(std::move(view));
}

Status PersistentCatalog::ForEachView(
    const NamespaceId& ns,
    const std::function<Status(const TableId&, const ViewRecord&)>& fn) const {
  const std::string prefix = ns.empty() ? KindPrefix(CatalogRecordKind::kView) : ViewKeyPrefix(ns);
  return ScanCatalogPrefix(*store_, prefix, [&](std::string_view key, std::string_view value) {
    TDB_ASSIGN_OR_RETURN(TableId id, DecodeViewKey(key));
    TDB_ASSIGN_OR_RETURN(ViewRecord view, DecodeViewValue(value));
    return fn(id, view);
  });
}

}  // namespace tenantdb
