// The integer-like column types (BOOLEAN, SMALLINT, INTEGER, DATE, BIGINT, TIMESTAMP[TZ])
// and a row's value of one as an int64: what hash tables key by value and window frames
// offset by. Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>

#include "types/column_vector.h"

namespace tenantdb::sql {

inline bool IsIntegerLike(DataType t) {
  switch (t) {
    case DataType::kBoolean:
    case DataType::kSmallInt:
    case DataType::kInt:
    case DataType::kDate:
    case DataType::kBigInt:
    case DataType::kTimestamp:
    case DataType::kTimestampTz:
      return true;
    default:
      return false;
  }
}

// Row `r` of `c` (an integer-like column, the row not NULL).
inline int64_t IntegerAt(const ColumnVector& c, size_t r) {
  switch (c.type()) {
    case DataType::kBoolean:
      return c.values<uint8_t>()[r];
    case DataType::kSmallInt:
      return c.values<int16_t>()[r];
    case DataType::kInt:
    case DataType::kDate:
      return c.values<int32_t>()[r];
    default:
      return c.values<int64_t>()[r];
  }
}

}  // namespace tenantdb::sql
