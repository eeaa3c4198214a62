#include "catalog/table_definition.h"

#include <set>
#include <string>

namespace tenantdb {

Status TableDefinition::Validate() const {
  const std::string name = id.ToString();
  auto error = [&](const std::string& why) {
    return Status(ErrorCode::kInvalidArgument, "table " + name + ": " + why);
  };
  if (!schema || schema->num_fields() == 0) return error("needs at least one column");
  std::set<std::string_view> names;
  std::set<uint32_t> ids;
  for (const Field& f : schema->fields()) {
    if (!names.insert(f.name).second) return error("column " + f.name + " is declared twice");
    if (f.id == 0 || !ids.insert(f.id).second) {
      return error("column " + f.name + " needs a column id of its own");
    }
    if (f.primary_key && f.nullable) {
      return error("primary key column " + f.name + " must be NOT NULL");
    }
  }
  const bool has_key = !schema->PrimaryKeyIndices().empty();
  if (IsPerUser(type) && !has_key) {
    return error(std::string(TableTypeName(type)) +
                 " tables need a PRIMARY KEY so each user's rows can be addressed");
  }
  if (type == TableType::kStream) {
    if (ttl_seconds == 0) return error("STREAM tables need TTL_SECONDS (how long rows live)");
    if (!flush_policy.empty()) return error("STREAM tables are never flushed; drop FLUSH_POLICY");
  } else if (ttl_seconds != 0) {
    return error("TTL_SECONDS applies to STREAM tables only");
  }
  return Status::Ok();
}

}  // namespace tenantdb
