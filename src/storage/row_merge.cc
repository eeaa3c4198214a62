#include "storage/row_merge.h"

#include <cstring>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "storage/cold/batch_file.h"
#include "types/numeric.h"

namespace tenantdb {

namespace {

// Appends an unambiguous encoding of one key value (type, length where variable).
void AppendKeyPart(const ColumnVector& column, size_t row, std::string* key) {
  key->push_back(static_cast<char>(column.type()));
  auto raw = [&](const auto& v) { key->append(reinterpret_cast<const char*>(&v), sizeof(v)); };
  switch (IsArray(column.type()) ? DataType::kBytea : column.type()) {
    case DataType::kBoolean:
      raw(column.values<uint8_t>()[row]);
      break;
    case DataType::kSmallInt:
      raw(column.values<int16_t>()[row]);
      break;
    case DataType::kInt:
    case DataType::kDate:
      raw(column.values<int32_t>()[row]);
      break;
    case DataType::kBigInt:
    case DataType::kTimestamp:
    case DataType::kTimestampTz:
      raw(column.values<int64_t>()[row]);
      break;
    case DataType::kReal: {
      float f = column.values<float>()[row];
      if (f == 0) f = 0;  // -0.0 and 0.0 are one key
      raw(f);
      break;
    }
    case DataType::kDouble: {
      double d = column.values<double>()[row];
      if (d == 0) d = 0;
      raw(d);
      break;
    }
    case DataType::kUuid:
      raw(column.values<Uuid>()[row]);
      break;
    case DataType::kInterval:
      raw(IntervalSpan(column.values<Interval>()[row]));
      break;
    case DataType::kNumeric: {
      // Equal numbers are one key whatever their scales (1.0 = 1.00).
      const Numeric n = NormalizeNumeric(column.values<Numeric>()[row]);
      raw(n.unscaled);
      raw(n.scale);
      break;
    }
    case DataType::kText:
    case DataType::kBytea:
    case DataType::kJson: {
      std::string_view bytes = column.bytes(row);
      const uint32_t length = static_cast<uint32_t>(bytes.size());
      raw(length);
      key->append(bytes);
      break;
    }
  }
}

}  // namespace

Result<Batch> MergeNewestWins(const std::vector<const Batch*>& newest_first,
                              const std::shared_ptr<const Schema>& table_schema) {
  const std::vector<size_t> key_columns = table_schema->PrimaryKeyIndices();
  if (key_columns.empty()) {
    return Status(ErrorCode::kInvalidArgument, "merging row versions needs a primary key");
  }
  const size_t n = table_schema->num_fields();
  for (const Batch* batch : newest_first) {
    const Schema& s = *batch->schema();
    bool ok = s.num_fields() == n + 1 && s.field(n).name == kDeletedColumn &&
              s.field(n).type == DataType::kBoolean;
    for (size_t c = 0; ok && c < n; ++c)
      ok = s.field(c).type == table_schema->field(c).type;
    if (!ok) {
      return Status(ErrorCode::kInvalidArgument, "row set does not have the table's cold layout " +
                                                     table_schema->ToString() +
                                                     " + _deleted: " + s.ToString());
    }
  }
  Batch out(table_schema);
  absl::flat_hash_set<std::string> seen;
  std::string key;
  for (const Batch* batch : newest_first) {
    const ColumnVector& deleted = batch->column(n);
    for (size_t row = 0; row < batch->num_rows(); ++row) {
      key.clear();
      for (size_t c : key_columns)
        AppendKeyPart(batch->column(c), row, &key);
      if (!seen.insert(key).second) continue;  // a newer set had this key
      if (deleted.values<uint8_t>()[row] != 0) continue;
      for (size_t c = 0; c < n; ++c)
        out.mutable_column(c).AppendFrom(batch->column(c), row);
    }
  }
  return out;
}

}  // namespace tenantdb
