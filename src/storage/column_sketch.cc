#include "storage/column_sketch.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "types/array_value.h"
#include "types/numeric.h"

namespace tenantdb {

namespace {

bool Ordered(DataType type) {
  return !IsArray(type) && type != DataType::kJson;
}

bool FitsBound(const Value& v) {
  return !IsVariableWidth(v.type()) || v.as_bytes().size() <= ColumnSketch::kMaxBoundBytes;
}

}  // namespace

uint64_t HashValueForDistinct(const Value& value) {
  const DataType type = value.type();
  const uint64_t seed = static_cast<uint8_t>(type);
  if (IsArray(type)) {
    return HashBytes64(ArrayKeyBytes(ElementType(type), value.as_bytes()), seed);
  }
  if (IsVariableWidth(type) || type == DataType::kUuid) return HashBytes64(value.as_bytes(), seed);
  if (IsFloatingPoint(type)) {
    double d = value.as_double();
    if (d == 0) d = 0;                                                // -0.0 = 0.0
    if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();  // one NaN
    return Mix64(std::bit_cast<uint64_t>(d) ^ Mix64(seed));
  }
  if (type == DataType::kInterval) {
    // Ordered and grouped by the span (a month counted as 30 days).
    const auto span = static_cast<unsigned __int128>(IntervalSpan(value.as_interval()));
    return Mix64(static_cast<uint64_t>(span) ^ Mix64(static_cast<uint64_t>(span >> 64) ^ seed));
  }
  if (type == DataType::kNumeric) {
    const Numeric n = NormalizeNumeric(value.as_numeric());
    const auto u = static_cast<unsigned __int128>(n.unscaled);
    return Mix64(static_cast<uint64_t>(u) ^
                 Mix64(static_cast<uint64_t>(u >> 64) ^ Mix64(static_cast<uint64_t>(n.scale))));
  }
  return Mix64(static_cast<uint64_t>(value.as_int64()) ^ Mix64(seed));
}

ColumnSketch::ColumnSketch(DataType type) : ordered_(Ordered(type)) {}

void ColumnSketch::Add(const ColumnVector& column) {
  const size_t n = column.size();
  rows_ += static_cast<int64_t>(n);
  for (size_t i = 0; i < n; ++i) {
    if (column.IsNull(i)) {
      ++nulls_;
      continue;
    }
    Value v = column.GetValue(i);
    const uint64_t hash = HashValueForDistinct(v);
    distinct_.Add(hash);
    if (!exact_overflowed_) {
      exact_.insert(hash);
      if (exact_.size() > kExactDistinct) {
        exact_overflowed_ = true;
        exact_ = {};
      }
    }
    if (!ordered_) continue;
    if (!min_.has_value() || CompareScalars(v, *min_) < 0) min_ = v;
    if (!max_.has_value() || CompareScalars(v, *max_) > 0) max_ = std::move(v);
  }
}

ColumnStatsRecord ColumnSketch::Finish(uint32_t column_id) const {
  ColumnStatsRecord out;
  out.column_id = column_id;
  const int64_t non_null = rows_ - nulls_;
  out.null_fraction = rows_ == 0 ? 0 : static_cast<double>(nulls_) / static_cast<double>(rows_);
  if (!exact_overflowed_) {
    out.distinct = static_cast<double>(exact_.size());
  } else {
    // HyperLogLog may overshoot slightly; there are never more distinct values than rows.
    out.distinct = std::clamp(std::round(distinct_.Estimate()), double{kExactDistinct},
                              static_cast<double>(non_null));
  }
  if (min_.has_value() && FitsBound(*min_)) out.min = min_;
  if (max_.has_value() && FitsBound(*max_)) out.max = max_;
  return out;
}

}  // namespace tenantdb
