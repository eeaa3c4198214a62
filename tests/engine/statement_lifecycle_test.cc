// Cancellation, statement timeouts and memory limits through the embedded EngineSession
// (engine/engine_session.h): Cancel() from another thread stops scans, joins, aggregates, sorts
// and writes with query_canceled; a cancelled or over-budget write changes nothing; a
// statement past statement_mem / global_mem fails with out_of_memory and leaves every
// tracker at zero; the session goes on working afterwards.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "engine/engine.h"
#include "engine/engine_session.h"

namespace tenantdb {
namespace {

using namespace std::chrono_literals;

constexpr int kRows = 3000;

class StatementLifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tdb_lifecycle_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Open(Engine::Options());
  }
  void TearDown() override {
    session_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Open(Engine::Options options) {
    session_.reset();
    db_.reset();
    options.background_jobs = false;
    db_ = Engine::Open(dir_.string(), options).value();
    session_ =
        std::make_unique<EngineSession>(db_.get(), UserId::Make("root").value(), Role::kSystem);
  }

  void Ok(const std::string& sql) {
    auto r = session_->Execute(sql);
    ASSERT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  }

  // t(id, v) with kRows rows.
  void MakeTable() {
    Ok("CREATE TABLE t (id BIGINT PRIMARY KEY, v TEXT)");
    for (int first = 1; first <= kRows; first += 500) {
      std::string sql = "INSERT INTO t VALUES ";
      for (int i = first; i < first + 500; ++i)
        sql +=
            (i > first ? ", (" : "(") + std::to_string(i) + ", 'value " + std::to_string(i) + "')";
      Ok(sql);
    }
  }

  int64_t Count(const std::string& sql) {
    auto r = session_->Execute(sql);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
    return r.ok() && r->num_rows() == 1 ? r->Get(0, 0).as_int64() : -1;
  }

  // Runs `sql` while another thread calls Cancel() every few milliseconds, starting
  // after `delay` (so the statement is well under way). Returns its status.
  Status RunCancelled(const std::string& sql, std::chrono::milliseconds delay = 200ms) {
    std::atomic<bool> done{false};
    std::thread canceller([&] {
      std::this_thread::sleep_for(delay);
      while (!done.load()) {
        session_->Cancel();
        std::this_thread::sleep_for(5ms);
      }
    });
    const auto start = std::chrono::steady_clock::now();
    auto r = session_->Execute(sql);
    done = true;
    canceller.join();
    // Generous: the statements below run for hours unless cancelled.
    EXPECT_LT(std::chrono::steady_clock::now() - start, 60s) << sql;
    return r.ok() ? Status::Ok() : r.status();
  }

  void ExpectCancelled(const std::string& sql, std::chrono::milliseconds delay = 200ms) {
    Status s = RunCancelled(sql, delay);
    EXPECT_EQ(s.code(), ErrorCode::kQueryCanceled) << sql << ": " << s.ToString();
    EXPECT_EQ(s.sqlstate(), "57014");
    EXPECT_EQ(s.message(), "canceling statement due to user request");
    EXPECT_EQ(db_->memory().used(), 0u);
    // The session works normally for the next statement.
    EXPECT_EQ(Count("SELECT count(*) FROM t"), kRows);
  }

  std::filesystem::path dir_;
  std::unique_ptr<Engine> db_;
  std::unique_ptr<EngineSession> session_;
};

TEST_F(StatementLifecycleTest, CancelStopsANestedLoopJoin) {
  MakeTable();
  ExpectCancelled("SELECT a.id FROM t a, t b, t c WHERE a.v = b.v || c.v");
}

TEST_F(StatementLifecycleTest, CancelStopsAnAggregate) {
  MakeTable();
  ExpectCancelled("SELECT a.v, count(*) FROM t a, t b, t c GROUP BY a.v");
}

TEST_F(StatementLifecycleTest, CancelStopsASort) {
  MakeTable();
  ExpectCancelled("SELECT a.id FROM t a, t b, t c ORDER BY a.v, b.v, c.v");
}

TEST_F(StatementLifecycleTest, CancelStopsScansRepeatedByASubquery) {
  MakeTable();
  // Each outer pair scans t again: the cancel lands in a scan, a filter or the join.
  ExpectCancelled(
      "SELECT count(*) FROM t a, t b WHERE EXISTS (SELECT 1 FROM t c WHERE c.v = a.v || b.v)");
}

// One scan whose filter keeps no row: the scan pulls every batch inside one Next(), so it
// must check between the batches it pulls, not only when asked for its next output.
TEST_F(StatementLifecycleTest, CancelStopsAScanWhoseFilterKeepsNothing) {
  MakeTable();
  Ok("CREATE TABLE big (id BIGINT PRIMARY KEY, v BIGINT)");
  Ok("INSERT INTO big SELECT a.id * 10000 + b.id, b.id FROM t a, t b WHERE a.id <= 100");
  ExpectCancelled("SELECT * FROM big WHERE v < 0", 0ms);
}

TEST_F(StatementLifecycleTest, CancelWithNothingRunningDoesNothing) {
  MakeTable();
  session_->Cancel();
  EXPECT_EQ(Count("SELECT count(*) FROM t"), kRows);
}

TEST_F(StatementLifecycleTest, CancelledInsertSelectAndUpdateChangeNothing) {
  MakeTable();
  Ok("CREATE TABLE copy (id BIGINT PRIMARY KEY, v TEXT)");
  Status s = RunCancelled(
      "INSERT INTO copy SELECT a.id * 100000000 + b.id * 10000 + c.id, a.v FROM t a, t b, t c");
  EXPECT_EQ(s.code(), ErrorCode::kQueryCanceled) << s.ToString();
  EXPECT_EQ(Count("SELECT count(*) FROM copy"), 0);
  s = RunCancelled(
      "UPDATE t SET v = 'changed' WHERE NOT EXISTS "
      "(SELECT 1 FROM t b, t c, t d WHERE b.id + c.id + d.id = -1)");
  EXPECT_EQ(s.code(), ErrorCode::kQueryCanceled) << s.ToString();
  EXPECT_EQ(Count("SELECT count(*) FROM t WHERE v = 'changed'"), 0);
  s = RunCancelled(
      "DELETE FROM t WHERE NOT EXISTS "
      "(SELECT 1 FROM t b, t c, t d WHERE b.id + c.id + d.id = -1)");
  EXPECT_EQ(s.code(), ErrorCode::kQueryCanceled) << s.ToString();
  EXPECT_EQ(Count("SELECT count(*) FROM t"), kRows);
  EXPECT_EQ(db_->memory().used(), 0u);
}

TEST_F(StatementLifecycleTest, CancelInsideATransactionAbortsItAndRollbackKeepsNothing) {
  MakeTable();
  Ok("BEGIN");
  Ok("INSERT INTO t VALUES (100000, 'in transaction')");
  Status s = RunCancelled(
      "UPDATE t SET v = 'changed' WHERE NOT EXISTS "
      "(SELECT 1 FROM t b, t c, t d WHERE b.id + c.id + d.id = -1)");
  EXPECT_EQ(s.code(), ErrorCode::kQueryCanceled) << s.ToString();
  auto refused = session_->Execute("SELECT 1");
  EXPECT_EQ(refused.status().code(), ErrorCode::kInvalidTransactionState);
  Ok("ROLLBACK");
  EXPECT_EQ(Count("SELECT count(*) FROM t"), kRows);
  EXPECT_EQ(Count("SELECT count(*) FROM t WHERE v = 'changed'"), 0);
}

TEST_F(StatementLifecycleTest, StatementTimeoutCancelsWithItsOwnMessage) {
  MakeTable();
  Ok("SET statement_timeout = '300ms'");
  auto r = session_->Execute("SELECT count(*) FROM t a, t b, t c");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kQueryCanceled);
  EXPECT_EQ(r.status().message(), "canceling statement due to statement timeout");
  // Each statement gets the whole timeout afresh.
  EXPECT_EQ(Count("SELECT count(*) FROM t"), kRows);
  Ok("RESET statement_timeout");
  EXPECT_EQ(Count("SELECT count(*) FROM t a JOIN t b ON a.id = b.id"), kRows);
}

TEST_F(StatementLifecycleTest, DatabaseDefaultTimeoutAppliesAndSetOverridesIt) {
  Engine::Options options;
  options.statement_timeout = 300ms;
  Open(options);
  MakeTable();
  auto show = session_->Execute("SHOW statement_timeout");
  ASSERT_TRUE(show.ok());
  EXPECT_EQ(show->Get(0, 0).ToString(), "300ms");
  auto r = session_->Execute("SELECT count(*) FROM t a, t b, t c");
  EXPECT_EQ(r.status().code(), ErrorCode::kQueryCanceled);
  Ok("SET statement_timeout = 0");
  EXPECT_EQ(Count("SELECT count(*) FROM t a JOIN t b ON a.id = b.id"), kRows);
}

TEST_F(StatementLifecycleTest, CrossJoinPastStatementMemFailsAndReleasesEverything) {
  Engine::Options options;
  options.statement_mem = 8 << 20;
  Open(options);
  MakeTable();
  auto show = session_->Execute("SHOW statement_mem");
  ASSERT_TRUE(show.ok());
  EXPECT_EQ(show->Get(0, 0).ToString(), "8MB");
  auto r = session_->Execute("SELECT * FROM t a, t b, t c");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kOutOfMemory);
  EXPECT_EQ(r.status().sqlstate(), "53200");
  const std::string message(r.status().message());
  EXPECT_NE(message.find("statement_mem (8MB)"), std::string::npos) << message;
  EXPECT_NE(message.find("SET statement_mem = '16MB'"), std::string::npos) << message;
  EXPECT_EQ(db_->memory().used(), 0u);
  EXPECT_GT(db_->memory().peak(), 0u);
  // The session and the database still work; a raised limit lets more through.
  EXPECT_EQ(Count("SELECT count(*) FROM t"), kRows);
  Ok("SET statement_mem = '256MB'");
  EXPECT_EQ(Count("SELECT count(*) FROM t a, (SELECT id FROM t WHERE id <= 10) b"), 10 * kRows);
  EXPECT_EQ(db_->memory().used(), 0u);
}

TEST_F(StatementLifecycleTest, EveryBlockingOperatorIsCharged) {
  MakeTable();
  Ok("SET statement_mem = '64kB'");
  for (const char* sql : {
           "SELECT a.id FROM t a, t b ORDER BY a.v",                             // sort
           "SELECT a.id, b.id, count(*) FROM t a, t b GROUP BY 1, 2",            // hash aggregate
           "SELECT count(*) FROM (SELECT DISTINCT a.id, b.id FROM t a, t b) s",  // distinct
           "SELECT count(*) FROM (SELECT a.v FROM t a, t b UNION SELECT v FROM t) s",  // union
           "SELECT count(*) FROM t a JOIN (SELECT x.id, x.v FROM t x, t y) b ON a.v = b.v",
           "SELECT count(*) FROM t a, (SELECT x.id FROM t x, t y) b",  // nested-loop side
           "SELECT count(*) FROM t WHERE id IN (SELECT a.id + b.id FROM t a, t b)",  // subquery
           "SELECT a.v FROM t a, t b",  // the result itself
       }) {
    auto r = session_->Execute(sql);
    EXPECT_EQ(r.status().code(), ErrorCode::kOutOfMemory) << sql;
    EXPECT_EQ(db_->memory().used(), 0u) << sql;
  }
  Ok("RESET statement_mem");
  EXPECT_EQ(Count("SELECT count(*) FROM (SELECT DISTINCT a.id FROM t a, (SELECT id FROM t WHERE id "
                  "<= 3) b) s"),
            kRows);
}

TEST_F(StatementLifecycleTest, GlobalMemBoundsAStatementWithinItsOwnLimit) {
  Engine::Options options;
  options.statement_mem = size_t{1} << 30;
  options.global_mem = 4 << 20;
  Open(options);
  MakeTable();
  auto r = session_->Execute("SELECT * FROM t a, t b");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kOutOfMemory);
  EXPECT_NE(std::string(r.status().message()).find("global_mem (4MB)"), std::string::npos)
      << r.status().message();
  EXPECT_EQ(db_->memory().used(), 0u);
  EXPECT_EQ(Count("SELECT count(*) FROM t"), kRows);
}

TEST_F(StatementLifecycleTest, InsertSelectPastTheLimitWritesNothing) {
  MakeTable();
  Ok("CREATE TABLE copy (id BIGINT PRIMARY KEY, v TEXT)");
  Ok("SET statement_mem = '1MB'");
  auto r = session_->Execute("INSERT INTO copy SELECT a.id * 10000 + b.id, a.v FROM t a, t b");
  EXPECT_EQ(r.status().code(), ErrorCode::kOutOfMemory) << r.status().ToString();
  EXPECT_EQ(Count("SELECT count(*) FROM copy"), 0);
  EXPECT_EQ(db_->memory().used(), 0u);
}

TEST_F(StatementLifecycleTest, SettingErrorsLeaveTheSettingAsItWas) {
  Ok("SET statement_mem = '32MB'");
  for (const char* sql : {"SET statement_mem = 'big'", "SET statement_mem = '1kB'",
                          "SET statement_mem = '5 GiB'", "SET statement_timeout = '1 fortnight'",
                          "SET statement_timeout = '-5s'", "SET statement_mem = '1MB', '2MB'"}) {
    auto r = session_->Execute(sql);
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument) << sql;
    EXPECT_EQ(r.status().sqlstate(), "22023") << sql;
  }
  auto show = session_->Execute("SHOW statement_mem");
  ASSERT_TRUE(show.ok());
  EXPECT_EQ(show->Get(0, 0).ToString(), "32MB");
  Ok("SET statement_timeout = '1h'");
  show = session_->Execute("SHOW statement_timeout");
  EXPECT_EQ(show->Get(0, 0).ToString(), "1h");
  Ok("RESET ALL");
  show = session_->Execute("SHOW statement_timeout");
  EXPECT_EQ(show->Get(0, 0).ToString(), "0");
  show = session_->Execute("SHOW statement_mem");
  EXPECT_EQ(show->Get(0, 0).ToString(), FormatMemorySetting(db_->statement_mem()));
}

}  // namespace
}  // namespace tenantdb
