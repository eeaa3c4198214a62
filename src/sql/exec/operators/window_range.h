// RangeAxis: where `n PRECEDING` / `n FOLLOWING` of a RANGE frame puts a row's frame bound,
// as PostgreSQL's in_range support functions define it. The bound is the row's ORDER BY
// key moved by the offset (against the sort's direction for PRECEDING, with it for
// FOLLOWING); the frame takes the rows whose keys lie between the two bounds. Key and
// offset types (the binder allows no others, binder_window.cc):
//   SMALLINT / INT / BIGINT         integer offsets; exact (128-bit, so key ± offset never
//                                   overflows, where PostgreSQL treats overflow as beyond
//                                   every key)
//   REAL / DOUBLE PRECISION         double offsets; float8's order (NaN above infinity)
//   NUMERIC                         NUMERIC offsets, exact (a bound past 38 digits is
//                                   22003; PostgreSQL's NUMERIC has no such limit)
//   DATE / TIMESTAMP / TIMESTAMPTZ  INTERVAL offsets, added by calendar (a date is its
//                                   midnight, as in_range_date_interval does); a bound past
//                                   the timestamp range is 22008, as in PostgreSQL
//   INTERVAL                        INTERVAL offsets; compared by span (30-day months)
// A negative offset is 22013 (invalid_preceding_or_following_size) when a bound is first
// needed, which is when PostgreSQL's in_range raises it: not for empty partitions nor for
// rows whose key is NULL (their frame is their NULL peers; the caller handles those).
//
// Used by the window operator only. Thread safety: none needed (const after
// construction); the axis borrows `key`, which must outlive it.
#pragma once

#include <cstdint>

#include "common/status.h"
#include "sql/exec/integer_key.h"
#include "sql/planner/plan/window_node.h"
#include "types/column_vector.h"
#include "types/value.h"

namespace tenantdb::sql {

// A point on a key's axis: `exact` for integer and date/time keys (the integer, the
// microseconds, or the interval's span), `number` for floating keys, `decimal` for
// NUMERIC keys (values of different scales: compared by CompareNumerics).
struct RangePoint {
  __int128 exact = 0;
  double number = 0;
  Numeric decimal;
};

class RangeAxis {
 public:
  // `key`: the one ORDER BY column, of a type RangeOffsetType accepts; `descending`: its
  // sort direction.
  RangeAxis(const ColumnVector& key, bool descending);

  // The point of row `row`, whose key is not NULL.
  RangePoint At(uint32_t row) const;

  // The frame bound `offset` PRECEDING (`preceding`) or FOLLOWING of row `row` (key not
  // NULL); `offset` is non-NULL and of RangeOffsetType's type.
  Result<RangePoint> Bound(uint32_t row, const Value& offset, bool preceding) const;

  // Whether `a` sorts strictly before `b` in the ORDER BY's direction.
  bool Before(const RangePoint& a, const RangePoint& b) const;

 private:
  const ColumnVector& key_;
  const bool descending_;
  const bool floating_;
  const bool decimal_;
};

}  // namespace tenantdb::sql
