// The cold data lifecycle at the TableStore level: compaction (storage/compaction.h) and
// the erasure of dropped tables' files (storage/cold_erasure.h).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <thread>

#include "catalog/schema_pool.h"
#include "catalog/storage_registry.h"
#include "storage/cold/batch_file.h"
#include "storage/cold/parquet_reader.h"
#include "storage/table_store.h"

namespace tenantdb {
namespace {

std::string TempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("tenantdb-cold-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir.string();
}

// Every regular file below `dir`, by path relative to it.
std::set<std::string> FilesBelow(const std::string& dir) {
  std::set<std::string> out;
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return out;
  for (const auto& item : std::filesystem::recursive_directory_iterator(dir)) {
    if (item.is_regular_file()) out.insert(item.path().lexically_relative(dir).string());
  }
  return out;
}

// Whether `needle` occurs in the bytes of any file below `dir`, or in any value any of
// those Parquet files decodes to (deleted rows included).
bool AnyFileHolds(const std::string& dir, const std::string& needle,
                  const std::shared_ptr<const Schema>& layout) {
  for (const std::string& name : FilesBelow(dir)) {
    std::ifstream in(dir + "/" + name, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.find(needle) != std::string::npos) return true;
    auto reader = ParquetReader::Open(dir + "/" + name);
    if (!reader.ok()) continue;
    auto groups = (*reader)->Read(layout);
    if (!groups.ok()) continue;
    for (const Batch& b : *groups) {
      for (size_t r = 0; r < b.num_rows(); ++r) {
        for (const Value& v : b.GetRow(r)) {
          if (v.ToString().find(needle) != std::string::npos) return true;
        }
      }
    }
  }
  return false;
}

class ColdLifecycleTest : public ::testing::Test {
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
  void Open(size_t compact_after_files = 0) {
    Close();
    kv_ = std::move(*KvStore::Open(dir_));
    catalog_ = std::move(*PersistentCatalog::Open(kv_.get(), &pool_));
    storages_ = std::make_unique<StorageRegistry>(dir_ + "/storage");
    TableStore::Options options;
    // Uncompressed, so a byte scan of the files sees every value they hold.
    options.parquet.compression = ParquetCompression::kNone;
    options.compact_after_files = compact_after_files;
    store_ = std::make_unique<TableStore>(kv_.get(), catalog_.get(), options);
  }
  TableEntryRef CreateTable(const std::string& name, TableType type) {
    TableDefinition d;
    d.id = *TableId::Make("chat", name);
    d.type = type;
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
  void Insert(const TableEntryRef& t, const UserId* user, int64_t id, const std::string& body) {
    auto hot = *store_->HotTableFor(*t);
    ASSERT_TRUE(store_->hot().Insert(hot, user, {Value::BigInt(id), Value::Text(body)}).ok());
  }
  void Update(const TableEntryRef& t, const UserId* user, int64_t id, const std::string& body) {
    auto hot = *store_->HotTableFor(*t);
    ASSERT_TRUE(store_->hot().Update(hot, user, {Value::BigInt(id), Value::Text(body)}).ok());
  }
  void Delete(const TableEntryRef& t, const UserId* user, int64_t id) {
    auto hot = *store_->HotTableFor(*t);
    auto deleted = store_->hot().Delete(hot, user, {Value::BigInt(id)});
    ASSERT_TRUE(deleted.ok() && *deleted);
  }
  void Flush(const TableEntryRef& t) {
    auto stats = store_->Flush(*t);
    ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  }
  std::map<int64_t, std::string> Rows(const TableEntryRef& t, const UserId* user) {
    auto batch = store_->ReadRows(*t, user);
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    std::map<int64_t, std::string> out;
    if (!batch.ok()) return out;
    for (size_t r = 0; r < batch->num_rows(); ++r) {
      auto row = batch->GetRow(r);
      EXPECT_TRUE(out.emplace(row[0].as_int64(), std::string(row[1].as_bytes())).second)
          << "key " << row[0].as_int64() << " read twice";
    }
    return out;
  }
  std::string UserDir(const std::string& table, const UserId* user) {
    return dir_ + "/storage/chat/" + table + (user ? "/" + std::string(user->str()) : "");
  }

  std::string dir_;
  SchemaPool pool_;
  std::unique_ptr<KvStore> kv_;
  std::unique_ptr<PersistentCatalog> catalog_;
  std::unique_ptr<StorageRegistry> storages_;
  std::unique_ptr<TableStore> store_;
  UserId alice_ = *UserId::Make("alice");
  UserId bob_ = *UserId::Make("bob");
};

// ---- compaction ----

TEST_F(ColdLifecycleTest, CompactionLeavesNoByteOfADeletedOrSupersededRow) {
  auto t = CreateTable("messages", TableType::kUser);
  const std::string deleted_marker = "DELETED-MARKER-q8Zr41xT";
  const std::string old_marker = "SUPERSEDED-MARKER-m2Pk77wD";
  for (int i = 0; i < 20; ++i)
    Insert(t, &alice_, i, "row" + std::to_string(i));
  Insert(t, &alice_, 100, deleted_marker);
  Insert(t, &alice_, 101, old_marker);
  Insert(t, &bob_, 100, "bob keeps his");
  Flush(t);
  Update(t, &alice_, 101, "new value");
  Update(t, &alice_, 5, "five again");
  Flush(t);
  Delete(t, &alice_, 100);
  Delete(t, &alice_, 7);
  Flush(t);
  const std::string alice_dir = UserDir("messages", &alice_);
  const auto layout = ColdFileSchema(*t->schema());
  ASSERT_EQ(FilesBelow(alice_dir).size(), 3u);
  // The scan sees the markers while older files hold them (so it can fail).
  ASSERT_TRUE(AnyFileHolds(alice_dir, deleted_marker, layout));
  ASSERT_TRUE(AnyFileHolds(alice_dir, old_marker, layout));
  const auto before = Rows(t, &alice_);
  EXPECT_EQ(before.count(100), 0u);
  EXPECT_EQ(before.at(101), "new value");

  auto stats = store_->Compact(*t);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  // Alice's three files become one; bob's one file has nothing to drop and stays.
  EXPECT_EQ(stats->directories, 1u);
  EXPECT_EQ(stats->files_in, 3u);
  EXPECT_EQ(stats->files_out, 1u);
  EXPECT_EQ(stats->rows_out, 20u);  // 0..19 without 7, and 101

  EXPECT_FALSE(AnyFileHolds(alice_dir, deleted_marker, layout));
  EXPECT_FALSE(AnyFileHolds(alice_dir, old_marker, layout));
  EXPECT_EQ(FilesBelow(alice_dir).size(), 1u);
  EXPECT_EQ(Rows(t, &alice_), before);
  EXPECT_EQ(Rows(t, &bob_), (std::map<int64_t, std::string>{{100, "bob keeps his"}}));
  // The manifest lists exactly the new file, and a restart reads the same rows.
  auto manifest = catalog_->ReadManifest(t->table_number(), alice_);
  ASSERT_TRUE(manifest.ok());
  ASSERT_EQ(manifest->files.size(), 1u);
  EXPECT_EQ(manifest->files[0].batch_number, 4u);  // never reuses a number
  EXPECT_EQ(*FilesBelow(alice_dir).begin(), manifest->files[0].file_name);
  Open();
  t = Entry("messages");
  EXPECT_EQ(Rows(t, &alice_), before);
  // A deleted key can be inserted again, and keys that still exist cannot.
  auto hot = *store_->HotTableFor(*t);
  EXPECT_TRUE(store_->hot().Insert(hot, &alice_, {Value::BigInt(7), Value::Text("7 back")}).ok());
  EXPECT_EQ(store_->hot().Insert(hot, &alice_, {Value::BigInt(5), Value::Text("dup")}).code(),
            ErrorCode::kUniqueViolation);
}

TEST_F(ColdLifecycleTest, SharedTablesCompactAndLaterFlushesStayNewer) {
  auto t = CreateTable("rooms", TableType::kShared);
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i < 10; ++i) {
      if (round == 0) {
        Insert(t, nullptr, i, "r0");
      } else if (i % 4 == round) {
        Delete(t, nullptr, i);
        Insert(t, nullptr, i, "r" + std::to_string(round));
      } else if (i == round + 5) {
        Update(t, nullptr, i, "u" + std::to_string(round));
      }
    }
    Flush(t);
  }
  Delete(t, nullptr, 9);
  Flush(t);
  const auto before = Rows(t, nullptr);
  ASSERT_EQ(FilesBelow(UserDir("rooms", nullptr)).size(), 5u);
  auto stats = store_->Compact(*t);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->files_in, 5u);
  EXPECT_EQ(FilesBelow(UserDir("rooms", nullptr)).size(), 1u);
  EXPECT_EQ(Rows(t, nullptr), before);
  // A version flushed after the compaction wins over the compacted one.
  Update(t, nullptr, 0, "after");
  Flush(t);
  auto expected = before;
  expected[0] = "after";
  EXPECT_EQ(Rows(t, nullptr), expected);
  // A second compaction with nothing to drop in one file is a no-op; with two it merges.
  stats = store_->Compact(*t);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->files_in, 2u);
  EXPECT_EQ(Rows(t, nullptr), expected);
  stats = store_->Compact(*t);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->directories, 0u);
}

TEST_F(ColdLifecycleTest, CompactingOnlyDeletedRowsLeavesNoFile) {
  auto t = CreateTable("messages", TableType::kUser);
  Insert(t, &alice_, 1, "gone soon");
  Flush(t);
  Delete(t, &alice_, 1);
  Flush(t);
  auto stats = store_->Compact(*t);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->files_out, 0u);
  EXPECT_TRUE(FilesBelow(UserDir("messages", &alice_)).empty());
  EXPECT_TRUE(Rows(t, &alice_).empty());
  Insert(t, &alice_, 1, "again");
  Flush(t);
  EXPECT_EQ(Rows(t, &alice_), (std::map<int64_t, std::string>{{1, "again"}}));
}

TEST_F(ColdLifecycleTest, FlushesCompactADirectoryWithMoreThanTheLimitOfFiles) {
  Open(/*compact_after_files=*/3);
  auto t = CreateTable("messages", TableType::kUser);
  std::map<int64_t, std::string> expected;
  for (int i = 0; i < 4; ++i) {
    Insert(t, &alice_, i, "v" + std::to_string(i));
    expected[i] = "v" + std::to_string(i);
    auto stats = store_->Flush(*t);
    ASSERT_TRUE(stats.ok());
    EXPECT_EQ(stats->compactions, i == 3 ? 1u : 0u) << "flush " << i;
    EXPECT_EQ(FilesBelow(UserDir("messages", &alice_)).size(), i == 3 ? 1u : size_t(i + 1));
  }
  EXPECT_EQ(Rows(t, &alice_), expected);
}

// What a compaction killed at each point leaves behind, built by hand: reads never see
// it, and the next flush or compaction of the directory removes it.
TEST_F(ColdLifecycleTest, FilesACrashedCompactionLeftAreNeverReadAndRemovedNextTime) {
  auto t = CreateTable("messages", TableType::kUser);
  Insert(t, &alice_, 1, "one");
  Insert(t, &alice_, 2, "two");
  Flush(t);
  Delete(t, &alice_, 2);
  Flush(t);
  const std::string dir = UserDir("messages", &alice_);
  const std::set<std::string> old_files = FilesBelow(dir);
  std::map<std::string, std::string> saved;
  for (const std::string& f : old_files) {
    std::ifstream in(dir + "/" + f, std::ios::binary);
    saved[f] = std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  ASSERT_TRUE(store_->Compact(*t).ok());
  const std::set<std::string> new_files = FilesBelow(dir);
  ASSERT_EQ(new_files.size(), 1u);
  // Killed between the manifest batch and the deletes: the old files are back on disk.
  for (const auto& [name, bytes] : saved)
    std::ofstream(dir + "/" + name, std::ios::binary) << bytes;
  // ... and killed before the manifest batch (another time): a whole new file and a
  // temporary one that no manifest lists.
  std::filesystem::copy_file(dir + "/" + *new_files.begin(),
                             dir + "/" + BatchFileName(t->table_number(), 9));
  std::filesystem::copy_file(dir + "/" + *new_files.begin(),
                             dir + "/" + BatchFileName(t->table_number(), 10) + ".tmp");
  EXPECT_EQ(Rows(t, &alice_), (std::map<int64_t, std::string>{{1, "one"}}));
  Insert(t, &alice_, 3, "three");
  Flush(t);
  EXPECT_EQ(Rows(t, &alice_), (std::map<int64_t, std::string>{{1, "one"}, {3, "three"}}));
  auto manifest = catalog_->ReadManifest(t->table_number(), alice_);
  ASSERT_TRUE(manifest.ok());
  std::set<std::string> listed;
  for (const ManifestFile& f : manifest->files)
    listed.insert(f.file_name);
  EXPECT_EQ(FilesBelow(dir), listed);
}

TEST_F(ColdLifecycleTest, ReadsRacingCompactionsNeverMissOrDuplicateRows) {
  auto t = CreateTable("messages", TableType::kUser);
  // Keys 0..199 always exist (they are updated, never deleted); 1000+ come and go.
  for (int i = 0; i < 200; ++i)
    Insert(t, &alice_, i, "v0");
  Flush(t);
  std::atomic<bool> done{false};
  std::atomic<int> bad_reads{0}, reads{0};
  std::string first_error;
  std::mutex error_mu;
  auto reader = [&](int kind) {
    while (!done.load()) {
      std::set<int64_t> keys;
      Status status;
      if (kind == 0) {
        auto batch = store_->ReadRows(*t, &alice_);
        status = batch.status();
        if (batch.ok()) {
          for (size_t r = 0; r < batch->num_rows(); ++r) {
            if (!keys.insert(batch->GetRow(r)[0].as_int64()).second)
              status = Status(ErrorCode::kInternal, "duplicate");
          }
        }
      } else {
        auto row = store_->GetRow(*t, &alice_, {Value::BigInt(reads.load() % 200)});
        status = row.status();
        if (row.ok() && !row->has_value()) status = Status(ErrorCode::kInternal, "missed a row");
        if (row.ok() && row->has_value()) {
          for (int64_t i = 0; i < 200; ++i)
            keys.insert(i);  // checked above
        }
      }
      bool complete = true;
      for (int64_t i = 0; i < 200; ++i)
        complete &= keys.contains(i);
      if (!status.ok() || !complete) {
        ++bad_reads;
        std::lock_guard<std::mutex> lock(error_mu);
        if (first_error.empty()) first_error = status.ok() ? "a row missing" : status.ToString();
      }
      ++reads;
    }
  };
  std::thread r1(reader, 0), r2(reader, 1);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (int round = 0; round < 40 && std::chrono::steady_clock::now() < deadline; ++round) {
    Update(t, &alice_, round % 200, "v" + std::to_string(round));
    Insert(t, &alice_, 1000 + round, "x");
    if (round % 3 == 0) Delete(t, &alice_, 1000 + round);
    Flush(t);
    Update(t, &alice_, (round * 7) % 200, "w" + std::to_string(round));
    Flush(t);
    auto stats = store_->Compact(*t);
    ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  }
  done = true;
  r1.join();
  r2.join();
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(bad_reads.load(), 0) << first_error;
}

TEST_F(ColdLifecycleTest, CompactionRejectsStreamTablesAndSkipsDroppedOnes) {
  auto t = CreateTable("messages", TableType::kUser);
  Insert(t, &alice_, 1, "a");
  Flush(t);
  Insert(t, &alice_, 2, "b");
  ASSERT_TRUE(catalog_->DropTable(t->id()).ok());
  // An entry held from before the drop: neither a flush nor a compaction writes a file
  // the erasure would not know about.
  auto flushed = store_->Flush(*t);
  ASSERT_TRUE(flushed.ok());
  EXPECT_EQ(flushed->rows, 0u);
  auto compacted = store_->Compact(*t);
  ASSERT_TRUE(compacted.ok());
  EXPECT_EQ(compacted->directories, 0u);
  EXPECT_EQ(FilesBelow(UserDir("messages", &alice_)).size(), 1u);
}

// ---- erasure ----

TEST_F(ColdLifecycleTest, DropThenEraseRemovesEveryFileDirectoryAndManifest) {
  auto users = CreateTable("messages", TableType::kUser);
  auto shared = CreateTable("rooms", TableType::kShared);
  Insert(users, &alice_, 1, "alice's secret");
  Insert(users, &bob_, 1, "bob's secret");
  Insert(shared, nullptr, 1, "room");
  Flush(users);
  Flush(shared);
  Insert(users, &alice_, 2, "still hot");
  ASSERT_EQ(FilesBelow(dir_ + "/storage").size(), 3u);
  const uint32_t n = users->table_number();
  ASSERT_TRUE(catalog_->DropTable(users->id()).ok());
  ASSERT_TRUE(catalog_->DropTable(shared->id()).ok());
  // Dropped but not erased yet: the files are still there, and listed for erasure.
  EXPECT_EQ(FilesBelow(dir_ + "/storage").size(), 3u);
  ASSERT_EQ(catalog_->ListPendingErasures()->size(), 2u);
  auto stats = store_->EraseDropped(*storages_);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->tables, 2u);
  EXPECT_EQ(stats->files, 3u);
  EXPECT_TRUE(FilesBelow(dir_ + "/storage").empty());
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/storage/chat"));  // empty directories too
  EXPECT_TRUE(catalog_->ListPendingErasures()->empty());
  EXPECT_TRUE(catalog_->ListManifestUsers(n)->empty());
  // The hot rows went too.
  auto hot = *store_->HotTableFor(*users);
  EXPECT_TRUE(store_->hot().ListUsers(hot)->empty());
  // Nothing left to do.
  stats = store_->EraseDropped(*storages_);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->tables, 0u);
}

TEST_F(ColdLifecycleTest, ARecreatedTableNeverReusesAFileNameAndKeepsItsFiles) {
  auto old_table = CreateTable("messages", TableType::kUser);
  Insert(old_table, &alice_, 1, "old");
  Flush(old_table);
  Insert(old_table, &alice_, 2, "old 2");
  Flush(old_table);
  const std::string dir = UserDir("messages", &alice_);
  const std::set<std::string> old_names = FilesBelow(dir);
  ASSERT_EQ(old_names.size(), 2u);
  ASSERT_TRUE(catalog_->DropTable(old_table->id()).ok());
  // Re-created under the same name before the erasure ran: same directory.
  auto t = CreateTable("messages", TableType::kUser);
  for (int i = 0; i < 3; ++i) {
    Insert(t, &alice_, 10 + i, "new");
    Flush(t);  // must not remove the dropped table's files (not its own), nor reuse a name
    for (const std::string& name : FilesBelow(dir)) {
      if (old_names.contains(name)) continue;
      EXPECT_EQ(ParseBatchFileName(name)->table_number, t->table_number()) << name;
    }
    EXPECT_EQ(FilesBelow(dir).size(), old_names.size() + i + 1);
  }
  const std::set<std::string> new_names = [&] {
    std::set<std::string> s;
    for (const std::string& name : FilesBelow(dir))
      if (!old_names.contains(name)) s.insert(name);
    return s;
  }();
  ASSERT_TRUE(store_->EraseDropped(*storages_).ok());
  EXPECT_EQ(FilesBelow(dir), new_names);  // only the dropped table's files went
  EXPECT_EQ(Rows(t, &alice_),
            (std::map<int64_t, std::string>{{10, "new"}, {11, "new"}, {12, "new"}}));
}

TEST_F(ColdLifecycleTest, EraseFindsAFileAFirstFlushLeftBeforeItsManifestUpdate) {
  auto t = CreateTable("messages", TableType::kUser);
  // A first flush of bob killed between writing its file and the manifest batch: what
  // it leaves is the claim and an unlisted file (and the rows, still hot).
  ASSERT_TRUE(catalog_->ClaimManifest(t->table_number(), bob_).ok());
  Batch rows(ColdFileSchema(*t->schema()));
  ASSERT_TRUE(rows.AppendRow({Value::BigInt(1), Value::Text("bob's"), Value::Boolean(false)}).ok());
  ASSERT_TRUE(WriteBatchFile(UserDir("messages", &bob_), t->table_number(), 1, rows, 1).ok());
  EXPECT_TRUE(Rows(t, &bob_).empty());
  ASSERT_TRUE(catalog_->DropTable(t->id()).ok());
  ASSERT_TRUE(store_->EraseDropped(*storages_).ok());
  EXPECT_TRUE(FilesBelow(dir_ + "/storage").empty());
}

TEST_F(ColdLifecycleTest, AFlushClaimsTheManifestBeforeWritingItsFirstFile) {
  auto t = CreateTable("messages", TableType::kUser);
  Insert(t, &alice_, 1, "x");
  // Alice's directory cannot be created (a file stands in its place): the flush fails
  // after the claim, as a flush killed while writing would.
  std::filesystem::create_directories(dir_ + "/storage/chat/messages");
  std::ofstream(UserDir("messages", &alice_)) << "in the way";
  EXPECT_FALSE(store_->Flush(*t).ok());
  EXPECT_TRUE(*catalog_->HasManifest(t->table_number(), alice_));
  EXPECT_EQ(Rows(t, &alice_), (std::map<int64_t, std::string>{{1, "x"}}));
}

TEST_F(ColdLifecycleTest, AnInterruptedErasureResumesAfterARestart) {
  auto t = CreateTable("messages", TableType::kUser);
  for (const UserId* u : {&alice_, &bob_}) {
    Insert(t, u, 1, "x");
  }
  Flush(t);
  ASSERT_TRUE(catalog_->DropTable(t->id()).ok());
  // Killed after erasing alice's directory and its manifest, before bob's.
  ASSERT_TRUE(catalog_->DeleteManifest(t->table_number(), alice_).ok());
  std::filesystem::remove_all(UserDir("messages", &alice_));
  Open();
  ASSERT_EQ(catalog_->ListPendingErasures()->size(), 1u);
  auto stats = store_->EraseDropped(*storages_);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->files, 1u);
  EXPECT_TRUE(FilesBelow(dir_ + "/storage").empty());
  EXPECT_TRUE(catalog_->ListPendingErasures()->empty());
}

}  // namespace
}  // namespace tenantdb
