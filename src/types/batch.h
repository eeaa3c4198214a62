// Batch: a run of rows in columnar form — the unit every layer above types/ passes on
// (storage scans produce Batches, operators transform them, result sinks print them).
//
// A Batch carries the Schema of the columns it holds (which may be a projection of a
// table's schema) and one ColumnVector per field, all of the same length.
//
// Thread safety: not synchronized; hand a finished Batch to another thread freely.
#pragma once

#include <memory>
#include <vector>

#include "common/status.h"
#include "types/column_vector.h"
#include "types/schema.h"

namespace tenantdb {

class Batch {
 public:
  // An empty batch with one column per field of `schema`.
  explicit Batch(std::shared_ptr<const Schema> schema);
  // A batch of `columns`: one per field of `schema`, of that field's type, all of one
  // length (asserted). Operators that move columns from one batch to the next use it
  // instead of building empty columns first and replacing them.
  Batch(std::shared_ptr<const Schema> schema, std::vector<ColumnVector> columns);

  const std::shared_ptr<const Schema>& schema() const { return schema_; }
  size_t num_rows() const { return columns_.empty() ? 0 : columns_[0].size(); }
  size_t num_columns() const { return columns_.size(); }
  const ColumnVector& column(size_t i) const { return columns_[i]; }
  ColumnVector& mutable_column(size_t i) { return columns_[i]; }

  // Appends one row; `row` has a value per column, each NULL or of the column's type.
  // Errors (and nothing appended): invalid_argument for a wrong count, type_mismatch for
  // a value of another type, invalid_argument for NULL in a NOT NULL column.
  Status AppendRow(const std::vector<Value>& row);
  std::vector<Value> GetRow(size_t row) const;

 private:
  std::shared_ptr<const Schema> schema_;
  std::vector<ColumnVector> columns_;
};

}  // namespace tenantdb
