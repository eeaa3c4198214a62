// ViewRegistry: the binder's ViewSource (sql/planner/view_source.h) over the persistent
// catalog, with the parsed query of every view read since the last view DDL cached.
//
// A lookup of a name that is no view costs one RocksDB point read (the binder asks only
// for names it did not find as tables). Invalidate() after every CREATE / DROP VIEW and
// every DROP that removes views: a lookup that started before it never caches what it read.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "catalog/persistent_catalog.h"
#include "sql/planner/view_source.h"

namespace tenantdb {

class ViewRegistry final : public sql::ViewSource {
 public:
  explicit ViewRegistry(const PersistentCatalog* catalog) : catalog_(catalog) {}

  Result<std::shared_ptr<const sql::ViewQuery>> FindView(const TableId& id) const override;
  void Invalidate();

  // The ViewQuery of a stored record (parses its query). Errors: corruption (a stored
  // query that does not parse as one SELECT).
  static Result<std::shared_ptr<const sql::ViewQuery>> Load(const TableId& id,
                                                            const ViewRecord& record);

 private:
  const PersistentCatalog* const catalog_;
  mutable std::mutex mu_;
  mutable absl::flat_hash_map<std::string, std::shared_ptr<const sql::ViewQuery>> cached_;
  uint64_t generation_ = 0;  // guarded by mu_; advanced by Invalidate
};

}  // namespace tenantdb
