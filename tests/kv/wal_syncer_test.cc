// WalSyncer with a sync and a position we control: who is answered when, with what.
#include "kv/wal_syncer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace tenantdb {
namespace {

// A fake log: `latest` is the newest visible position; a sync makes it durable, and
// may be held (to see who waits) or made to fail.
struct FakeLog {
  std::atomic<uint64_t> latest{10};
  std::atomic<int> syncs{0};
  std::mutex mu;
  std::condition_variable cv;
  bool hold = false;
  Status result;

  Status Sync() {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return !hold; });
    syncs.fetch_add(1);
    return result;
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu);
    hold = false;
    cv.notify_all();
  }
};

struct Answers {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::pair<int, Status>> got;
  void Add(int who, const Status& s) {
    std::lock_guard<std::mutex> lock(mu);
    got.emplace_back(who, s);
    cv.notify_all();
  }
  bool WaitFor(size_t n) {
    std::unique_lock<std::mutex> lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(10), [&] { return got.size() >= n; });
  }
  size_t size() {
    std::lock_guard<std::mutex> lock(mu);
    return got.size();
  }
};

TEST(WalSyncer, ADurablePositionIsAnsweredInlineWithoutASync) {
  FakeLog log;
  WalSyncer syncer([&] { return log.Sync(); }, [&] { return log.latest.load(); }, 10);
  EXPECT_TRUE(syncer.IsDurable(10));
  EXPECT_FALSE(syncer.IsDurable(11));
  bool called = false;
  syncer.WhenDurable(7, [&](const Status& s) {
    EXPECT_TRUE(s.ok());
    called = true;
  });
  EXPECT_TRUE(called);
  EXPECT_EQ(log.syncs.load(), 0);
}

TEST(WalSyncer, WaitersAreAnsweredOnlyAfterASyncThatBeganAfterThem) {
  FakeLog log;
  WalSyncer syncer([&] { return log.Sync(); }, [&] { return log.latest.load(); }, 10);
  Answers answers;
  {
    std::lock_guard<std::mutex> lock(log.mu);
    log.hold = true;
  }
  log.latest = 11;
  syncer.WhenDurable(11, [&](const Status& s) { answers.Add(1, s); });
  // The first sync is held: nobody is answered, and a write made meanwhile is not
  // durable even after that sync ends (it began before the write was visible).
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(answers.size(), 0u);
  log.latest = 12;
  syncer.WhenDurable(12, [&](const Status& s) { answers.Add(2, s); });
  log.Release();
  ASSERT_TRUE(answers.WaitFor(2));
  EXPECT_TRUE(syncer.IsDurable(12));
  EXPECT_FALSE(syncer.IsDurable(13));
  std::lock_guard<std::mutex> lock(answers.mu);
  EXPECT_EQ(answers.got[0].first, 1);
  for (const auto& [who, status] : answers.got)
    EXPECT_TRUE(status.ok()) << who;
}

TEST(WalSyncer, ManyWaitersShareFewSyncs) {
  FakeLog log;
  WalSyncer syncer([&] { return log.Sync(); }, [&] { return log.latest.load(); }, 10);
  Answers answers;
  {
    std::lock_guard<std::mutex> lock(log.mu);
    log.hold = true;
  }
  constexpr int kWaiters = 100;
  for (int i = 0; i < kWaiters; ++i) {
    const uint64_t position = log.latest.fetch_add(1) + 1;
    syncer.WhenDurable(position, [&, i](const Status& s) { answers.Add(i, s); });
  }
  log.Release();
  ASSERT_TRUE(answers.WaitFor(kWaiters));
  // The first waiter's sync, then one for everyone who queued while it was held.
  EXPECT_LE(log.syncs.load(), 2);
  EXPECT_TRUE(syncer.IsDurable(10 + kWaiters));
}

TEST(WalSyncer, MarkDurableAnswersLaterWaitsInlineAndNeverMovesBack) {
  FakeLog log;
  WalSyncer syncer([&] { return log.Sync(); }, [&] { return log.latest.load(); }, 10);
  syncer.MarkDurable(20);
  EXPECT_TRUE(syncer.IsDurable(20));
  syncer.MarkDurable(15);
  EXPECT_TRUE(syncer.IsDurable(20));
  bool called = false;
  syncer.WhenDurable(18, [&](const Status&) { called = true; });
  EXPECT_TRUE(called);
  EXPECT_EQ(log.syncs.load(), 0);
}

TEST(WalSyncer, AFailedSyncFailsItsWaitersAndEveryLaterWait) {
  FakeLog log;
  log.result = Status(ErrorCode::kIoError, "fsync failed");
  WalSyncer syncer([&] { return log.Sync(); }, [&] { return log.latest.load(); }, 10);
  Answers answers;
  log.latest = 11;
  syncer.WhenDurable(11, [&](const Status& s) { answers.Add(1, s); });
  ASSERT_TRUE(answers.WaitFor(1));
  EXPECT_EQ(answers.got[0].second.code(), ErrorCode::kIoError);
  EXPECT_FALSE(syncer.IsDurable(11));
  // Sticky: the next wait fails at once, with no new sync.
  const int syncs = log.syncs.load();
  Status later;
  syncer.WhenDurable(11, [&](const Status& s) { later = s; });
  EXPECT_EQ(later.code(), ErrorCode::kIoError);
  EXPECT_EQ(log.syncs.load(), syncs);
  // A position that was durable before stays answerable.
  Status old = Status(ErrorCode::kInternal, "unset");
  syncer.WhenDurable(9, [&](const Status& s) { old = s; });
  EXPECT_TRUE(old.ok());
}

TEST(WalSyncer, DrainReturnsOnceEveryQueuedCallbackRan) {
  FakeLog log;
  WalSyncer syncer([&] { return log.Sync(); }, [&] { return log.latest.load(); }, 10);
  Answers answers;
  {
    std::lock_guard<std::mutex> lock(log.mu);
    log.hold = true;
  }
  for (int i = 1; i <= 3; ++i) {
    log.latest = 10 + i;
    syncer.WhenDurable(10 + i, [&, i](const Status& s) { answers.Add(i, s); });
  }
  std::atomic<bool> drained{false};
  std::thread drain([&] {
    syncer.Drain();
    drained = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_FALSE(drained.load()) << "a sync is held: the callbacks have not run";
  log.Release();
  drain.join();
  EXPECT_EQ(answers.size(), 3u);
}

TEST(WalSyncer, StopAnswersWhoeverWaitsAndLaterWaitsSyncInline) {
  FakeLog log;
  Answers answers;
  {
    WalSyncer syncer([&] { return log.Sync(); }, [&] { return log.latest.load(); }, 10);
    {
      std::lock_guard<std::mutex> lock(log.mu);
      log.hold = true;
    }
    log.latest = 11;
    syncer.WhenDurable(11, [&](const Status& s) { answers.Add(1, s); });
    log.latest = 12;
    syncer.WhenDurable(12, [&](const Status& s) { answers.Add(2, s); });
    std::thread release([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      log.Release();
    });
    syncer.Stop();  // waits for both to be answered
    release.join();
    EXPECT_EQ(answers.size(), 2u);
    log.latest = 13;
    bool inline_answer = false;
    syncer.WhenDurable(13, [&](const Status& s) { inline_answer = s.ok(); });
    EXPECT_TRUE(inline_answer);
    EXPECT_TRUE(syncer.IsDurable(13));
  }
}

}  // namespace
}  // namespace tenantdb
