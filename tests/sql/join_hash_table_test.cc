// JoinHashTable (sql/exec/join_hash_table.h): every build row reachable from its key,
// chains in ascending row order, NULL keys left out on both sides, integer keys hashed as
// values and other keys as bytes, no keys at all, and a poll error stopping the build.
#include "sql/exec/join_hash_table.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace tenantdb::sql {
namespace {

ColumnVector Ints(DataType type, const std::vector<std::optional<int64_t>>& values) {
  ColumnVector c(type);
  for (const auto& v : values) {
    if (v) {
      c.AppendInt64(*v);
    } else {
      c.AppendNull();
    }
  }
  return c;
}

ColumnVector Texts(const std::vector<std::optional<std::string>>& values) {
  ColumnVector c(DataType::kText);
  for (const auto& v : values) {
    if (v) {
      c.AppendBytes(*v);
    } else {
      c.AppendNull();
    }
  }
  return c;
}

// The build rows matching probe row `row`, in chain order.
std::vector<uint32_t> Matches(const JoinHashTable& table,
                              const std::vector<const ColumnVector*>& probe, size_t row) {
  std::vector<uint32_t> rows;
  std::string scratch;
  for (uint32_t r = table.Find(probe, row, &scratch); r != JoinHashTable::kEnd; r = table.Next(r))
    rows.push_back(r);
  return rows;
}

Status NoPoll() {
  return Status::Ok();
}

TEST(JoinHashTableTest, IntegerKeysChainEveryRowInAscendingOrder) {
  // 5000 rows over 7 keys: more than one poll interval, long chains.
  std::vector<std::optional<int64_t>> values;
  for (int64_t i = 0; i < 5000; ++i)
    values.push_back(i % 7);
  values.push_back(std::nullopt);
  const ColumnVector build = Ints(DataType::kBigInt, values);
  JoinHashTable table;
  ASSERT_TRUE(table.Build({&build}, build.size(), {DataType::kBigInt}, NoPoll).ok());
  const ColumnVector probe = Ints(DataType::kBigInt, {3, 8, std::nullopt});
  const std::vector<uint32_t> three = Matches(table, {&probe}, 0);
  ASSERT_EQ(three.size(), 714u);  // 3, 10, ..., 4994
  for (size_t i = 0; i < three.size(); ++i)
    EXPECT_EQ(three[i], 3 + 7 * i);
  EXPECT_TRUE(Matches(table, {&probe}, 1).empty());  // absent
  EXPECT_TRUE(Matches(table, {&probe}, 2).empty());  // NULL equals nothing, not the NULL row
  EXPECT_GT(table.MemoryBytes(), 5000 * sizeof(uint32_t));
}

TEST(JoinHashTableTest, CompositeAndTextKeysMatchOnEveryColumn) {
  const ColumnVector a = Ints(DataType::kInt, {1, 1, 2, 1, std::nullopt});
  const ColumnVector b = Texts({"x", "y", "x", "x", "x"});
  JoinHashTable table;
  ASSERT_TRUE(table.Build({&a, &b}, 5, {DataType::kInt, DataType::kText}, NoPoll).ok());
  const ColumnVector pa = Ints(DataType::kInt, {1, 2, 1, std::nullopt});
  const ColumnVector pb = Texts({"x", "y", std::nullopt, "x"});
  EXPECT_EQ(Matches(table, {&pa, &pb}, 0), (std::vector<uint32_t>{0, 3}));
  EXPECT_TRUE(Matches(table, {&pa, &pb}, 1).empty());
  EXPECT_TRUE(Matches(table, {&pa, &pb}, 2).empty());
  EXPECT_TRUE(Matches(table, {&pa, &pb}, 3).empty());

  const ColumnVector t = Texts({"alpha", "beta", "alpha"});
  JoinHashTable text;
  ASSERT_TRUE(text.Build({&t}, 3, {DataType::kText}, NoPoll).ok());
  const ColumnVector pt = Texts({"alpha", "alph"});
  EXPECT_EQ(Matches(text, {&pt}, 0), (std::vector<uint32_t>{0, 2}));
  EXPECT_TRUE(Matches(text, {&pt}, 1).empty());
}

TEST(JoinHashTableTest, DatesAndSmallIntegersKeyByValue) {
  const ColumnVector d = Ints(DataType::kDate, {19000, 19001, 19000});
  JoinHashTable table;
  ASSERT_TRUE(table.Build({&d}, 3, {DataType::kDate}, NoPoll).ok());
  const ColumnVector p = Ints(DataType::kDate, {19000});
  EXPECT_EQ(Matches(table, {&p}, 0), (std::vector<uint32_t>{0, 2}));

  const ColumnVector s = Ints(DataType::kSmallInt, {-1, 5});
  JoinHashTable small;
  ASSERT_TRUE(small.Build({&s}, 2, {DataType::kSmallInt}, NoPoll).ok());
  const ColumnVector ps = Ints(DataType::kSmallInt, {-1});
  EXPECT_EQ(Matches(small, {&ps}, 0), (std::vector<uint32_t>{0}));
}

TEST(JoinHashTableTest, NoKeysPutsEveryRowUnderOneKey) {
  JoinHashTable table;
  ASSERT_TRUE(table.Build({}, 3, {}, NoPoll).ok());
  EXPECT_EQ(Matches(table, {}, 0), (std::vector<uint32_t>{0, 1, 2}));
}

TEST(JoinHashTableTest, APollErrorStopsTheBuild) {
  std::vector<std::optional<int64_t>> values(10000, 1);
  const ColumnVector build = Ints(DataType::kBigInt, values);
  JoinHashTable table;
  int polls = 0;
  const Status s = table.Build({&build}, build.size(), {DataType::kBigInt}, [&]() -> Status {
    ++polls;
    return Status(ErrorCode::kQueryCanceled, "canceling statement due to user request");
  });
  EXPECT_EQ(s.code(), ErrorCode::kQueryCanceled);
  EXPECT_EQ(polls, 1);
}

}  // namespace
}  // namespace tenantdb::sql
