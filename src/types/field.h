// Field: one column of a Schema — name, type, nullability, default and key membership.
//
// `default_expr` is the column's DEFAULT as SQL text ("NOW()", "0", "'draft'"), parsed
// and evaluated by the SQL layer; empty means no default (NULL). Fields are compared by
// every member, which is what SchemaPool deduplicates on.
//
// Thread safety: a value type.
#pragma once

#include <string>

#include "types/data_type.h"

namespace tenantdb {

struct Field {
  std::string name;
  DataType type = DataType::kText;
  bool nullable = true;
  bool primary_key = false;  // part of the table's primary key, in field order
  std::string default_expr;

  friend bool operator==(const Field&, const Field&) = default;
};

}  // namespace tenantdb
