#include "types/batch.h"

#include <cassert>
#include <string>

namespace tenantdb {

Batch::Batch(std::shared_ptr<const Schema> schema) : schema_(std::move(schema)) {
  columns_.reserve(schema_->num_fields());
  for (const Field& f : schema_->fields())
    columns_.emplace_back(f.type);
}

Batch::Batch(std::shared_ptr<const Schema> schema, std::vector<ColumnVector> columns)
    : schema_(std::move(schema)), columns_(std::move(columns)) {
  assert(columns_.size() == schema_->num_fields());
  for (size_t i = 0; i < columns_.size(); ++i) {
    assert(columns_[i].type() == schema_->field(i).type);
    assert(columns_[i].size() == columns_[0].size());
    (void)i;
  }
}

Status Batch::AppendRow(const std::vector<Value>& row) {
  if (row.size() != columns_.size()) {
    return Status(ErrorCode::kInvalidArgument, "row has " + std::to_string(row.size()) +
                                                   " values but the batch has " +
                                                   std::to_string(columns_.size()) + " columns");
  }
  for (size_t i = 0; i < row.size(); ++i) {
    const Field& f = schema_->field(i);
    if (row[i].type() != f.type) {
      return Status(ErrorCode::kTypeMismatch,
                    "column " + f.name + " is " + std::string(DataTypeName(f.type)) +
                        " but the value is " + std::string(DataTypeName(row[i].type())));
    }
    if (row[i].is_null() && !f.nullable) {
      return Status(ErrorCode::kInvalidArgument, "column " + f.name + " does not accept NULL");
    }
  }
  for (size_t i = 0; i < row.size(); ++i)
    columns_[i].Append(row[i]);
  return Status::Ok();
}

std::vector<Value> Batch::GetRow(size_t row) const {
  std::vector<Value> out;
  out.reserve(columns_.size());
  for (const ColumnVector& c : columns_)
    out.push_back(c.GetValue(row));
  return out;
}

}  // namespace tenantdb
