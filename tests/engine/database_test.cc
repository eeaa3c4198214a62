#include "engine/engine.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "engine/engine_session.h"
#include "storage/cold/batch_file.h"

namespace tenantdb {
namespace {

std::string FreshDir() {
  auto dir = std::filesystem::temp_directory_path() /
             ("tenantdb-db-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  return dir.string();
}

TEST(Engine, BackgroundJobFlushesByPolicyAndReopenKeepsEverything) {
  const std::string dir = FreshDir();
  SchemaPool* pool;
  {
    auto db = Engine::Open(dir);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    pool = &(*db)->schema_pool();
    ASSERT_TRUE((*db)->catalog().CreateNamespace(*NamespaceId::Make("chat")).ok());
    TableDefinition d;
    d.id = *TableId::Make("chat", "messages");
    d.type = TableType::kUser;
    d.schema = pool->Intern(
        {{"id", DataType::kBigInt, false, true, ""}, {"body", DataType::kText, true, false, ""}});
    d.storage_id = (*db)->storages().local()->id;
    d.flush_policy.rows = 3;
    ASSERT_TRUE((*db)->catalog().CreateTable(d).ok());
    auto entry = (*db)->cache().Get(d.id);
    ASSERT_TRUE(entry.ok());
    auto hot = *(*db)->tables().HotTableFor(**entry);
    UserId alice = *UserId::Make("alice");
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE(
          (*db)->tables().hot().Insert(hot, &alice, {Value::BigInt(i), Value::Text("m")}).ok());
    }
    (*db)->flush_scheduler().RecordWrites(**entry, 3);
    const std::string file =
        dir + "/storage/chat/messages/alice/" + BatchFileName((*entry)->table_number(), 1);
    for (int i = 0; i < 100 && !std::filesystem::exists(file); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_TRUE(std::filesystem::exists(file)) << "the flush job did not run";
    // The file appears before the run that wrote it ends and is recorded.
    bool recorded = false;
    for (int i = 0; i < 100 && !recorded; ++i) {
      for (const JobRecord& r : (*db)->jobs().History())
        recorded |= r.task == "flush" && r.status.ok();
      if (!recorded) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_TRUE(recorded);
  }
  auto reopened = Engine::Open(dir);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  auto entry = (*reopened)->cache().GetByName("chat", "messages");
  ASSERT_TRUE(entry.ok());
  UserId alice = *UserId::Make("alice");
  auto rows = (*reopened)->tables().ReadRows(**entry, &alice);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->num_rows(), 3u);
  std::filesystem::remove_all(dir);
}

// Rows written by a process that stopped before its flush job ran count toward the
// policy after a restart: the table flushes with no new write.
TEST(Engine, ATableOverItsRowsPolicyAtOpenFlushesWithoutNewWrites) {
  const std::string dir = FreshDir();
  {
    Engine::Options options;
    options.background_jobs = false;
    auto db = Engine::Open(dir, options);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    EngineSession s(db->get(), *UserId::Make("root"), Role::kSystem);
    ASSERT_TRUE(s.Execute("CREATE TABLE t (id BIGINT PRIMARY KEY) WITH (TYPE = 'SHARED', "
                          "FLUSH_POLICY = 'rows:3')")
                    .ok());
    for (int i = 0; i < 5; ++i)
      ASSERT_TRUE(s.Execute("INSERT INTO t VALUES ($1)", {Value::BigInt(i)}).ok());
  }
  auto db = Engine::Open(dir);  // background jobs on
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  auto entry = (*db)->cache().GetByName("default", "t");
  ASSERT_TRUE(entry.ok()) << entry.status().ToString();
  auto cold = (*db)->tables().ColdDirectory(**entry, nullptr);
  ASSERT_TRUE(cold.ok());
  const std::string file = *cold + "/" + BatchFileName((*entry)->table_number(), 1);
  for (int i = 0; i < 100 && !std::filesystem::exists(file); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_TRUE(std::filesystem::exists(file)) << "the flush job did not flush the stored rows";
  db->reset();
  std::filesystem::remove_all(dir);
}

TEST(Engine, ASecondOpenOfTheSameDirectoryFailsClearly) {
  const std::string dir = FreshDir();
  auto first = Engine::Open(dir);
  ASSERT_TRUE(first.ok());
  auto second = Engine::Open(dir);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), ErrorCode::kObjectInUse);
  EXPECT_EQ(second.status().sqlstate(), "55006");
  EXPECT_NE(second.status().message().find("is in use by this process (process " +
                                           std::to_string(::getpid()) + ")"),
            std::string_view::npos)
      << second.status().ToString();
  first->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tenantdb
