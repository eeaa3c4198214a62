// Field: one column of a Schema — identity, name, type, nullability, default and key
// membership.
//
// `id` is the column's identity in its table: assigned by the catalog when the column is
// created (CREATE TABLE or ADD COLUMN) and never reused for another column of that table,
// whatever happens to names. Stored rows and Parquet files are mapped onto a later schema
// version by id, never by name, so a renamed column keeps its values and a dropped
// column's values can never reappear under a reused name. 0 means "no identity": the
// schemas of query results, of files other tools wrote, and of system tables.
//
// `default_expr` is the column's DEFAULT as SQL text ("NOW()", "0", "'draft'"), parsed
// and evaluated by the SQL layer; empty means no default (NULL). Fields are compared by
// every member, which is what SchemaPool deduplicates on.
//
// Thread safety: a value type.
#pragma once

#include <cstdint>
#include <string>

#include "types/data_type.h"

namespace tenantdb {

struct Field {
  std::string name;
  DataType type = DataType::kText;
  bool nullable = true;
  bool primary_key = false;  // part of the table's primary key, in field order
  std::string default_expr;
  uint32_t id = 0;  // last, so Field{name, type, ...} initializers need not name it

  friend bool operator==(const Field&, const Field&) = default;
};

}  // namespace tenantdb
