// PersistentCatalog's name lookups for error hints: cheap reads of keys only.
#include "catalog/catalog_codec.h"
#include "catalog/catalog_scan.h"
#include "catalog/persistent_catalog.h"

namespace tenantdb {

Result<bool> PersistentCatalog::RelationExists(const TableId& id) const {
  TDB_ASSIGN_OR_RETURN(auto table, store_->Get(KvFamily::kCatalog, TableKey(id)));
  if (table.has_value()) return true;
  TDB_ASSIGN_OR_RETURN(auto view, store_->Get(KvFamily::kCatalog, ViewKey(id)));
  return view.has_value();
}

Result<std::vector<std::string>> PersistentCatalog::ListRelationNames(const NamespaceId& ns,
                                                                      size_t limit) const {
  std::vector<std::string> names;
  for (const std::string& prefix : {TableKeyPrefix(ns), ViewKeyPrefix(ns)}) {
    size_t listed = 0;
    // The scan stops at the first error its callback returns: `full` ends it at the limit.
    bool full = false;
    Status s = ScanCatalogPrefix(*store_, prefix, [&](std::string_view key, std::string_view) {
      if (listed++ == limit) {
        full = true;
        return Status(ErrorCode::kInternal, "limit reached");
      }
      names.emplace_back(key.substr(prefix.size()));
      return Status::Ok();
    });
    if (!full) TDB_RETURN_IF_ERROR(s);
  }
  return names;
}

}  // namespace tenantdb
