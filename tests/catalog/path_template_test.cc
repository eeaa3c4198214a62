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
}

// {shard} used to need a number no caller had, so INSERT into a USER table on such a
// storage failed. It is the user's shard: derived from the user id alone, the same
// after every restart (these figures pin FNV-1a modulo 256; changing them would lose the
// cold files already written), and 0 for a SHARED table, which has no user.
TEST(PathTemplate, ShardIsDerivedFromTheUserIdAndNeverChanges) {
  auto t = PathTemplate::Parse("{shard}/{userId}/{tableName}");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  auto table = *TableId::Make("chat", "messages");
  auto alice = *UserId::Make("alice");
  auto bob = *UserId::Make("bob");
  auto mixed = *UserId::Make("Bob@example.com");
  EXPECT_EQ(PathTemplate::ShardOf(alice), 7u);
  EXPECT_EQ(PathTemplate::ShardOf(bob), 84u);
  EXPECT_EQ(PathTemplate::ShardOf(mixed), 57u);
  EXPECT_EQ(*t->Resolve(table, &alice), "7/alice/messages");
  EXPECT_EQ(*t->Resolve(table, &bob), "84/bob/messages");
  EXPECT_EQ(*t->Resolve(table, &mixed), "57/Bob@example.com/messages");
  for (int i = 0; i < 1000; ++i) {
    auto user = *UserId::Make("user" + std::to_string(i));
    EXPECT_LT(PathTemplate::ShardOf(user), PathTemplate::kShardCount);
  }
  auto shared = PathTemplate::Parse("shard={shard}/{namespace}/{tableName}");
  ASSERT_TRUE(shared.ok()) << shared.status().ToString();
  EXPECT_EQ(*shared->Resolve(table, nullptr), "shard=0/chat/messages");
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
