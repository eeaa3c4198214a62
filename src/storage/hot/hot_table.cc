#include "storage/hot/hot_table.h"

#include <string>

namespace tenantdb {

Result<HotTable> HotTable::Make(uint32_t table_number, TableType type, uint32_t schema_version,
                                std::shared_ptr<const Schema> schema, SchemaLookup lookup) {
  if (schema == nullptr) return Status(ErrorCode::kInvalidArgument, "hot table without a schema");
  if (type == TableType::kSystem) {
    return Status(ErrorCode::kInvalidArgument, "SYSTEM tables have no stored rows");
  }
  HotTable t;
  t.table_number_ = table_number;
  t.type_ = type;
  t.schema_version_ = schema_version;
  t.key_indices_ = schema->PrimaryKeyIndices();
  if (t.key_indices_.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  "table number " + std::to_string(table_number) +
                      " has no PRIMARY KEY; the hot store addresses rows by key");
  }
  for (size_t i : t.key_indices_)
    t.key_types_.push_back(schema->field(i).type);
  t.schema_ = std::move(schema);
  t.lookup_ = std::move(lookup);
  return t;
}

Result<HotTable> HotTable::FromDefinition(const TableDefinition& d, SchemaLookup lookup) {
  return Make(d.table_number, d.type, d.schema_version, d.schema, std::move(lookup));
}

Result<HotTable> HotTable::FromEntry(const TableEntry& e, SchemaLookup lookup) {
  return Make(e.table_number(), e.type(), e.schema_version(), e.schema(), std::move(lookup));
}

}  // namespace tenantdb
