// CatalogRelationNames: the binder's RelationNames (sql/planner/relation_names.h) over
// the persistent catalog, for hints in undefined_table errors.
//
// Cost: NamespacesWith reads two keys per namespace; NamesIn lists up to kMaxNames keys.
// Thread safety: as the catalog's reads.
#pragma once

#include "catalog/persistent_catalog.h"
#include "sql/planner/relation_names.h"

namespace tenantdb {

class CatalogRelationNames final : public sql::RelationNames {
 public:
  static constexpr size_t kMaxNames = 10'000;
  explicit CatalogRelationNames(const PersistentCatalog* catalog) : catalog_(catalog) {}

  Result<std::vector<std::string>> NamespacesWith(const std::string& name) const override;
  Result<std::vector<std::string>> NamesIn(const std::string& ns) const override;
  Result<std::vector<std::string>> Namespaces() const override;

 private:
  const PersistentCatalog* const catalog_;
};

}  // namespace tenantdb
