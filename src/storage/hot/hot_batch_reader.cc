#include "storage/hot/hot_batch_reader.h"

#include "storage/cold/batch_file.h"
#include "types/array_value.h"

namespace tenantdb {

namespace {

// The value a tombstone row shows in a NOT NULL column of a Batch.
Value Placeholder(DataType type) {
  if (IsArray(type)) return Value::Array(ElementType(type), EncodeArray(ElementType(type), {}));
  switch (type) {
    case DataType::kBoolean:
      return Value::Boolean(false);
    case DataType::kSmallInt:
      return Value::SmallInt(0);
    case DataType::kInt:
      return Value::Int(0);
    case DataType::kBigInt:
      return Value::BigInt(0);
    case DataType::kReal:
      return Value::Real(0);
    case DataType::kDouble:
      return Value::Double(0);
    case DataType::kText:
      return Value::Text("");
    case DataType::kBytea:
      return Value::Bytea("");
    case DataType::kJson:
      return Value::Json("");
    case DataType::kDate:
      return Value::Date(0);
    case DataType::kTimestamp:
      return Value::Timestamp(0);
    case DataType::kTimestampTz:
      return Value::TimestampTz(0);
    case DataType::kUuid:
      return Value::FromUuid(Uuid{});
    case DataType::kInterval:
      return Value::FromInterval(Interval{});
    case DataType::kNumeric:
      return Value::FromNumeric(Numeric{});
  }
  return Value::Null(type);
}

}  // namespace

Result<std::unique_ptr<HotBatchReader>> HotBatchReader::Make(const HotTable& table,
                                                             std::unique_ptr<HotRowIterator> scan,
                                                             std::vector<size_t> columns,
                                                             std::vector<bool> wanted,
                                                             bool tombstones) {
  const Schema& fields = *table.schema();
  std::unique_ptr<HotBatchReader> reader(new HotBatchReader());
  std::shared_ptr<const Schema> projected = table.schema();
  if (columns.empty()) {
    for (size_t i = 0; i < fields.num_fields(); ++i)
      columns.push_back(i);
  } else {
    std::vector<Field> kept;
    for (size_t c : columns) {
      if (c >= fields.num_fields()) {
        return Status(ErrorCode::kInvalidArgument,
                      "column position " + std::to_string(c) + " is out of range");
      }
      kept.push_back(fields.field(c));
    }
    projected = std::make_shared<Schema>(std::move(kept), fields.metadata());
  }
  reader->output_of_field_.assign(fields.num_fields(), -1);
  for (size_t out = 0; out < columns.size(); ++out)
    reader->output_of_field_[columns[out]] = static_cast<int>(out);
  reader->schema_ = tombstones ? ColdFileSchema(*projected) : projected;
  reader->table_ = &table;
  reader->scan_ = std::move(scan);
  reader->columns_ = std::move(columns);
  reader->wanted_ = std::move(wanted);
  reader->tombstones_ = tombstones;
  reader->targets_.assign(fields.num_fields(), nullptr);
  return reader;
}

Result<std::optional<Batch>> HotBatchReader::Next(size_t max_rows, Keys* keys) {
  if (done_) return std::optional<Batch>();
  const Schema& fields = *table_->schema();
  Batch batch(schema_);
  for (size_t f = 0; f < fields.num_fields(); ++f) {
    const int out = output_of_field_[f];
    targets_[f] = out < 0 ? nullptr : &batch.mutable_column(static_cast<size_t>(out));
  }
  size_t rows = 0;
  while (rows < max_rows) {
    TDB_ASSIGN_OR_RETURN(bool more, scan_->Next());
    if (!more) {
      done_ = true;
      scan_.reset();  // releases the RocksDB iterator (and its snapshot) at once
      break;
    }
    ++rows;
    if (keys != nullptr) {
      keys->bytes.append(scan_->key_columns());
      keys->ends.push_back(static_cast<uint32_t>(keys->bytes.size()));
    }
    if (scan_->raw()) {
      TDB_RETURN_IF_ERROR(DecodeRowBodyInto(scan_->row_body(), fields, targets_, wanted_));
      if (tombstones_) batch.mutable_column(columns_.size()).AppendInt64(0);
      continue;
    }
    const HotRow& row = scan_->row();
    // Decoded values have their columns' types already; append without re-checking so
    // a NULL in a column added NOT NULL since the row was written stays readable.
    for (size_t out_col = 0; out_col < columns_.size(); ++out_col) {
      const size_t i = columns_[out_col];
      ColumnVector& column = batch.mutable_column(out_col);
      const Value& v = row.values[i];
      if (!wanted_.empty() && !(i < wanted_.size() && wanted_[i])) {
        column.AppendNull();
      } else if (row.is_tombstone() && v.is_null() && !fields.field(i).nullable) {
        column.Append(Placeholder(fields.field(i).type));
      } else {
        column.Append(v);
      }
    }
    if (tombstones_) batch.mutable_column(columns_.size()).AppendInt64(row.is_tombstone() ? 1 : 0);
  }
  if (rows == 0) return std::optional<Batch>();
  return std::optional<Batch>(std::move(batch));
}

}  // namespace tenantdb
