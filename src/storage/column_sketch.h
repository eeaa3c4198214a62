// ColumnSketch: what ANALYZE learns about one column from the rows it reads — how many
// rows and NULLs, the smallest and largest non-NULL value, and the number of distinct
// non-NULL values over a 64-bit hash of each value in which SQL-equal values collide
// (1.0 = 1.00, '1 mon' = '30 days', -0.0 = 0.0): counted exactly while there are at most
// kExactDistinct of them (a set of hashes: small tables and low-cardinality columns, the
// ones join estimates are most sensitive to, get exact figures), estimated by
// HyperLogLog beyond (common/hyperloglog.h: 16 KiB per column, ~0.8% standard error).
//
// Min / max follow ORDER BY's order (types/array_value.h's CompareScalars); they are
// left unknown for JSON and array columns (no useful order for estimates), and for a
// TEXT / BYTEA bound longer than kMaxBoundBytes (the record stays small).
//
// Cost: O(rows) per Add, one Value per non-NULL row. Thread safety: not shared.
#pragma once

#include <cstdint>
#include <optional>

#include "absl/container/flat_hash_set.h"
#include "catalog/table_stats_record.h"
#include "common/hyperloglog.h"
#include "types/column_vector.h"

namespace tenantdb {

class ColumnSketch {
 public:
  static constexpr size_t kMaxBoundBytes = 256;
  static constexpr size_t kExactDistinct = 4096;

  explicit ColumnSketch(DataType type);

  // Adds every row of `column` (of the sketch's type).
  void Add(const ColumnVector& column);
  // The figures of column `column_id`, over the rows added.
  ColumnStatsRecord Finish(uint32_t column_id) const;

  int64_t rows() const { return rows_; }
  int64_t nulls() const { return nulls_; }

 private:
  bool ordered_;  // keeps min / max
  int64_t rows_ = 0;
  int64_t nulls_ = 0;
  std::optional<Value> min_;
  std::optional<Value> max_;
  HyperLogLog distinct_;
  absl::flat_hash_set<uint64_t> exact_;  // the hashes seen, until it overflows
  bool exact_overflowed_ = false;
};

// A hash of a non-NULL value in which SQL-equal values of one type collide.
uint64_t HashValueForDistinct(const Value& value);

}  // namespace tenantdb
