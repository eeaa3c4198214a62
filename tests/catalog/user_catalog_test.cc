// Users and credentials in the persistent catalog: the append-only user record, the
// credentials_version counter, built-in principals, and the revoked-token keyspace.
#include <gtest/gtest.h>
#include <rocksdb/write_batch.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "catalog/catalog_codec.h"
#include "catalog/persistent_catalog.h"
#include "catalog/role.h"

namespace tenantdb {
namespace {

UserId U(std::string_view name) {
  return *UserId::Make(name);
}

class UserCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("tenantdb-users-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    Reopen();
  }
  void TearDown() override {
    catalog_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen() {
    catalog_.reset();
    store_.reset();
    store_ = std::move(KvStore::Open(dir_)).value();
    catalog_ = std::move(PersistentCatalog::Open(store_.get(), &pool_)).value();
  }
  UserRecord Get(std::string_view name) {
    auto r = catalog_->GetUser(U(name));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(r->has_value()) << name;
    return r->value_or(UserRecord{});
  }

  std::string dir_;
  SchemaPool pool_;
  std::unique_ptr<KvStore> store_;
  std::unique_ptr<PersistentCatalog> catalog_;
};

TEST(UserCodec, RecordsRoundTripAndRoleOnlyRecordsStillDecode) {
  const UserRecord full{Role::kDba, 42, 1700000000000000,
                        "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"};
  auto back = DecodeUserValue(EncodeUserValue(full));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, full);
  // What CreateUser wrote before credentials existed: the role byte alone.
  auto legacy = DecodeUserValue(std::string(1, static_cast<char>(Role::kService)));
  ASSERT_TRUE(legacy.ok());
  EXPECT_EQ(legacy->role, Role::kService);
  EXPECT_EQ(legacy->credentials_version, 0u);
  EXPECT_TRUE(legacy->password_hash.empty());
  // Bad bytes are corruption, never a crash.
  for (std::string bad : {std::string(), std::string("\x05"), std::string("\x01\x02"),
                          EncodeUserValue(full).substr(0, 5), EncodeUserValue(full) + "x"}) {
    EXPECT_EQ(DecodeUserValue(bad).status().code(), ErrorCode::kCorruption);
  }
  auto expiry = DecodeRevokedTokenValue(EncodeRevokedTokenValue(-5));
  ASSERT_TRUE(expiry.ok());
  EXPECT_EQ(*expiry, -5);
}

TEST_F(UserCatalogTest, RoleOnlyRecordsWrittenBeforePasswordsStillRead) {
  rocksdb::WriteBatch batch;
  batch.Put(store_->family(KvFamily::kCatalog), UserKey(U("old")),
            std::string(1, static_cast<char>(Role::kDba)));
  ASSERT_TRUE(store_->Write(&batch).ok());
  EXPECT_EQ(Get("old").role, Role::kDba);
  EXPECT_EQ(Get("old").credentials_version, 0u);
  auto changed = catalog_->SetUserPassword(U("old"), "hash");
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(Get("old").role, Role::kDba);
  EXPECT_GT(Get("old").credentials_version, 0u);
  EXPECT_EQ(Get("old").password_hash, "hash");
}

TEST_F(UserCatalogTest, EveryCredentialChangeAdvancesTheVersionAcrossRestartsAndDrops) {
  auto created = catalog_->CreateUser(U("alice"), Role::kUser, "h1");
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  const uint64_t v1 = created->credentials_version;
  EXPECT_GT(v1, 0u);
  EXPECT_GT(created->created_us, 0);
  EXPECT_EQ(Get("alice"), *created);

  ASSERT_TRUE(catalog_->SetUserPassword(U("alice"), "h2").ok());
  const uint64_t v2 = Get("alice").credentials_version;
  EXPECT_GT(v2, v1);
  ASSERT_TRUE(catalog_->SetUserRole(U("alice"), Role::kService).ok());
  const uint64_t v3 = Get("alice").credentials_version;
  EXPECT_GT(v3, v2);
  EXPECT_EQ(Get("alice").role, Role::kService);
  EXPECT_EQ(Get("alice").password_hash, "h2");
  EXPECT_EQ(Get("alice").created_us, created->created_us);

  Reopen();
  EXPECT_EQ(Get("alice").credentials_version, v3);
  ASSERT_TRUE(catalog_->DropUser(U("alice")).ok());
  EXPECT_FALSE(catalog_->GetUser(U("alice"))->has_value());
  EXPECT_EQ(catalog_->DropUser(U("alice")).code(), ErrorCode::kNotFound);
  Reopen();
  // Created again under the same name: a version no token of the old alice carries.
  auto again = catalog_->CreateUser(U("alice"), Role::kUser, "h3");
  ASSERT_TRUE(again.ok());
  EXPECT_GT(again->credentials_version, v3);
}

TEST_F(UserCatalogTest, MissingUsersAreNotFound) {
  EXPECT_EQ(catalog_->SetUserPassword(U("ghost"), "h").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(catalog_->SetUserRole(U("ghost"), Role::kDba).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(catalog_->DropUser(U("ghost")).code(), ErrorCode::kNotFound);
  EXPECT_FALSE(catalog_->GetUser(U("ghost"))->has_value());
}

TEST_F(UserCatalogTest, RootExistsAlwaysMayGetAPasswordAndKeepsItsRole) {
  UserRecord root = Get("root");
  EXPECT_EQ(root.role, Role::kSystem);
  EXPECT_TRUE(root.password_hash.empty());
  auto set = catalog_->SetUserPassword(U("root"), "roothash");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(Get("root").password_hash, "roothash");
  EXPECT_EQ(Get("root").role, Role::kSystem);
  EXPECT_GT(Get("root").credentials_version, 0u);
  EXPECT_EQ(catalog_->SetUserRole(U("root"), Role::kUser).status().code(),
            ErrorCode::kReservedName);
  EXPECT_EQ(catalog_->DropUser(U("root")).code(), ErrorCode::kReservedName);
  EXPECT_EQ(catalog_->SetUserPassword(U("system"), "h").status().code(), ErrorCode::kReservedName);
  EXPECT_EQ(catalog_->CreateUser(U("root"), Role::kUser).status().code(), ErrorCode::kReservedName);
  // Listed once, first, with its password state.
  ASSERT_TRUE(catalog_->CreateUser(U("bob"), Role::kDba).ok());
  auto list = catalog_->ListUserRecords();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].first.str(), "root");
  EXPECT_EQ((*list)[0].second.password_hash, "roothash");
  EXPECT_EQ((*list)[1].first.str(), "bob");
  EXPECT_EQ((*list)[1].second.role, Role::kDba);
}

TEST_F(UserCatalogTest, RevokedTokensPersistUntilPrunedAfterExpiry) {
  ASSERT_TRUE(catalog_->RevokeToken("jti-old", 1000).ok());
  ASSERT_TRUE(catalog_->RevokeToken("jti-new", 5000).ok());
  EXPECT_EQ(catalog_->RevokeToken("", 5000).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(catalog_->RevokeToken(std::string(200, 'x'), 5000).code(), ErrorCode::kInvalidArgument);
  Reopen();
  EXPECT_TRUE(*catalog_->IsTokenRevoked("jti-old", 900));
  EXPECT_TRUE(*catalog_->IsTokenRevoked("jti-new", 900));
  EXPECT_FALSE(*catalog_->IsTokenRevoked("jti-other", 900));
  // Past its expiry an entry no longer counts, and pruning removes exactly those.
  EXPECT_FALSE(*catalog_->IsTokenRevoked("jti-old", 1001));
  auto pruned = catalog_->PruneRevokedTokens(2000);
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(*pruned, 1u);
  EXPECT_EQ(*catalog_->PruneRevokedTokens(2000), 0u);
  EXPECT_FALSE(store_->Get(KvFamily::kCatalog, RevokedTokenKey("jti-old"))->has_value());
  EXPECT_TRUE(store_->Get(KvFamily::kCatalog, RevokedTokenKey("jti-new"))->has_value());
  EXPECT_TRUE(*catalog_->IsTokenRevoked("jti-new", 2000));
}

}  // namespace
}  // namespace tenantdb
