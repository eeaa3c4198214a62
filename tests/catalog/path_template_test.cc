#include "catalog/path_template.h"

#include <gtest/gtest.h>

#include "catalog/storage_registry.h"

namespace tenantdb {
namespace {

TEST(PathTemplate, ResolvesStaticPartsAndPerRequestUserAndShard) {
  auto t = PathTemplate::Parse("{namespace}/{tableName}/shard={shard}/{userId}");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_TRUE(t->has_user());
  EXPECT_TRUE(t->has_shard());
  auto table = *TableId::Make("chat", "messages");
  auto alice = *UserId::Make("alice");
  EXPECT_EQ(*t->Resolve(table, &alice, 7), "chat/messages/shard=7/alice");
  auto missing_user = t->Resolve(table, nullptr, 7);
  EXPECT_EQ(missing_user.status().code(), ErrorCode::kInvalidArgument);
  auto missing_shard = t->Resolve(table, &alice, std::nullopt);
  EXPECT_EQ(missing_shard.status().code(), ErrorCode::kInvalidArgument);
}

TEST(PathTemplate, RejectsBadTemplatesWithClearErrors) {
  const char* bad[] = {
      "",                          // empty
      "/abs/{userId}",             // absolute
      "{namespace}/{table}",       // unknown placeholder
      "{namespace}/{tableName",    // unclosed
      "{namespace}}/x",            // stray }
      "{namespace}/../{userId}",   // escapes the base
      "{namespace}//{userId}",     // empty level
      "{namespace}/./{userId}",    // dot level
      "{namespace}{tableName}",    // glued placeholders
      "{namespace}/{tableName}/",  // trailing slash
      "{namespace}/ta ble",        // space
  };
  for (const char* text : bad) {
    auto t = PathTemplate::Parse(text);
    EXPECT_FALSE(t.ok()) << text;
    EXPECT_EQ(t.status().code(), ErrorCode::kInvalidPathTemplate) << text;
    EXPECT_NE(t.status().message().find("position"), std::string_view::npos) << text;
  }
}

TEST(StorageRegistry, HasLocalAndValidatesNewStorages) {
  StorageRegistry registry("/tmp/tdb-test/storage");
  EXPECT_EQ(registry.local()->id.str(), "local");
  EXPECT_EQ(registry.local()->user_tables_template.text(), "{namespace}/{tableName}/{userId}");
  auto s3 = registry.Add(*StorageId::Make("archive"), "/mnt/archive",
                         "{userId}/{namespace}/{tableName}", "shared/{namespace}/{tableName}");
  ASSERT_TRUE(s3.ok()) << s3.status().ToString();
  EXPECT_EQ(*registry.Get(*StorageId::Make("archive")), *s3);
  EXPECT_EQ(registry.Add(*StorageId::Make("archive"), "/x", "{userId}", "s").status().code(),
            ErrorCode::kAlreadyExists);
  EXPECT_EQ(registry.Add(*StorageId::Make("nouser"), "/x", "{namespace}", "s").status().code(),
            ErrorCode::kInvalidPathTemplate);
  EXPECT_EQ(
      registry.Add(*StorageId::Make("shareduser"), "/x", "{userId}", "{userId}").status().code(),
      ErrorCode::kInvalidPathTemplate);
  EXPECT_EQ(registry.Add(*StorageId::Make("nobase"), "", "{userId}", "s").status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(registry.Get(*StorageId::Make("missing")).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(registry.List().size(), 2u);
}

}  // namespace
}  // namespace tenantdb
