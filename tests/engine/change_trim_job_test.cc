// The engine's change_log_trim job applies the change log's retention in the background.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "engine/engine.h"
#include "engine/engine_session.h"

namespace tenantdb {
namespace {

TEST(ChangeTrimJob, TrimsToTheRetentionInTheBackground) {
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("tenantdb-trimjob-" + std::to_string(::getpid())))
          .string();
  std::filesystem::remove_all(dir);
  {
    Engine::Options options;
    options.changes.retention_count = 2;
    options.change_trim_period = std::chrono::milliseconds(50);
    auto db = Engine::Open(dir, options);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    EngineSession root(db->get(), *UserId::Make("root"), Role::kSystem);
    ASSERT_TRUE(root.Execute("CREATE NAMESPACE chat").ok());
    ASSERT_TRUE(
        root.Execute("CREATE TABLE chat.board (id BIGINT PRIMARY KEY, body TEXT) WITH (TYPE = "
                     "'SHARED')")
            .ok());
    for (int i = 1; i <= 6; ++i) {
      auto r = root.Execute("INSERT INTO chat.board VALUES ($1, 'x')", {Value::BigInt(i)});
      ASSERT_TRUE(r.ok()) << r.status().ToString();
    }
    uint64_t oldest = 0;
    for (int i = 0; i < 200 && oldest != 5; ++i) {
      auto read = (*db)->change_feed().Read("chat", "board", "", 0, 10);
      ASSERT_TRUE(read.ok()) << read.status().ToString();
      oldest = read->oldest_seq;
      if (oldest != 5) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    EXPECT_EQ(oldest, 5u) << "the trim job did not run";
    auto read = (*db)->change_feed().Read("chat", "board", "", 0, 10);
    ASSERT_TRUE(read.ok());
    EXPECT_TRUE(read->resync_required);
    bool recorded = false;
    for (const JobRecord& r : (*db)->jobs().History())
      recorded |= r.task == "change_log_trim" && r.status.ok();
    EXPECT_TRUE(recorded);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tenantdb
