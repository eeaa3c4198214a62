// Row locks and READ COMMITTED writers (tables/row_locks.h, tables/transaction.h,
// sql/exec/operators/write_support.h's LockMatchedRows), end to end through sessions on a
// real data directory: concurrent incrementers lose no update, a waiter proceeds after
// the holder commits or rolls back and re-evaluates its WHERE against the newest row, a
// deadlock fails one of the two transactions, and a wait ends at statement_timeout,
// lock_timeout or Cancel().
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "engine/engine_session.h"
#include "tables/row_locks.h"

namespace tenantdb {
namespace {

using namespace std::chrono_literals;

class RowLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tdb_row_lock_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Engine::Options options;
    options.background_jobs = false;
    db_ = Engine::Open(dir_.string(), options).value();
    Ok(*NewSession(), "CREATE TABLE t (k INT PRIMARY KEY, v INT) WITH (TYPE = 'SHARED')");
    Ok(*NewSession(), "INSERT INTO t VALUES (1, 0), (2, 0)");
  }
  void TearDown() override {
    EXPECT_EQ(db_->row_locks().num_held(), 0u);
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<EngineSession> NewSession() {
    return std::make_unique<EngineSession>(db_.get(), UserId::Make("root").value(), Role::kSystem);
  }
  static void Ok(EngineSession& s, const std::string& sql) {
    auto r = s.Execute(sql);
    ASSERT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  }
  int64_t V(int k) {
    auto r = NewSession()->Execute("SELECT v FROM t WHERE k = " + std::to_string(k));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok() || r->num_rows() != 1) return -1;
    return r->Get(0, 0).as_int64();
  }
  // Runs `sql` on `s` in a thread; `done` turns true when it returned.
  std::thread Async(EngineSession& s, std::string sql, Status* out, std::atomic<bool>* done) {
    return std::thread([&s, sql = std::move(sql), out, done] {
      auto r = s.Execute(sql);
      *out = r.ok() ? Status::Ok() : r.status();
      done->store(true);
    });
  }
  // Waits (bounded) until some transaction waits for a row lock held by another.
  static void SleepABit() { std::this_thread::sleep_for(150ms); }
  // Session A runs BEGIN and `first` (taking the row's lock); session B runs `second`,
  // which must wait for it; then A runs `end` (COMMIT or ROLLBACK). Returns B's status.
  Status SecondWriterAfter(const std::string& first, const std::string& second,
                           const std::string& end) {
    auto a = NewSession();
    auto b = NewSession();
    Ok(*a, "BEGIN");
    Ok(*a, first);
    Status status;
    std::atomic<bool> done{false};
    std::thread waiter = Async(*b, second, &status, &done);
    SleepABit();
    EXPECT_FALSE(done.load()) << "the second writer must wait for the first: " << second;
    Ok(*a, end);
    waiter.join();
    return status;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Engine> db_;
};

TEST_F(RowLockTest, ConcurrentIncrementersLoseNoUpdate) {
  constexpr int kThreads = 6;
  constexpr int kRounds = 15;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      auto s = NewSession();
      for (int r = 0; r < kRounds; ++r) {
        // Half of them in explicit transactions that touch both rows in one order.
        const bool explicit_txn = (i % 2) == 0;
        if (explicit_txn && !s->Execute("BEGIN").ok()) ++failures;
        if (!s->Execute("UPDATE t SET v = v + 1 WHERE k = 1").ok()) ++failures;
        if (explicit_txn) {
          if (!s->Execute("UPDATE t SET v = v + 1 WHERE k = 2").ok()) ++failures;
          if (!s->Execute("COMMIT").ok()) ++failures;
        }
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(V(1), kThreads * kRounds);
  EXPECT_EQ(V(2), (kThreads / 2) * kRounds);
}

TEST_F(RowLockTest, WaiterProceedsAfterCommitWithTheNewestRow) {
  Status status = SecondWriterAfter("UPDATE t SET v = v + 10 WHERE k = 1",
                                    "UPDATE t SET v = v + 1 WHERE k = 1", "COMMIT");
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(V(1), 11);
}

TEST_F(RowLockTest, WaiterSeesTheRollback) {
  Status status = SecondWriterAfter("UPDATE t SET v = v + 10 WHERE k = 1",
                                    "UPDATE t SET v = v + 1 WHERE k = 1", "ROLLBACK");
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(V(1), 1);
}

TEST_F(RowLockTest, WaiterReevaluatesItsWhereAgainstTheNewestRow) {
  // Matches the row as committed before (v = 0), not as the first writer leaves it.
  Status status = SecondWriterAfter("UPDATE t SET v = 5 WHERE k = 1",
                                    "UPDATE t SET v = v + 100 WHERE k = 1 AND v = 0", "COMMIT");
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(V(1), 5);
}

TEST_F(RowLockTest, WaiterSkipsARowDeletedMeanwhile) {
  Status status = SecondWriterAfter("DELETE FROM t WHERE k = 1",
                                    "UPDATE t SET v = v + 1 WHERE k = 1", "COMMIT");
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(V(1), -1);  // gone, not resurrected by the update
  EXPECT_EQ(V(2), 0);
}

TEST_F(RowLockTest, DeadlockFailsOneOfTheTwo) {
  auto a = NewSession();
  auto b = NewSession();
  Ok(*a, "BEGIN");
  Ok(*a, "UPDATE t SET v = v + 1 WHERE k = 1");
  Ok(*b, "BEGIN");
  Ok(*b, "UPDATE t SET v = v + 1 WHERE k = 2");
  Status sa, sb;
  std::atomic<bool> da{false}, db{false};
  std::thread ta = Async(*a, "UPDATE t SET v = v + 1 WHERE k = 2", &sa, &da);
  std::thread tb = Async(*b, "UPDATE t SET v = v + 1 WHERE k = 1", &sb, &db);
  // The one refused is the transaction that closed the cycle; it rolls back, which
  // lets the other go on.
  for (int i = 0; i < 400 && !da.load() && !db.load(); ++i)
    std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(da.load() || db.load()) << "no deadlock was detected";
  EngineSession& loser = da.load() ? *a : *b;
  const Status& lost = da.load() ? sa : sb;
  EXPECT_EQ(lost.code(), ErrorCode::kDeadlockDetected) << lost.ToString();
  EXPECT_EQ(lost.sqlstate(), "40P01");
  EXPECT_NE(lost.message().find("deadlock detected"), std::string_view::npos);
  Ok(loser, "ROLLBACK");
  ta.join();
  tb.join();
  EXPECT_TRUE(sa.ok() != sb.ok()) << sa.ToString() << " / " << sb.ToString();
  EngineSession& winner = sa.ok() ? *a : *b;
  Ok(winner, "COMMIT");
  EXPECT_EQ(V(1), 1);
  EXPECT_EQ(V(2), 1);
}

TEST_F(RowLockTest, WaitEndsAtStatementTimeoutLockTimeoutAndCancel) {
  auto a = NewSession();
  auto b = NewSession();
  Ok(*a, "BEGIN");
  Ok(*a, "UPDATE t SET v = v + 1 WHERE k = 1");

  Ok(*b, "SET statement_timeout = '200ms'");
  auto timed = b->Execute("UPDATE t SET v = v + 1 WHERE k = 1");
  ASSERT_FALSE(timed.ok());
  EXPECT_EQ(timed.status().code(), ErrorCode::kQueryCanceled) << timed.status().ToString();
  EXPECT_EQ(timed.status().sqlstate(), "57014");
  Ok(*b, "RESET statement_timeout");

  Ok(*b, "SET lock_timeout = '100ms'");
  auto locked = b->Execute("UPDATE t SET v = v + 1 WHERE k = 1");
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.status().code(), ErrorCode::kLockNotAvailable) << locked.status().ToString();
  EXPECT_EQ(locked.status().sqlstate(), "55P03");
  EXPECT_NE(locked.status().message().find("lock timeout"), std::string_view::npos);
  Ok(*b, "RESET lock_timeout");

  Status status;
  std::atomic<bool> done{false};
  std::thread waiter = Async(*b, "UPDATE t SET v = v + 1 WHERE k = 1", &status, &done);
  SleepABit();
  EXPECT_FALSE(done.load());
  b->Cancel();
  waiter.join();
  EXPECT_EQ(status.code(), ErrorCode::kQueryCanceled) << status.ToString();

  Ok(*a, "COMMIT");
  EXPECT_EQ(V(1), 1);  // only the holder's update happened
}

TEST_F(RowLockTest, LocksAreHeldUntilTheTransactionEnds) {
  auto a = NewSession();
  Ok(*a, "BEGIN");
  Ok(*a, "UPDATE t SET v = v + 1 WHERE k = 1");
  Ok(*a, "DELETE FROM t WHERE k = 2");
  EXPECT_EQ(db_->row_locks().num_held(), 2u);
  Ok(*a, "UPDATE t SET v = v + 1 WHERE k = 1");  // already ours: no second lock
  EXPECT_EQ(db_->row_locks().num_held(), 2u);
  Ok(*a, "COMMIT");
  EXPECT_EQ(db_->row_locks().num_held(), 0u);
  Ok(*a, "UPDATE t SET v = v + 1 WHERE k = 1");  // autocommit: released at once
  EXPECT_EQ(db_->row_locks().num_held(), 0u);
  EXPECT_EQ(V(1), 3);
}

// A write by the whole key locks the row before reading it; a key that is not there
// leaves no lock behind (PostgreSQL locks only rows it finds), and a second writer of a
// locked key still waits and then sees the newest row.
TEST_F(RowLockTest, PointWritesLockOnlyRowsThatExist) {
  auto a = NewSession();
  Ok(*a, "BEGIN");
  Ok(*a, "UPDATE t SET v = v + 1 WHERE k = 99");
  Ok(*a, "DELETE FROM t WHERE k = 98");
  EXPECT_EQ(db_->row_locks().num_held(), 0u);
  Ok(*a, "UPDATE t SET v = v + 1 WHERE k = 1");
  EXPECT_EQ(db_->row_locks().num_held(), 1u);
  Ok(*a, "UPDATE t SET v = v + 1 WHERE k = 1 AND v = 1");  // held already: one lock
  EXPECT_EQ(db_->row_locks().num_held(), 1u);
  Ok(*a, "COMMIT");
  EXPECT_EQ(V(1), 2);
  const Status second =
      SecondWriterAfter("UPDATE t SET v = v + 10 WHERE k = 2",
                        "UPDATE t SET v = v * 2 WHERE k = 2 AND v = 10", "COMMIT");
  EXPECT_TRUE(second.ok()) << second.ToString();
  EXPECT_EQ(V(2), 20);
}

// Waiters for one row lock get it in arrival order, one at a time, as in PostgreSQL's
// lock queue (a release used to wake every waiter of the shard to race for it).
TEST(RowLockManagerTest, WaitersGetTheLockInArrivalOrder) {
  RowLockManager locks;
  const std::string key = "row";
  const uint64_t holder = locks.NewOwner();
  ASSERT_TRUE(locks.Lock(holder, key, nullptr, 0ms).value());
  constexpr int kWaiters = 6;
  std::mutex order_mu;
  std::vector<int> order;
  std::vector<std::thread> threads;
  for (int i = 0; i < kWaiters; ++i) {
    const uint64_t owner = locks.NewOwner();
    threads.emplace_back([&, i, owner] {
      auto taken = locks.Lock(owner, key, nullptr, 0ms);
      ASSERT_TRUE(taken.ok()) << taken.status().ToString();
      EXPECT_TRUE(*taken);
      {
        std::lock_guard<std::mutex> lock(order_mu);
        order.push_back(i);
      }
      locks.ReleaseAll(owner, {key});
    });
    // The next waiter starts once this one is queued (bounded: 5 s).
    for (int spin = 0; spin < 5000 && locks.num_waiting() < size_t(i) + 1; ++spin)
      std::this_thread::sleep_for(1ms);
    ASSERT_EQ(locks.num_waiting(), size_t(i) + 1);
  }
  locks.ReleaseAll(holder, {key});
  for (std::thread& t : threads)
    t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(locks.num_held(), 0u);
  EXPECT_EQ(locks.num_waiting(), 0u);
}

// A waiter that gives up (lock_timeout) leaves the queue; the next one still gets the lock.
TEST(RowLockManagerTest, AWaiterThatTimesOutLeavesTheQueue) {
  RowLockManager locks;
  const uint64_t holder = locks.NewOwner(), quitter = locks.NewOwner(), patient = locks.NewOwner();
  ASSERT_TRUE(locks.Lock(holder, "row", nullptr, 0ms).value());
  std::thread quit([&] {
    auto taken = locks.Lock(quitter, "row", nullptr, 50ms);
    EXPECT_EQ(taken.status().code(), ErrorCode::kLockNotAvailable);
  });
  std::thread wait([&] {
    auto taken = locks.Lock(patient, "row", nullptr, 0ms);
    ASSERT_TRUE(taken.ok()) << taken.status().ToString();
    locks.ReleaseAll(patient, {"row"});
  });
  quit.join();
  EXPECT_EQ(locks.num_waiting(), 1u);
  locks.ReleaseAll(holder, {"row"});
  wait.join();
  EXPECT_EQ(locks.num_held(), 0u);
}

}  // namespace
}  // namespace tenantdb
