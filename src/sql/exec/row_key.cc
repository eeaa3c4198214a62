#include "sql/exec/row_key.h"

#include <cmath>
#include <cstring>

namespace tenantdb::sql {

namespace {

template <typename T>
void AppendRaw(T v, std::string* out) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));
  out->append(bytes, sizeof(T));
}

template <typename T>
int Cmp(T a, T b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

int CmpDouble(double a, double b) {
  // NaN sorts after everything and equals itself, as in PostgreSQL.
  const bool an = std::isnan(a), bn = std::isnan(b);
  if (an || bn) return an == bn ? 0 : (an ? 1 : -1);
  return Cmp(a, b);
}

}  // namespace

void AppendKeyValue(const ColumnVector& c, size_t row, std::string* out) {
  if (c.IsNull(row)) {
    out->push_back('\0');
    return;
  }
  out->push_back('\1');
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

int CompareAcross(const ColumnVector& a, size_t ra, const ColumnVector& b, size_t rb) {
  switch (a.type()) {
    case DataType::kBoolean:
      return Cmp(a.values<uint8_t>()[ra], b.values<uint8_t>()[rb]);
    case DataType::kSmallInt:
      return Cmp(a.values<int16_t>()[ra], b.values<int16_t>()[rb]);
    case DataType::kInt:
    case DataType::kDate:
      return Cmp(a.values<int32_t>()[ra], b.values<int32_t>()[rb]);
    case DataType::kBigInt:
    case DataType::kTimestamp:
    case DataType::kTimestampTz:
      return Cmp(a.values<int64_t>()[ra], b.values<int64_t>()[rb]);
    case DataType::kReal:
      return CmpDouble(a.values<float>()[ra], b.values<float>()[rb]);
    case DataType::kDouble:
      return CmpDouble(a.values<double>()[ra], b.values<double>()[rb]);
    case DataType::kUuid:
      return Cmp(a.values<Uuid>()[ra], b.values<Uuid>()[rb]);
    case DataType::kText:
    case DataType::kBytea:
    case DataType::kJson: {
      const int c = a.bytes(ra).compare(b.bytes(rb));
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
  }
  return 0;
}

int CompareInColumn(const ColumnVector& c, size_t a, size_t b) {
  return CompareAcross(c, a, c, b);
}

}  // namespace tenantdb::sql
