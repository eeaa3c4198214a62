#include "sql/exec/operators/window_range.h"

#include <cassert>
#include <cmath>
#include <optional>

#include "types/interval.h"
#include "types/numeric.h"

namespace tenantdb::sql {

namespace {

// PostgreSQL's order of float8, which RANGE offsets search by: NaN above every number
// (infinity included) and equal to itself.
bool KeyLess(double a, double b) {
  if (std::isnan(a)) return false;
  if (std::isnan(b)) return true;
  return a < b;
}

// `key` moved by `delta`. NaN stays NaN (its frame is its NaN peers), and infinity moved
// by an infinite offset toward the other infinity reaches past every number (PostgreSQL's
// in_range_float8_float8), where IEEE says NaN.
double MovedNumber(double key, double delta) {
  const double bound = key + delta;
  return std::isnan(bound) && !std::isnan(key) ? -key : bound;
}

Status InvalidSize() {
  return Status(ErrorCode::kInvalidPrecedingOrFollowingSize,
                "invalid preceding or following size in window function");
}

}  // namespace

RangeAxis::RangeAxis(const ColumnVector& key, bool descending)
    : key_(key),
      descending_(descending),
      floating_(IsFloatingPoint(key.type())),
      decimal_(key.type() == DataType::kNumeric) {
  assert(RangeOffsetType(key.type()).has_value());
}

RangePoint RangeAxis::At(uint32_t row) const {
  RangePoint p;
  switch (key_.type()) {
    case DataType::kReal:
      p.number = key_.values<float>()[row];
      break;
    case DataType::kDouble:
      p.number = key_.values<double>()[row];
      break;
    case DataType::kNumeric:
      p.decimal = key_.values<Numeric>()[row];
      break;
    case DataType::kInterval:
      p.exact = IntervalSpan(key_.values<Interval>()[row]);
      break;
    case DataType::kDate:
      p.exact = static_cast<__int128>(IntegerAt(key_, row)) * kMicrosPerDay;
      break;
    default:
      p.exact = IntegerAt(key_, row);
      break;
  }
  return p;
}

Result<RangePoint> RangeAxis::Bound(uint32_t row, const Value& offset, bool preceding) const {
  // Toward smaller keys: PRECEDING in ascending order, FOLLOWING in descending.
  const bool down = preceding != descending_;
  const DataType type = key_.type();
  RangePoint p;
  if (floating_) {
    const double d = offset.as_double();
    if (std::isnan(d) || d < 0) return InvalidSize();
    p.number = MovedNumber(At(row).number, down ? -d : d);
    return p;
  }
  if (decimal_) {
    const Numeric d = offset.as_numeric();
    if (NumericSign(d) < 0) return InvalidSize();
    const Numeric key = At(row).decimal;
    TDB_ASSIGN_OR_RETURN(p.decimal, down ? SubtractNumerics(key, d) : AddNumerics(key, d));
    return p;
  }
  if (IsInteger(type)) {
    const int64_t d = offset.as_int64();
    if (d < 0) return InvalidSize();
    p.exact = At(row).exact + (down ? -static_cast<__int128>(d) : static_cast<__int128>(d));
    return p;
  }
  const Interval d = offset.as_interval();
  if (IntervalSpan(d) < 0) return InvalidSize();
  if (type == DataType::kInterval) {
    const Interval v = key_.values<Interval>()[row];
    TDB_ASSIGN_OR_RETURN(Interval moved, down ? SubtractIntervals(v, d) : AddIntervals(v, d));
    p.exact = IntervalSpan(moved);
    return p;
  }
  // Dates and timestamps: the calendar decides how far a month or a day reaches.
  int64_t micros = 0;
  if (type == DataType::kDate) {
    micros = int64_t{key_.values<int32_t>()[row]} * kMicrosPerDay;
  } else {
    micros = key_.values<int64_t>()[row];
  }
  TDB_ASSIGN_OR_RETURN(int64_t moved, down ? SubtractInterval(micros, d) : AddInterval(micros, d));
  p.exact = moved;
  return p;
}

bool RangeAxis::Before(const RangePoint& a, const RangePoint& b) const {
  if (floating_) return descending_ ? KeyLess(b.number, a.number) : KeyLess(a.number, b.number);
  if (decimal_) {
    const int c = CompareNumerics(a.decimal, b.decimal);
    return descending_ ? c > 0 : c < 0;
  }
  return descending_ ? b.exact < a.exact : a.exact < b.exact;
}

}  // namespace tenantdb::sql
