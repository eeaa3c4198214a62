#include "catalog/table_definition.h"

#include <gtest/gtest.h>

namespace tenantdb {
namespace {

TableDefinition Definition(TableType type, bool with_key) {
  TableDefinition d;
  d.id = *TableId::Make("chat", "messages");
  d.type = type;
  d.schema =
      std::make_shared<Schema>(std::vector<Field>{{"id", DataType::kBigInt, false, with_key, "", 1},
                                                  {"body", DataType::kText, true, false, "", 2}},
                               SchemaMetadata{});
  return d;
}

TEST(TableDefinition, UserAndStreamTablesNeedAPrimaryKey) {
  EXPECT_TRUE(Definition(TableType::kUser, true).Validate().ok());
  Status s = Definition(TableType::kUser, false).Validate();
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(s.message().find("PRIMARY KEY"), std::string_view::npos);
  EXPECT_TRUE(Definition(TableType::kShared, false).Validate().ok());
}

TEST(TableDefinition, StreamTablesNeedTtlAndNeverFlush) {
  TableDefinition d = Definition(TableType::kStream, true);
  EXPECT_FALSE(d.Validate().ok());
  d.ttl_seconds = 60;
  EXPECT_TRUE(d.Validate().ok());
  d.flush_policy.rows = 10;
  EXPECT_FALSE(d.Validate().ok());
  TableDefinition shared = Definition(TableType::kShared, false);
  shared.ttl_seconds = 5;
  EXPECT_FALSE(shared.Validate().ok());
}

TEST(TableDefinition, RejectsDuplicateColumnsAndNullableKeys) {
  TableDefinition d = Definition(TableType::kShared, false);
  d.schema =
      std::make_shared<Schema>(std::vector<Field>{{"a", DataType::kInt, true, false, "", 1},
                                                  {"a", DataType::kText, true, false, "", 2}},
                               SchemaMetadata{});
  EXPECT_FALSE(d.Validate().ok());
  d.schema = std::make_shared<Schema>(std::vector<Field>{{"a", DataType::kInt, true, true, "", 1}},
                                      SchemaMetadata{});
  EXPECT_FALSE(d.Validate().ok());
  d.schema = nullptr;
  EXPECT_FALSE(d.Validate().ok());
}

TEST(TableDefinition, EveryColumnNeedsAnIdOfItsOwn) {
  TableDefinition d = Definition(TableType::kShared, false);
  d.schema =
      std::make_shared<Schema>(std::vector<Field>{{"a", DataType::kInt, true, false, "", 1},
                                                  {"b", DataType::kText, true, false, "", 1}},
                               SchemaMetadata{});
  EXPECT_EQ(d.Validate().code(), ErrorCode::kInvalidArgument);
  d.schema = std::make_shared<Schema>(std::vector<Field>{{"a", DataType::kInt, true, false, "", 0}},
                                      SchemaMetadata{});
  EXPECT_EQ(d.Validate().code(), ErrorCode::kInvalidArgument);
  d.schema = std::make_shared<Schema>(std::vector<Field>{{"a", DataType::kInt, true, false, "", 7}},
                                      SchemaMetadata{});
  EXPECT_TRUE(d.Validate().ok());
}

TEST(TableOptions, ParsesFlushPolicies) {
  auto both = FlushPolicy::Parse("rows:1000, interval:60");
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->rows, 1000u);
  EXPECT_EQ(both->interval_seconds, 60u);
  EXPECT_EQ(both->ToString(), "rows:1000,interval:60");
  EXPECT_EQ(FlushPolicy::Parse("ROWS:5")->rows, 5u);
  for (const char* bad : {"", "rows", "rows:", "rows:0", "rows:-1", "rows:1x", "bytes:5",
                          "rows:1,rows:2", "rows:99999999999"}) {
    auto r = FlushPolicy::Parse(bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  }
}

TEST(TableOptions, ParsesTypesAndAccessLevels) {
  EXPECT_EQ(*ParseTableType("user"), TableType::kUser);
  EXPECT_EQ(*ParseTableType("Stream"), TableType::kStream);
  EXPECT_FALSE(ParseTableType("SYSTEM").ok());  // built in, not creatable
  // ...and the error says so instead of calling a known type "not known".
  EXPECT_NE(ParseTableType("system").status().message().find("SYSTEM tables are built in"),
            std::string_view::npos);
  EXPECT_FALSE(ParseTableType("global").ok());
  EXPECT_EQ(*ParseAccessLevel("private"), AccessLevel::kPrivate);
  EXPECT_FALSE(ParseAccessLevel("secret").ok());
}

}  // namespace
}  // namespace tenantdb
