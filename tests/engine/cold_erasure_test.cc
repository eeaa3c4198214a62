// DROP TABLE and DROP NAMESPACE ... CASCADE erase the dropped tables' cold files through
// the "erase" job (storage/cold_erasure.h), and a restart finishes an erasure the last
// process did not run.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "engine/engine.h"
#include "engine/engine_session.h"

namespace tenantdb {
namespace {

class ColdErasureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("tdb_erasure_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override {
    Close();
    std::filesystem::remove_all(dir_);
  }
  void Open(bool jobs) {
    Close();
    Engine::Options options;
    options.background_jobs = jobs;
    auto db = Engine::Open(dir_, options);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    root_ = std::make_unique<EngineSession>(db_.get(), *UserId::Make("root"), Role::kSystem);
  }
  void Close() {
    root_.reset();
    db_.reset();
  }
  void Ok(const std::string& sql) {
    auto r = root_->Execute(sql);
    ASSERT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  }
  // A USER table with rows of two users and a SHARED one, all flushed to Parquet.
  void CreateFlushedTables(const std::string& ns) {
    Ok("CREATE NAMESPACE " + ns);
    Ok("CREATE TABLE " + ns + ".notes (id INT PRIMARY KEY, body TEXT) WITH (TYPE = 'USER')");
    Ok("CREATE TABLE " + ns + ".items (id INT PRIMARY KEY, label TEXT) WITH (TYPE = 'SHARED')");
    for (const char* user : {"alice", "bob"}) {
      Ok("EXECUTE AS USER '" + std::string(user) + "' (INSERT INTO " + ns +
         ".notes VALUES (1, 'secret of " + user + "'))");
    }
    Ok("INSERT INTO " + ns + ".items VALUES (1, 'item')");
    Ok("STORAGE FLUSH TABLE " + ns + ".notes");
    Ok("STORAGE FLUSH TABLE " + ns + ".items");
  }
  size_t FilesBelow(const std::string& relative) {
    size_t n = 0;
    std::error_code ec;
    const std::string path = dir_ + "/storage/" + relative;
    if (!std::filesystem::exists(path, ec)) return 0;
    // The erasure job may remove entries while this walks them: iterate with error codes
    // (the throwing form fails on a vanished directory) and count what is still there.
    std::filesystem::recursive_directory_iterator it(path, ec), end;
    for (; !ec && it != end; it.increment(ec))
      n += it->is_regular_file(ec) ? 1 : 0;
    return n;
  }
  // Waits (at most ten seconds) until no file is left below `relative` and no erasure is
  // pending.
  bool WaitUntilErased(const std::string& relative) {
    for (int i = 0; i < 200; ++i) {
      auto pending = db_->catalog().ListPendingErasures();
      if (FilesBelow(relative) == 0 && !std::filesystem::exists(dir_ + "/storage/" + relative) &&
          pending.ok() && pending->empty()) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  bool ErasureJobRecorded() {
    for (const JobRecord& r : db_->jobs().History()) {
      if (r.task == "erase" && r.status.ok()) return true;
    }
    return false;
  }

  std::string dir_;
  std::unique_ptr<Engine> db_;
  std::unique_ptr<EngineSession> root_;
};

TEST_F(ColdErasureTest, DropTableErasesItsFilesInAJob) {
  Open(/*jobs=*/true);
  CreateFlushedTables("app");
  ASSERT_EQ(FilesBelow("app/notes"), 2u);
  ASSERT_EQ(FilesBelow("app/items"), 1u);
  Ok("DROP TABLE app.notes");
  EXPECT_TRUE(WaitUntilErased("app/notes"));
  EXPECT_EQ(FilesBelow("app/items"), 1u);  // other tables keep theirs
  Ok("DROP TABLE app.items");
  EXPECT_TRUE(WaitUntilErased("app"));
  // The run shows in system.jobs.
  bool shown = false;
  for (int i = 0; i < 100 && !shown; ++i) {
    auto r = root_->Execute("SELECT count(*) FROM system.jobs WHERE job_name = 'erase'");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    shown = r->Get(0, 0).as_int64() > 0;
    if (!shown) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(shown);
}

TEST_F(ColdErasureTest, DropNamespaceCascadeErasesEveryTablesFiles) {
  Open(/*jobs=*/true);
  CreateFlushedTables("gone");
  CreateFlushedTables("kept");
  Ok("DROP NAMESPACE gone CASCADE");
  EXPECT_TRUE(WaitUntilErased("gone"));
  EXPECT_EQ(FilesBelow("kept"), 3u);
}

TEST_F(ColdErasureTest, ARecreatedTableNeverWritesADroppedTablesFileName) {
  Open(/*jobs=*/false);
  CreateFlushedTables("app");
  std::set<std::string> dropped;
  for (const auto& item : std::filesystem::recursive_directory_iterator(dir_ + "/storage"))
    if (item.is_regular_file()) dropped.insert(item.path().string());
  Ok("DROP TABLE app.notes");
  Ok("DROP TABLE app.items");
  Ok("CREATE TABLE app.notes (id INT PRIMARY KEY, body TEXT) WITH (TYPE = 'USER')");
  Ok("CREATE TABLE app.items (id INT PRIMARY KEY, label TEXT) WITH (TYPE = 'SHARED')");
  Ok("EXECUTE AS USER 'alice' (INSERT INTO app.notes VALUES (2, 'new'))");
  Ok("INSERT INTO app.items VALUES (2, 'new')");
  Ok("STORAGE FLUSH TABLE app.notes");
  Ok("STORAGE FLUSH TABLE app.items");
  size_t files = 0;
  for (const auto& item : std::filesystem::recursive_directory_iterator(dir_ + "/storage")) {
    if (!item.is_regular_file()) continue;
    ++files;
  }
  EXPECT_EQ(files, dropped.size() + 2);  // nothing overwritten, nothing removed yet
  auto r = root_->Execute("EXECUTE AS USER 'alice' (SELECT id, body FROM app.notes)");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->num_rows(), 1u);
  EXPECT_EQ(r->Get(0, 1).ToString(), "new");
  // The erasure removes exactly the dropped tables' files.
  ASSERT_TRUE(db_->EraseDropped().ok());
  for (const std::string& path : dropped)
    EXPECT_FALSE(std::filesystem::exists(path)) << path;
  EXPECT_EQ(FilesBelow("app"), 2u);
}

TEST_F(ColdErasureTest, ErasureResumesAfterAReopenWhenItsJobNeverRan) {
  Open(/*jobs=*/false);
  CreateFlushedTables("app");
  Ok("DROP NAMESPACE app CASCADE");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(FilesBelow("app"), 3u);  // no job ran: still on disk, recorded as pending
  EXPECT_EQ(db_->catalog().ListPendingErasures()->size(), 2u);
  Open(/*jobs=*/true);
  EXPECT_TRUE(WaitUntilErased("app"));
  EXPECT_TRUE(db_->catalog().ListPendingErasures()->empty());
  for (int i = 0; i < 100 && !ErasureJobRecorded(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_TRUE(ErasureJobRecorded());
}

}  // namespace
}  // namespace tenantdb
