#include <gtest/gtest.h>

#include "types/column_vector.h"

namespace tenantdb {
namespace {

TEST(ColumnVector, AppendNullsAddsNullRowsAfterTheValues) {
  for (DataType type : {DataType::kBigInt, DataType::kText, DataType::kBoolean, DataType::kUuid}) {
    ColumnVector bulk(type);
    ColumnVector one_by_one(type);
    const Value v = type == DataType::kBigInt ? Value::BigInt(7)
                    : type == DataType::kText ? Value::Text("x")
                    : type == DataType::kUuid ? Value::FromUuid(Uuid{1})
                                              : Value::Boolean(true);
    for (ColumnVector* c : {&bulk, &one_by_one}) {
      for (int i = 0; i < 3; ++i)
        c->Append(v);
    }
    bulk.AppendNulls(13);
    for (int i = 0; i < 13; ++i)
      one_by_one.AppendNull();
    bulk.Append(v);
    one_by_one.Append(v);
    ASSERT_EQ(bulk.size(), 17u);
    EXPECT_EQ(bulk.null_count(), 13u);
    for (size_t r = 0; r < bulk.size(); ++r) {
      EXPECT_EQ(bulk.IsNull(r), one_by_one.IsNull(r)) << r;
      EXPECT_EQ(bulk.GetValue(r).ToString(), one_by_one.GetValue(r).ToString()) << r;
    }
  }
}

// Bulk appends at every bit offset agree with one-by-one appends, values and NULLs.
TEST(ColumnVector, AppendValidThenSetNullMatchesTypedAppends) {
  for (size_t head = 0; head < 9; ++head) {
    for (size_t n : {0u, 1u, 7u, 8u, 9u, 30u}) {
      ColumnVector bulk(DataType::kInt);
      ColumnVector one_by_one(DataType::kInt);
      for (size_t i = 0; i < head; ++i) {
        bulk.AppendNull();
        one_by_one.AppendNull();
      }
      std::span<int32_t> values = bulk.AppendValid<int32_t>(n);
      for (size_t i = 0; i < n; ++i)
        values[i] = static_cast<int32_t>(i * 3);
      for (size_t i = 0; i < n; ++i) {
        if (i % 4 == 1) {
          bulk.SetNull<int32_t>(head + i);
          one_by_one.AppendNull();
        } else {
          one_by_one.AppendInt64(static_cast<int64_t>(i * 3));
        }
      }
      bulk.AppendInt64(5);
      one_by_one.AppendInt64(5);
      ASSERT_EQ(bulk.size(), one_by_one.size());
      EXPECT_EQ(bulk.null_count(), one_by_one.null_count());
      for (size_t r = 0; r < bulk.size(); ++r) {
        EXPECT_EQ(bulk.IsNull(r), one_by_one.IsNull(r)) << head << " " << n << " " << r;
        EXPECT_EQ(bulk.GetValue(r).ToString(), one_by_one.GetValue(r).ToString()) << r;
      }
    }
  }
}

}  // namespace
}  // namespace tenantdb
