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
// `numeric_precision` / `numeric_scale` are a NUMERIC column's typmod, NUMERIC(p,s):
// 1 <= p <= 38 and 0 <= s <= p; precision 0 means unconstrained NUMERIC (each value
// keeps its own scale, as in PostgreSQL). Both are 0 for every other type. They sit
// in Field rather than in DataType because a type's identity in expressions is the
// enum alone: the typmod only matters where a value is stored (assignment rounds to
// the scale and checks the precision) and where a file format needs it (Parquet
// DECIMAL).
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
  uint32_t id = 0;  // after the above, so Field{name, type, ...} initializers need not name it
  uint8_t numeric_precision = 0;
  uint8_t numeric_scale = 0;

  friend bool operator==(const Field&, const Field&) = default;
};

}  // namespace tenantdb
