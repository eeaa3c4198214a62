#include "types/column_compare.h"

#include <cmath>

#include "types/array_value.h"
#include "types/numeric.h"

namespace tenantdb {

namespace {

template <typename T>
int Cmp(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

int CmpDouble(double a, double b) {
  const bool an = std::isnan(a), bn = std::isnan(b);
  if (an || bn) return an == bn ? 0 : (an ? 1 : -1);
  return Cmp(a, b);
}

}  // namespace

int CompareAcross(const ColumnVector& a, size_t ra, const ColumnVector& b, size_t rb) {
  if (IsArray(a.type())) return CompareArrays(ElementType(a.type()), a.bytes(ra), b.bytes(rb));
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
    case DataType::kInterval:
      return CompareIntervals(a.values<Interval>()[ra], b.values<Interval>()[rb]);
    case DataType::kNumeric:
      return CompareNumerics(a.values<Numeric>()[ra], b.values<Numeric>()[rb]);
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

}  // namespace tenantdb
