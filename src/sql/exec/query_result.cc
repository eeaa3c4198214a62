#include "sql/exec/query_result.h"

namespace tenantdb::sql {

size_t QueryResult::num_rows() const {
  size_t rows = 0;
  for (const Batch& batch : batches)
    rows += batch.num_rows();
  return rows;
}

Value QueryResult::Get(size_t row, size_t column) const {
  for (const Batch& batch : batches) {
    if (row < batch.num_rows()) return batch.column(column).GetValue(row);
    row -= batch.num_rows();
  }
  return Value::Null(schema->field(column).type);
}

}  // namespace tenantdb::sql
