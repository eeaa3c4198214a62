#include "ids/identifier.h"

#include <gtest/gtest.h>

#include <unordered_set>

#include "absl/container/flat_hash_set.h"
#include "ids/table_id.h"

namespace tenantdb {
namespace {

TEST(Identifier, CatalogNamesFoldToLowerCase) {
  auto ns = NamespaceId::Make("Chat");
  ASSERT_TRUE(ns.ok());
  EXPECT_EQ(ns->str(), "chat");
  EXPECT_EQ(*ns, *NamespaceId::Make("CHAT"));
  auto table = TableName::Make("Messages_2");
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->str(), "messages_2");
}

TEST(Identifier, UserIdsKeepCaseAndAllowAppCharacters) {
  auto a = UserId::Make("Alice.Smith@example.com");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->str(), "Alice.Smith@example.com");
  EXPECT_FALSE(*a == *UserId::Make("alice.smith@example.com"));
  EXPECT_TRUE(UserId::Make("0b9d2f5e-1c1a-4f6e-9a34-3b1c5e0d9f21").ok());
  EXPECT_TRUE(UserId::Make("12345").ok());
}

TEST(Identifier, RejectsBadCharactersWithPosition) {
  auto r = TableName::Make("bad name");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidIdentifier);
  EXPECT_NE(r.status().message().find("position 4"), std::string_view::npos);
  EXPECT_FALSE(NamespaceId::Make("1chat").ok());  // may not start with a digit
  EXPECT_FALSE(NamespaceId::Make("chat-app").ok());
  EXPECT_FALSE(NamespaceId::Make("a.b").ok());
  EXPECT_FALSE(UserId::Make(".alice").ok());
  EXPECT_FALSE(UserId::Make("al ice").ok());
  EXPECT_FALSE(UserId::Make("al/ice").ok());
  EXPECT_FALSE(UserId::Make(std::string("a\0b", 3)).ok());
  EXPECT_EQ(TableName::Make("").status().code(), ErrorCode::kInvalidIdentifier);
}

TEST(Identifier, EnforcesMaximumLengths) {
  EXPECT_TRUE(TableName::Make(std::string(63, 'a')).ok());
  auto too_long = TableName::Make(std::string(64, 'a'));
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.status().code(), ErrorCode::kNameTooLong);
  EXPECT_TRUE(UserId::Make(std::string(128, 'u')).ok());
  EXPECT_EQ(UserId::Make(std::string(129, 'u')).status().code(), ErrorCode::kNameTooLong);
}

TEST(Identifier, ReservedNamesResolveButCannotBeCreated) {
  auto system = NamespaceId::Make("system");
  ASSERT_TRUE(system.ok());
  EXPECT_TRUE(system->IsReserved());
  EXPECT_EQ(system->CheckNotReserved().code(), ErrorCode::kReservedName);
  EXPECT_TRUE(NamespaceId::Make("pg_catalog")->IsReserved());
  EXPECT_TRUE(NamespaceId::Make("Information_Schema")->IsReserved());
  EXPECT_FALSE(NamespaceId::Make("chat")->IsReserved());
  EXPECT_TRUE(NamespaceId::Make("chat")->CheckNotReserved().ok());
  EXPECT_TRUE(UserId::Make("system")->IsReserved());
}

TEST(Identifier, FindDoesNotInternUnknownNames) {
  EXPECT_TRUE(TableName::Find("no_table_like_this_exists").empty());
  auto t = TableName::Make("find_me_table");
  EXPECT_EQ(TableName::Find("FIND_ME_TABLE"), *t);
  EXPECT_TRUE(TableName::Find("bad name").empty());
}

TEST(TableId, IsEightBytesComparesAndHashesByValue) {
  EXPECT_EQ(sizeof(TableId), 8u);
  auto a = TableId::Make("chat", "messages");
  auto b = TableId::Make("CHAT", "Messages");
  auto c = TableId::Make("chat", "threads");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_FALSE(*a == *c);
  EXPECT_EQ(a->ToString(), "chat.messages");
  std::unordered_set<TableId> std_set{*a, *b, *c};
  EXPECT_EQ(std_set.size(), 2u);
  absl::flat_hash_set<TableId> absl_set{*a, *b, *c};
  EXPECT_EQ(absl_set.size(), 2u);
  // Namespace and table parts are not interchangeable.
  auto swapped = TableId::Make("messages", "chat");
  EXPECT_FALSE(*swapped == *a);
}

TEST(TableId, MakeReportsWhichPartIsInvalid) {
  auto r = TableId::Make("chat", "bad-name");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("table name"), std::string_view::npos);
  auto n = TableId::Make("bad ns", "t");
  EXPECT_NE(n.status().message().find("namespace name"), std::string_view::npos);
}

}  // namespace
}  // namespace tenantdb
