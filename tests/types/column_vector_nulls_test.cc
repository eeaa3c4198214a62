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

}  // namespace
}  // namespace tenantdb
