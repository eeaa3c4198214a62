// UserRecordCache and the catalog reads it serves: a record cached before a write is
// never returned after the write has returned, and the cache stays bounded.
#include "catalog/user_record_cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "catalog/persistent_catalog.h"

namespace tenantdb {
namespace {

std::shared_ptr<const UserRecord> Record(Role role, uint64_t version) {
  UserRecord r;
  r.role = role;
  r.credentials_version = version;
  return std::make_shared<const UserRecord>(r);
}

TEST(UserRecordCache, AFillThatReadTheStoreBeforeAWriteIsTurnedAway) {
  UserRecordCache cache;
  const uint64_t before = cache.Generation();
  cache.Invalidate("alice");  // a write lands between the fill's read and its insert
  cache.Insert("alice", Record(Role::kUser, 1), before);
  EXPECT_EQ(cache.Find("alice"), nullptr);

  const uint64_t after = cache.Generation();
  cache.Insert("alice", Record(Role::kDba, 2), after);
  ASSERT_NE(cache.Find("alice"), nullptr);
  EXPECT_EQ(cache.Find("alice")->role, Role::kDba);
  cache.Invalidate("alice");
  EXPECT_EQ(cache.Find("alice"), nullptr);
}

TEST(UserRecordCache, StaysWithinItsCapacity) {
  UserRecordCache cache(64);
  for (int i = 0; i < 10000; ++i)
    cache.Insert("user" + std::to_string(i), Record(Role::kUser, 1), cache.Generation());
  EXPECT_LE(cache.size(), 64u);
  EXPECT_GT(cache.size(), 0u);
  UserRecordCache off(0);
  off.Insert("alice", Record(Role::kUser, 1), off.Generation());
  EXPECT_EQ(off.Find("alice"), nullptr);
}

class UserRecordCacheCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("tenantdb-user-cache-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    store_ = std::move(KvStore::Open(dir_)).value();
    catalog_ = std::move(PersistentCatalog::Open(store_.get(), &pool_)).value();
  }
  void TearDown() override {
    catalog_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::optional<UserRecord> Get(const UserId& user) {
    auto r = catalog_->GetUser(user);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::nullopt;
  }

  std::string dir_;
  SchemaPool pool_;
  std::unique_ptr<KvStore> store_;
  std::unique_ptr<PersistentCatalog> catalog_;
};

TEST_F(UserRecordCacheCatalogTest, EveryWriteIsSeenByTheNextRead) {
  const UserId alice = *UserId::Make("alice");
  ASSERT_TRUE(catalog_->CreateUser(alice, Role::kUser).ok());
  ASSERT_EQ(Get(alice)->role, Role::kUser);  // cached now
  ASSERT_EQ(Get(alice)->role, Role::kUser);
  auto updated = catalog_->SetUserRole(alice, Role::kDba);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(Get(alice)->role, Role::kDba);
  EXPECT_EQ(Get(alice)->credentials_version, updated->credentials_version);
  ASSERT_TRUE(catalog_->SetUserPassword(alice, "hash").ok());
  EXPECT_EQ(Get(alice)->password_hash, "hash");
  ASSERT_TRUE(catalog_->DropUser(alice).ok());
  EXPECT_FALSE(Get(alice).has_value());
  ASSERT_TRUE(catalog_->CreateUser(alice, Role::kService).ok());
  EXPECT_EQ(Get(alice)->role, Role::kService);
}

// Readers fill the cache while a writer changes the role; once a change has returned,
// no read may see an older one (a fill that raced the write must not stick).
TEST_F(UserRecordCacheCatalogTest, ConcurrentReadersNeverKeepARecordOlderThanAWrite) {
  const UserId bob = *UserId::Make("bob");
  ASSERT_TRUE(catalog_->CreateUser(bob, Role::kUser).ok());
  std::atomic<bool> stop{false};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      while (!stop.load())
        (void)catalog_->GetUser(bob);
    });
  }
  uint64_t last_version = 0;
  for (int i = 0; i < 200; ++i) {
    const Role role = i % 2 == 0 ? Role::kDba : Role::kUser;
    auto written = catalog_->SetUserRole(bob, role);
    ASSERT_TRUE(written.ok());
    const std::optional<UserRecord> read = Get(bob);
    ASSERT_TRUE(read.has_value());
    ASSERT_EQ(read->credentials_version, written->credentials_version) << "after write " << i;
    ASSERT_GT(read->credentials_version, last_version);
    last_version = read->credentials_version;
  }
  stop = true;
  for (std::thread& t : readers)
    t.join();
}

}  // namespace
}  // namespace tenantdb
