#include "slt_compare.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tenantdb::slt {
namespace {

using Rows = std::vector<std::vector<std::string>>;

TEST(SltCompare, FormatsValuesLikeSqllogictest) {
  EXPECT_EQ(FormatValue(Value::Null(DataType::kInt), 'I'), "NULL");
  EXPECT_EQ(FormatValue(Value::Null(DataType::kText), 'T'), "NULL");
  EXPECT_EQ(FormatValue(Value::Text(""), 'T'), "(empty)");
  EXPECT_EQ(FormatValue(Value::Text("a b"), 'T'), "a b");
  EXPECT_EQ(FormatValue(Value::Text("a\tb\n"), 'T'), "a@b@");
  EXPECT_EQ(FormatValue(Value::Boolean(true), 'T'), "true");
  EXPECT_EQ(FormatValue(Value::Boolean(false), 'I'), "false");
  EXPECT_EQ(FormatValue(Value::BigInt(-42), 'I'), "-42");
  EXPECT_EQ(FormatValue(Value::Int(7), 'R'), "7.000");
  EXPECT_EQ(FormatValue(Value::Double(2.5), 'R'), "2.500");
  EXPECT_EQ(FormatValue(Value::Double(1.0 / 3), 'R'), "0.333");
  EXPECT_EQ(FormatValue(Value::Double(2.7), 'I'), "2");
  EXPECT_EQ(FormatValue(Value::Double(-2.7), 'I'), "-2");
  EXPECT_EQ(FormatValue(Value::Double(1e300), 'I'), Value::Double(1e300).ToString());
  EXPECT_EQ(FormatValue(Value::Double(2.5), 'T'), "2.5");
  EXPECT_EQ(FormatValue(Value::Int(3), 'T'), "3");
  EXPECT_EQ(FormatValue(Value::Date(0), 'T'), "1970-01-01");
  EXPECT_EQ(FormatValue(Value::Text("12"), 'I'), "12");
}

TEST(SltCompare, ErrorMatching) {
  const std::string actual = "unique_violation: duplicate key value (id)=(1)";
  EXPECT_TRUE(ErrorMatches("", actual));
  EXPECT_TRUE(ErrorMatches("unique_violation", actual));
  EXPECT_TRUE(ErrorMatches("duplicate key", actual));
  EXPECT_FALSE(ErrorMatches("not_null_violation", actual));
  EXPECT_TRUE(ErrorMatches("<REGEX>:^unique_.*\\(1\\)$", actual));
  EXPECT_FALSE(ErrorMatches("<REGEX>:^not_null", actual));
  EXPECT_TRUE(ErrorMatches("<!REGEX>:not_null", actual));
  EXPECT_FALSE(ErrorMatches("<REGEX>:(", actual));  // a bad regex never matches
}

TEST(SltCompare, FlattenSortsRowsOrValues) {
  Rows rows = {{"b", "1"}, {"a", "2"}};
  EXPECT_EQ(FlattenValues(&rows, SortMode::kNoSort),
            (std::vector<std::string>{"b", "1", "a", "2"}));
  EXPECT_EQ(FlattenValues(&rows, SortMode::kRowSort),
            (std::vector<std::string>{"a", "2", "b", "1"}));
  EXPECT_EQ(FlattenValues(&rows, SortMode::kValueSort),
            (std::vector<std::string>{"1", "2", "a", "b"}));
}

TEST(SltCompare, HashIsMd5OfValueLines) {
  // md5("1\n2\n")
  EXPECT_EQ(HashValues({"1", "2"}), "6ddb4095eb719e2a9f0a3f95677d24e0");
  EXPECT_EQ(HashValues({}), "d41d8cd98f00b204e9800998ecf8427e");
}

Record QueryRecord(const std::string& types, SortMode sort, std::vector<std::string> expected) {
  Record r;
  r.kind = RecordKind::kQuery;
  r.types = types;
  r.sort = sort;
  r.expected = std::move(expected);
  return r;
}

bool Check(const Record& record, Rows rows) {
  std::vector<std::string> values = FlattenValues(&rows, record.sort);
  return ResultMatches(record, rows, values, record.types.size());
}

TEST(SltCompare, AcceptsOneValuePerLineAndOneRowPerLine) {
  const Rows rows = {{"1", "a b"}, {"2", "NULL"}};
  EXPECT_TRUE(Check(QueryRecord("IT", SortMode::kNoSort, {"1", "a b", "2", "NULL"}), rows));
  EXPECT_TRUE(Check(QueryRecord("IT", SortMode::kNoSort, {"1\ta b", "2\tNULL"}), rows));
  // Space-separated rows (CockroachDB), where values with spaces compare as a whole line.
  EXPECT_TRUE(Check(QueryRecord("IT", SortMode::kNoSort, {"1  a b", "2 NULL"}), rows));
  EXPECT_FALSE(Check(QueryRecord("IT", SortMode::kNoSort, {"2\tNULL", "1\ta b"}), rows));
  EXPECT_FALSE(Check(QueryRecord("IT", SortMode::kNoSort, {"1\ta b"}), rows));
  EXPECT_FALSE(Check(QueryRecord("IT", SortMode::kNoSort, {"1\ta", "2\tNULL"}), rows));
}

TEST(SltCompare, SortModesSortBothSides) {
  const Rows rows = {{"2", "y"}, {"1", "x"}};
  EXPECT_TRUE(Check(QueryRecord("IT", SortMode::kRowSort, {"2\ty", "1\tx"}), rows));
  EXPECT_TRUE(Check(QueryRecord("IT", SortMode::kRowSort, {"1", "x", "2", "y"}), rows));
  EXPECT_TRUE(Check(QueryRecord("IT", SortMode::kRowSort, {"2", "y", "1", "x"}), rows));
  EXPECT_FALSE(Check(QueryRecord("IT", SortMode::kRowSort, {"1\ty", "2\tx"}), rows));
  EXPECT_TRUE(Check(QueryRecord("IT", SortMode::kValueSort, {"x", "1", "y", "2"}), rows));
  EXPECT_FALSE(Check(QueryRecord("IT", SortMode::kNoSort, {"1\tx", "2\ty"}), rows));
}

TEST(SltCompare, EmptyResults) {
  EXPECT_TRUE(Check(QueryRecord("I", SortMode::kNoSort, {}), {}));
  EXPECT_FALSE(Check(QueryRecord("I", SortMode::kNoSort, {}), {{"1"}}));
  EXPECT_FALSE(Check(QueryRecord("I", SortMode::kNoSort, {"1"}), {}));
}

}  // namespace
}  // namespace tenantdb::slt
