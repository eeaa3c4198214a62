#include "sql/exec/row_key.h"

#include <cmath>
#include <cstring>

#include "types/array_value.h"
#include "types/numeric.h"

namespace tenantdb::sql {

namespace {

template <typename T>
void AppendRaw(T v, std::string* out) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));
  out->append(bytes, sizeof(T));
}

}  // namespace

void AppendKeyValue(const ColumnVector& c, size_t row, std::string* out) {
  if (c.IsNull(row)) {
    out->push_back('\0');
    return;
  }
  out->push_back('\1');
  if (IsArray(c.type())) {
    // Equal arrays group together: the key normalizes NUMERIC and float elements.
    const std::string key = ArrayKeyBytes(ElementType(c.type()), c.bytes(row));
    AppendRaw(static_cast<uint32_t>(key.size()), out);
    out->append(key);
    return;
  }
  switch (c.type()) {
    case DataType::kBoolean:
      out->push_back(static_cast<char>(c.values<uint8_t>()[row]));
      return;
    case DataType::kSmallInt:
      AppendRaw(c.values<int16_t>()[row], out);
      return;
    case DataType::kInt:
    case DataType::kDate:
      AppendRaw(c.values<int32_t>()[row], out);
      return;
    case DataType::kBigInt:
    case DataType::kTimestamp:
    case DataType::kTimestampTz:
      AppendRaw(c.values<int64_t>()[row], out);
      return;
    case DataType::kReal:
    case DataType::kDouble: {
      double v =
          c.type() == DataType::kReal ? double{c.values<float>()[row]} : c.values<double>()[row];
      if (v == 0) v = 0;  // -0.0 groups with 0.0
      if (std::isnan(v)) v = std::nan("");
      AppendRaw(v, out);
      return;
    }
    case DataType::kUuid: {
      const Uuid& u = c.values<Uuid>()[row];
      out->append(reinterpret_cast<const char*>(u.data()), u.size());
      return;
    }
    case DataType::kInterval: {
      // Equal intervals group together: '1 mon' and '30 days' are one key, as in
      // PostgreSQL's interval hashing.
      AppendRaw(IntervalSpan(c.values<Interval>()[row]), out);
      return;
    }
    case DataType::kNumeric:
      // 1.0 and 1.00 group together, as in PostgreSQL: the key is the normalized number.
      AppendNumericBytes(NormalizeNumeric(c.values<Numeric>()[row]), out);
      return;
    case DataType::kText:
    case DataType::kBytea:
    case DataType::kJson: {
      const std::string_view b = c.bytes(row);
      AppendRaw(static_cast<uint32_t>(b.size()), out);
      out->append(b);
      return;
    }
  }
}

}  // namespace tenantdb::sql
