#include "engine/relation_names.h"

namespace tenantdb {

Result<std::vector<std::string>> CatalogRelationNames::Namespaces() const {
  TDB_ASSIGN_OR_RETURN(std::vector<NamespaceInfo> namespaces, catalog_->ListNamespaces());
  std::vector<std::string> out;
  for (const NamespaceInfo& ns : namespaces)
    out.emplace_back(ns.id.str());
  return out;
}

Result<std::vector<std::string>> CatalogRelationNames::NamespacesWith(
    const std::string& name) const {
  TDB_ASSIGN_OR_RETURN(std::vector<NamespaceInfo> namespaces, catalog_->ListNamespaces());
  std::vector<std::string> out;
  for (const NamespaceInfo& ns : namespaces) {
    auto table = TableName::Make(name);
    if (!table.ok()) return out;
    TDB_ASSIGN_OR_RETURN(bool exists, catalog_->RelationExists(TableId(ns.id, *table)));
    if (exists) out.emplace_back(ns.id.str());
  }
  return out;
}

Result<std::vector<std::string>> CatalogRelationNames::NamesIn(const std::string& ns) const {
  auto id = NamespaceId::Make(ns);
  if (!id.ok()) return std::vector<std::string>();
  return catalog_->ListRelationNames(*id, kMaxNames);
}

}  // namespace tenantdb
