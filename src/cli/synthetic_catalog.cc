#include "cli/synthetic_catalog.h"

#include <charconv>

namespace tenantdb::cli {

SyntheticCatalog::SyntheticCatalog(size_t tables, size_t namespaces, size_t schemas)
    : tables_(tables), storages_("./data/storage") {
  namespaces_.reserve(namespaces);
  for (size_t n = 0; n < namespaces; ++n) {
    namespaces_.push_back(*NamespaceId::Make("ns" + std::to_string(n)));
  }
  for (size_t s = 0; s < schemas; ++s) {
    schemas_.push_back(pool_.Intern({{"id", DataType::kBigInt, false, true, "SNOWFLAKE_ID()"},
                                     {"thread_id", DataType::kText, false, false, ""},
                                     {"role", DataType::kText, false, false, ""},
                                     {"content_" + std::to_string(s), DataType::kText, false, false, ""},
                                     {"created_at", DataType::kTimestamp, true, false, "NOW()"}}));
  }
}

TableId SyntheticCatalog::Id(size_t i) const {
  return TableId(namespaces_[i % namespaces_.size()], *TableName::Make("t" + std::to_string(i)));
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
  return [this](const TableId& id) -> Result<TableEntryRef> {
    std::string_view name = id.table().str();
    size_t i = 0;
    if (name.size() < 2 || name[0] != 't' ||
        std::from_chars(name.data() + 1, name.data() + name.size(), i).ec != std::errc() ||
        i >= tables_ || !(Id(i) == id)) {
      return Status(ErrorCode::kNotFound, "table " + id.ToString() + " does not exist");
    }
    return Entry(i);
  };
}

}  // namespace tenantdb::cli
