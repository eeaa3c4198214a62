#include "storage/row_merge.h"

#include <gtest/gtest.h>

#include "storage/cold/batch_file.h"

namespace tenantdb {
namespace {

std::shared_ptr<const Schema> TableSchema() {
  return std::make_shared<Schema>(std::vector<Field>{{"id", DataType::kBigInt, false, true, ""},
                                                     {"body", DataType::kText, true, false, ""}},
                                  SchemaMetadata{});
}

// Rows as (id, body or null, deleted).
Batch Rows(std::vector<std::tuple<int64_t, const char*, bool>> rows) {
  Batch b(ColdFileSchema(*TableSchema()));
  for (auto& [id, body, deleted] : rows) {
    EXPECT_TRUE(
        b.AppendRow({Value::BigInt(id), body ? Value::Text(body) : Value::Null(DataType::kText),
                     Value::Boolean(deleted)})
            .ok());
  }
  return b;
}

std::map<int64_t, std::string> Contents(const Batch& b) {
  std::map<int64_t, std::string> out;
  for (size_t r = 0; r < b.num_rows(); ++r) {
    auto row = b.GetRow(r);
    EXPECT_TRUE(out.emplace(row[0].as_int64(), row[1].ToString()).second) << "key twice";
  }
  return out;
}

TEST(RowMerge, NewestVersionWinsAndDeletesHideOlderCopies) {
  Batch hot = Rows({{1, "hot-1", false}, {4, nullptr, true}});
  Batch batch2 = Rows({{2, "b2-2", false}, {3, nullptr, true}, {1, "b2-1", false}});
  Batch batch1 = Rows({{1, "b1-1", false},
                       {2, "b1-2", false},
                       {3, "b1-3", false},
                       {4, "b1-4", false},
                       {5, "b1-5", false}});
  auto merged = MergeNewestWins({&hot, &batch2, &batch1}, TableSchema());
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(merged->num_columns(), 2u);  // _deleted is not part of the result
  std::map<int64_t, std::string> expected{{1, "hot-1"}, {2, "b2-2"}, {5, "b1-5"}};
  EXPECT_EQ(Contents(*merged), expected);
}

TEST(RowMerge, AnOlderDeleteDoesNotHideANewerInsert) {
  Batch newer = Rows({{7, "back again", false}});
  Batch older = Rows({{7, nullptr, true}});
  auto merged = MergeNewestWins({&newer, &older}, TableSchema());
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(Contents(*merged), (std::map<int64_t, std::string>{{7, "back again"}}));
}

TEST(RowMerge, RejectsRowSetsWithoutTheColdLayout) {
  Batch wrong(TableSchema());  // no _deleted column
  auto merged = MergeNewestWins({&wrong}, TableSchema());
  EXPECT_EQ(merged.status().code(), ErrorCode::kInvalidArgument);
  auto keyless = std::make_shared<Schema>(
      std::vector<Field>{{"a", DataType::kInt, true, false, ""}}, SchemaMetadata{});
  EXPECT_EQ(MergeNewestWins({}, keyless).status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace tenantdb
