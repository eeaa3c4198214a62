// Session::DeferCommitSync and Database::WritePosition / IsDurable / WhenDurable /
// WaitUntilDurable, through the public headers.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>

#include "api_fixture.h"

namespace tenantdb {
namespace {

TEST_F(ApiTest, ASynchronousCommitIsDurableWhenItReturns) {
  Ok("CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT)");
  Ok("INSERT INTO notes VALUES (1, 'synced')");
  EXPECT_TRUE(db_->IsDurable(db_->WritePosition()));
}

TEST_F(ApiTest, ADeferredCommitIsVisibleAtOnceAndDurableOnlyAfterTheSync) {
  Ok("CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT)");
  auto writer = db_->Connect("root", Role::kSystem);
  ASSERT_TRUE(writer.ok());
  (*writer)->DeferCommitSync(true);
  Ok(**writer, "INSERT INTO notes VALUES (1, 'deferred')");
  const uint64_t position = db_->WritePosition();
  EXPECT_FALSE(db_->IsDurable(position)) << "no sync has run for the deferred commit";
  // Other sessions see the row already: the caller answers only once it is durable.
  auto rows = root_->Query("SELECT body FROM notes");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(Rows(**rows), "deferred\n");

  std::mutex mu;
  std::condition_variable cv;
  std::optional<Status> answer;
  db_->WhenDurable(position, [&](const Status& s) {
    std::lock_guard<std::mutex> lock(mu);
    answer = s;
    cv.notify_all();
  });
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return answer.has_value(); }));
  }
  EXPECT_TRUE(answer->ok()) << answer->ToString();
  EXPECT_TRUE(db_->IsDurable(position));
  EXPECT_EQ(db_->Stats().deferred_wal_syncs, 1u);

  // An explicit transaction's COMMIT defers too; WaitUntilDurable blocks for it.
  Ok(**writer, "BEGIN");
  Ok(**writer, "INSERT INTO notes VALUES (2, 'in a transaction')");
  Ok(**writer, "COMMIT");
  const uint64_t committed = db_->WritePosition();
  EXPECT_FALSE(db_->IsDurable(committed));
  EXPECT_TRUE(db_->WaitUntilDurable(committed).ok());
  EXPECT_TRUE(db_->IsDurable(committed));

  // Turned off again: the commit syncs before it returns.
  (*writer)->DeferCommitSync(false);
  Ok(**writer, "INSERT INTO notes VALUES (3, 'synced')");
  EXPECT_TRUE(db_->IsDurable(db_->WritePosition()));
}

TEST_F(ApiTest, DeferredCommitsSurviveAReopen) {
  Ok("CREATE TABLE notes (id BIGINT PRIMARY KEY)");
  root_->DeferCommitSync(true);
  for (int i = 0; i < 50; ++i)
    Ok("INSERT INTO notes VALUES ($1)", {Value::BigInt(i)});
  OpenAsRoot();  // closes first: whoever waits is answered, the memtables are flushed
  auto rows = root_->Query("SELECT count(*) FROM notes");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(Rows(**rows), "50\n");
}

}  // namespace
}  // namespace tenantdb
