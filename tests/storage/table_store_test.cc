#include "storage/table_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <thread>

#include "catalog/schema_pool.h"
#include "catalog/storage_registry.h"
#include "storage/cold/batch_file.h"

namespace tenantdb {
namespace {

std::string TempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("tenantdb-ts-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir.string();
}

// A real data directory: KvStore, catalog, storages and the TableStore, reopenable.
class TableStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    Open();
    ASSERT_TRUE(catalog_->CreateNamespace(*NamespaceId::Make("chat")).ok());
  }
  void TearDown() override {
    Close();
    std::filesystem::remove_all(dir_);
  }
  void Close() {
    store_.reset();
    catalog_.reset();
    storages_.reset();
    kv_.reset();
  }
  void Open() {
    Close();
    kv_ = std::move(*KvStore::Open(dir_));
    catalog_ = std::move(*PersistentCatalog::Open(kv_.get(), &pool_));
    storages_ = std::make_unique<StorageRegistry>(dir_ + "/storage");
    TableStore::Options options;
    options.clock = &clock_;
    store_ = std::make_unique<TableStore>(kv_.get(), catalog_.get(), options);
  }
  TableEntryRef CreateTable(const std::string& name, TableType type, uint32_t ttl = 0) {
    TableDefinition d;
    d.id = *TableId::Make("chat", name);
    d.type = type;
    d.ttl_seconds = ttl;
    d.schema = pool_.Intern(
        {{"id", DataType::kBigInt, false, true, ""}, {"body", DataType::kText, false, false, ""}});
    d.storage_id = storages_->local()->id;
    EXPECT_TRUE(catalog_->CreateTable(d).ok());
    return Entry(name);
  }
  TableEntryRef Entry(const std::string& name) {
    auto entry = catalog_->Loader(*storages_)(*TableId::Make("chat", name));
    EXPECT_TRUE(entry.ok()) << entry.status().ToString();
    return *entry;
  }
  Status Insert(const TableEntryRef& t, const UserId* user, int64_t id, const std::string& body) {
    auto hot = store_->HotTableFor(*t);
    if (!hot.ok()) return hot.status();
    clock_.Advance(1);
    return store_->hot().Insert(*hot, user, {Value::BigInt(id), Value::Text(body)});
  }
  std::map<int64_t, std::string> Rows(const TableEntryRef& t, const UserId* user) {
    auto batch = store_->ReadRows(*t, user);
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    std::map<int64_t, std::string> out;
    if (!batch.ok()) return out;
    for (size_t r = 0; r < batch->num_rows(); ++r) {
      auto row = batch->GetRow(r);
      out[row[0].as_int64()] = std::string(row[1].as_bytes());
    }
    return out;
  }

  std::string dir_;
  SchemaPool pool_;
  ManualClock clock_{1'700'000'000'000'000};
  std::unique_ptr<KvStore> kv_;
  std::unique_ptr<PersistentCatalog> catalog_;
  std::unique_ptr<StorageRegistry> storages_;
  std::unique_ptr<TableStore> store_;
  UserId alice_ = *UserId::Make("alice");
  UserId bob_ = *UserId::Make("bob");
};

TEST_F(TableStoreTest, FlushMovesEachUsersRowsToTheirOwnFile) {
  auto t = CreateTable("messages", TableType::kUser);
  ASSERT_TRUE(Insert(t, &alice_, 1, "a1").ok());
  ASSERT_TRUE(Insert(t, &alice_, 2, "a2").ok());
  ASSERT_TRUE(Insert(t, &bob_, 1, "b1").ok());
  auto stats = store_->Flush(*t);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->users, 2u);
  EXPECT_EQ(stats->rows, 3u);
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/storage/chat/messages/alice/" +
                                      BatchFileName(t->table_number(), 1)));
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/storage/chat/messages/bob/" +
                                      BatchFileName(t->table_number(), 1)));
  // The hot store is empty now; reads come from the files, each user's own.
  auto hot = store_->HotTableFor(*t);
  auto hot_rows = store_->hot().Scan(*hot, &alice_, {});
  ASSERT_TRUE(hot_rows.ok());
  EXPECT_TRUE(hot_rows->empty());
  EXPECT_EQ(Rows(t, &alice_), (std::map<int64_t, std::string>{{1, "a1"}, {2, "a2"}}));
  EXPECT_EQ(Rows(t, &bob_), (std::map<int64_t, std::string>{{1, "b1"}}));
}

// A user's first flush moves their rows to Parquet while readers keep reading: no read
// may see fewer rows than were acknowledged (the rows are hot before the flush's batch
// and cold after it, never neither).
TEST_F(TableStoreTest, ReadsRacingAFirstFlushNeverMissRows) {
  auto t = CreateTable("messages", TableType::kUser);
  constexpr int kUsers = 60;
  constexpr int64_t kRows = 20;
  std::vector<UserId> users;
  for (int u = 0; u < kUsers; ++u)
    users.push_back(*UserId::Make("user" + std::to_string(u)));
  std::atomic<int> current{-1};  // the user whose rows are all acknowledged, being flushed
  std::atomic<bool> done{false};
  std::atomic<int> short_reads{0};
  std::atomic<int> reads{0};
  auto reader = [&] {
    while (!done) {
      const int u = current.load();
      if (u < 0) continue;
      auto batches = store_->ReadRows(*t, &users[u], TableStore::ReadOptions{});
      if (!batches.ok()) {
        ADD_FAILURE() << batches.status().ToString();
        return;
      }
      size_t n = 0;
      for (const Batch& b : *batches)
        n += b.num_rows();
      ++reads;
      if (n < static_cast<size_t>(kRows)) ++short_reads;
    }
  };
  std::thread r1(reader), r2(reader);
  for (int u = 0; u < kUsers; ++u) {
    for (int64_t id = 1; id <= kRows; ++id)
      ASSERT_TRUE(Insert(t, &users[u], id, "m").ok());
    current = u;
    for (int spin = 0; spin < 3 && reads.load() < 2 * (u + 1); ++spin)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ASSERT_TRUE(store_->Flush(*t).ok());
  }
  done = true;
  r1.join();
  r2.join();
  EXPECT_EQ(short_reads.load(), 0) << "of " << reads.load() << " reads";
  EXPECT_EQ(Rows(t, &users[kUsers - 1]).size(), static_cast<size_t>(kRows));
}

TEST_F(TableStoreTest, UpdatesAndDeletesAfterAFlushSurviveLaterFlushesAndRestarts) {
  auto t = CreateTable("messages", TableType::kUser);
  for (int i = 1; i <= 4; ++i)
    ASSERT_TRUE(Insert(t, &alice_, i, "v1").ok());
  ASSERT_TRUE(store_->Flush(*t).ok());
  auto hot = *store_->HotTableFor(*t);
  ASSERT_TRUE(store_->hot().Update(hot, &alice_, {Value::BigInt(2), Value::Text("v2")}).ok());
  ASSERT_TRUE(*store_->hot().Delete(hot, &alice_, {Value::BigInt(3)}));
  std::map<int64_t, std::string> expected{{1, "v1"}, {2, "v2"}, {4, "v1"}};
  EXPECT_EQ(Rows(t, &alice_), expected);
  ASSERT_TRUE(store_->Flush(*t).ok());  // the delete travels to batch-2 as a marker
  EXPECT_EQ(Rows(t, &alice_), expected);
  ASSERT_TRUE(store_->Flush(*t).ok());  // nothing hot: no new file
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/storage/chat/messages/alice/" +
                                       BatchFileName(t->table_number(), 3)));
  Open();
  t = Entry("messages");
  EXPECT_EQ(Rows(t, &alice_), expected);  // row 3 did not come back
}

TEST_F(TableStoreTest, KeysOnlyInParquetAreStillDuplicates) {
  auto t = CreateTable("messages", TableType::kUser);
  ASSERT_TRUE(Insert(t, &alice_, 1, "x").ok());
  ASSERT_TRUE(Insert(t, &alice_, 2, "y").ok());
  ASSERT_TRUE(store_->Flush(*t).ok());
  EXPECT_EQ(Insert(t, &alice_, 1, "again").code(), ErrorCode::kUniqueViolation);
  EXPECT_TRUE(Insert(t, &bob_, 1, "bob's own").ok());  // another user's key space
  auto hot = *store_->HotTableFor(*t);
  ASSERT_TRUE(*store_->hot().Delete(hot, &alice_, {Value::BigInt(2)}));
  ASSERT_TRUE(store_->Flush(*t).ok());
  EXPECT_TRUE(Insert(t, &alice_, 2, "reborn").ok());  // deleted in the newest file
  EXPECT_EQ(Rows(t, &alice_), (std::map<int64_t, std::string>{{1, "x"}, {2, "reborn"}}));
}

TEST_F(TableStoreTest, FilesACrashedFlushLeftAreRemovedAndNeverRead) {
  auto t = CreateTable("messages", TableType::kUser);
  ASSERT_TRUE(Insert(t, &alice_, 1, "real").ok());
  ASSERT_TRUE(store_->Flush(*t).ok());
  // What a flush killed between its rename and its manifest batch leaves behind:
  // a whole batch file the manifest does not list, and a temporary file.
  const std::string user_dir = dir_ + "/storage/chat/messages/alice";
  std::filesystem::copy_file(user_dir + "/" + BatchFileName(t->table_number(), 1),
                             user_dir + "/" + BatchFileName(t->table_number(), 2));
  std::filesystem::copy_file(user_dir + "/" + BatchFileName(t->table_number(), 1),
                             user_dir + "/" + BatchFileName(t->table_number(), 2) + ".tmp");
  EXPECT_EQ(Rows(t, &alice_), (std::map<int64_t, std::string>{{1, "real"}}));
  ASSERT_TRUE(Insert(t, &alice_, 5, "next").ok());
  ASSERT_TRUE(store_->Flush(*t).ok());  // takes number 2 after removing the leftovers
  EXPECT_FALSE(
      std::filesystem::exists(user_dir + "/" + BatchFileName(t->table_number(), 2) + ".tmp"));
  EXPECT_EQ(Rows(t, &alice_), (std::map<int64_t, std::string>{{1, "real"}, {5, "next"}}));
}

TEST_F(TableStoreTest, SharedTablesFlushToOneDirectory) {
  auto t = CreateTable("rooms", TableType::kShared);
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(Insert(t, nullptr, i, "room").ok());
  auto stats = store_->Flush(*t);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->rows, 10u);
  EXPECT_TRUE(
      std::filesystem::exists(dir_ + "/storage/chat/rooms/" + BatchFileName(t->table_number(), 1)));
  EXPECT_EQ(Rows(t, nullptr).size(), 10u);
}

TEST_F(TableStoreTest, StreamRowsExpireAndAreNeverFlushed) {
  auto t = CreateTable("events", TableType::kStream, /*ttl=*/60);
  ASSERT_TRUE(Insert(t, &alice_, 1, "old").ok());
  clock_.Advance(30'000'000);
  ASSERT_TRUE(Insert(t, &alice_, 2, "new").ok());
  EXPECT_EQ(Rows(t, &alice_).size(), 2u);
  clock_.Advance(40'000'000);  // row 1 is 70 s old, row 2 40 s
  EXPECT_EQ(Rows(t, &alice_), (std::map<int64_t, std::string>{{2, "new"}}));
  auto removed = store_->ExpireStream(*t);
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(*removed, 1u);
  EXPECT_EQ(store_->Flush(*t).status().code(), ErrorCode::kInvalidArgument);
}

// Issue 9: an expired STREAM row must be absent for writes as well as reads, before the
// TTL job removes it.
TEST_F(TableStoreTest, ExpiredStreamRowsFreeTheirKeysBeforeTheTtlJobRuns) {
  auto t = CreateTable("events", TableType::kStream, /*ttl=*/60);
  ASSERT_TRUE(Insert(t, &alice_, 1, "old1").ok());
  ASSERT_TRUE(Insert(t, &alice_, 2, "old2").ok());
  ASSERT_TRUE(Insert(t, &alice_, 3, "old3").ok());
  EXPECT_EQ(Insert(t, &alice_, 1, "dup").code(), ErrorCode::kUniqueViolation);
  clock_.Advance(61'000'000);
  auto hot = store_->HotTableFor(*t);
  ASSERT_TRUE(hot.ok());
  // Reads: none of the three.
  auto got = store_->GetRow(*t, &alice_, {Value::BigInt(2)});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_FALSE(got->has_value());
  auto version = store_->hot().GetVersion(*hot, &alice_, {Value::BigInt(2)});
  ASSERT_TRUE(version.ok());
  EXPECT_FALSE(version->has_value());
  TableStore::ReadOptions bounded;
  bounded.lower = HotKeyBound{{Value::BigInt(1)}, true};
  bounded.upper = HotKeyBound{{Value::BigInt(3)}, true};
  auto in_range = store_->ReadRows(*t, &alice_, bounded);
  ASSERT_TRUE(in_range.ok());
  size_t rows = 0;
  for (const Batch& b : *in_range)
    rows += b.num_rows();
  EXPECT_EQ(rows, 0u);
  // Writes: the key is free, an update finds nothing, a delete hides nothing.
  EXPECT_TRUE(Insert(t, &alice_, 1, "new1").ok());
  EXPECT_EQ(store_->hot().Update(*hot, &alice_, {Value::BigInt(2), Value::Text("u")}).code(),
            ErrorCode::kNotFound);
  auto deleted = store_->hot().Delete(*hot, &alice_, {Value::BigInt(3)});
  ASSERT_TRUE(deleted.ok());
  EXPECT_FALSE(*deleted);
  EXPECT_EQ(Rows(t, &alice_), (std::map<int64_t, std::string>{{1, "new1"}}));
  // The TTL job removes the two expired versions, not the new row.
  auto removed = store_->ExpireStream(*t);
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(*removed, 2u);
  EXPECT_EQ(Rows(t, &alice_), (std::map<int64_t, std::string>{{1, "new1"}}));
}

}  // namespace
}  // namespace tenantdb
