#include "cli/synthetic_catalog.h"

#include <charconv>

namespace tenantdb::cli {

namespace {

// prefix + number, built by appending (GCC 12 misreports `"t" + std::to_string(i)`
// under -O3 as an overlapping memcpy).
std::string Numbered(std::string_view prefix, size_t n) {
  std::string out(prefix);
  out += std::to_string(n);
  return out;
}

}  // namespace

SyntheticCatalog::SyntheticCatalog(size_t tables, size_t namespaces, size_t schemas)
    : tables_(tables), storages_("./data/storage") {
  namespaces_.reserve(namespaces);
  for (size_t n = 0; n < namespaces; ++n) {
    namespaces_.push_back(*NamespaceId::Make(Numbered("ns", n)));
  }
  for (size_t s = 0; s < schemas; ++s) {
    schemas_.push_back(pool_.Intern({{"id", DataType::kBigInt, false, true, "SNOWFLAKE_ID()"},
                                     {"thread_id", DataType::kText, false, false, ""},
                                     {"role", DataType::kText, false, false, ""},
                                     {Numbered("content_", s), DataType::kText, false, false, ""},
                                     {"created_at", DataType::kTimestamp, true, false, "NOW()"}}));
  }
}

TableId SyntheticCatalog::Id(size_t i) const {
  return TableId(namespaces_[i % namespaces_.size()], *TableName::Make(Numbered("t", i)));
}

TableDefinition SyntheticCatalog::Definition(size_t i) const {
  TableDefinition d;
  d.id = Id(i);
  d.table_number = static_cast<uint32_t>(i + 1);
  d.type = TableType::kUser;
  // Interned through the pool, as the persistent catalog does on load.
  const Schema& s = *schemas_[i % schemas_.size()];
  d.schema = pool_.Intern(s.fields(), s.metadata());
  d.storage_id = storages_.local()->id;
  d.flush_policy.rows = 1000;
  return d;
}

TableEntryRef SyntheticCatalog::Entry(size_t i) const {
  return TableEntryRef(MakeRef<TableEntry>(Definition(i), storages_.local()));
}

SchemaCache::Loader SyntheticCatalog::Loader() const {
  // Stands in for the persistent catalog with the cheapest possible source, so the cache
  // benchmark measures the cache: no interning (the TableId arrives interned, the schema
  // is already pooled), no locks, one allocation for the entry.
  return [this](const TableId& id) -> Result<TableEntryRef> {
    std::string_view name = id.table().str();
    size_t i = 0;
    if (name.size() < 2 || name[0] != 't' ||
        std::from_chars(name.data() + 1, name.data() + name.size(), i).ec != std::errc() ||
        i >= tables_ || !(id.ns() == namespaces_[i % namespaces_.size()])) {
      return Status(ErrorCode::kNotFound, "table " + id.ToString() + " does not exist");
    }
    TableDefinition d;
    d.id = id;
    d.table_number = static_cast<uint32_t>(i + 1);
    d.type = TableType::kUser;
    d.schema = schemas_[i % schemas_.size()];
    d.storage_id = storages_.local()->id;
    d.flush_policy.rows = 1000;
    return TableEntryRef(MakeRef<TableEntry>(d, storages_.local()));
  };
}

}  // namespace tenantdb::cli
