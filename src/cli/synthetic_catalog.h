// SyntheticCatalog: generated namespaces, schemas and table definitions for the catalog
// and cache benchmarks, so they measure the catalog itself and not a data source.
//
// Table i lives in namespace "ns<i % namespaces>", is named "t<i>" (every table name
// distinct: the least favourable case for interning) and uses schema i % schemas, each a
// 5-column chat-message layout differing in one column name. The loader derives the
// definition from the table name alone and keeps no per-table state.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "catalog/schema_cache.h"
#include "catalog/schema_pool.h"
#include "catalog/storage_registry.h"
#include "catalog/table_definition.h"

namespace tenantdb::cli {

class SyntheticCatalog {
 public:
  SyntheticCatalog(size_t tables, size_t namespaces, size_t schemas);

  size_t tables() const { return tables_; }
  TableId Id(size_t i) const;
  TableDefinition Definition(size_t i) const;
  TableEntryRef Entry(size_t i) const;
  // Builds entries for tables named by Id(); not_found for anything else.
  SchemaCache::Loader Loader() const;
  SchemaPool& pool() { return pool_; }

 private:
  size_t tables_;
  StorageRegistry storages_;
  mutable SchemaPool pool_;  // thread-safe; interning is logically const
  std::vector<NamespaceId> namespaces_;
  std::vector<std::shared_ptr<const Schema>> schemas_;
};

}  // namespace tenantdb::cli
