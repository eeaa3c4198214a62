#include "storage/hot/hot_table.h"

#include <string>

#include "storage/hot/key_codec.h"

namespace tenantdb {

Result<HotTable> HotTable::Make(uint32_t table_number, TableType type, uint32_t schema_version,
                                std::shared_ptr<const Schema> schema, SchemaLookup lookup,
                                uint32_t ttl_seconds) {
  if (schema == nullptr) return Status(ErrorCode::kInvalidArgument, "hot table without a schema");
  if (type == TableType::kSystem) {
    return Status(ErrorCode::kInvalidArgument, "SYSTEM tables have no stored rows");
  }
  if (ttl_seconds != 0 && type != TableType::kStream) {
    // Only STREAM rows may vanish: others' deletes must reach cold files as tombstones.
    return Status(ErrorCode::kInvalidArgument, "only STREAM tables have a TTL");
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
  t.ttl_seconds_ = ttl_seconds;
  return t;
}

Result<HotTable> HotTable::FromDefinition(const TableDefinition& d, SchemaLookup lookup) {
  return Make(d.table_number, d.type, d.schema_version, d.schema, std::move(lookup),
              d.type == TableType::kStream ? d.ttl_seconds : 0);
}

Result<HotTable> HotTable::FromEntry(const TableEntry& e, SchemaLookup lookup) {
  return Make(e.table_number(), e.type(), e.schema_version(), e.schema(), std::move(lookup),
              e.ttl_seconds());
}

Result<std::string> HotTable::KeyBytesOf(const Batch& batch, size_t row) const {
  std::vector<Value> key;
  key.reserve(key_indices_.size());
  for (size_t i : key_indices_)
    key.push_back(batch.column(i).GetValue(row));
  std::string out;
  TDB_RETURN_IF_ERROR(AppendKeyColumns(key_types_, key, &out));
  return out;
}

}  // namespace tenantdb
