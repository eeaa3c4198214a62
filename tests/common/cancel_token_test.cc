// CancelToken: the per-statement stop signal (common/cancel_token.h).
#include "common/cancel_token.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace tenantdb {
namespace {

TEST(CancelToken, ChecksOkUntilCancelled) {
  CancelToken token;
  for (int i = 0; i < 1000; ++i)
    ASSERT_TRUE(token.Check().ok());
  EXPECT_FALSE(token.cancelled());
  token.Cancel();
  EXPECT_TRUE(token.cancelled());
  Status s = token.Check();
  EXPECT_EQ(s.code(), ErrorCode::kQueryCanceled);
  EXPECT_EQ(s.sqlstate(), "57014");
  EXPECT_EQ(s.message(), "canceling statement due to user request");
  // It stays fired.
  EXPECT_EQ(token.Check().code(), ErrorCode::kQueryCanceled);
}

TEST(CancelToken, DeadlineInThePastFiresAtTheFirstCheck) {
  CancelToken token;
  ManualClock clock;
  token.SetTimeout(std::chrono::milliseconds(1), clock);
  clock.AdvanceSeconds(1);
  Status s = token.Check();
  EXPECT_EQ(s.code(), ErrorCode::kQueryCanceled);
  EXPECT_EQ(s.message(), "canceling statement due to statement timeout");
  EXPECT_EQ(token.reason(), CancelToken::Reason::kTimeout);
}

TEST(CancelToken, DeadlineIsNoticedWithinClockEveryChecks) {
  CancelToken token;
  ManualClock clock;
  token.SetTimeout(std::chrono::milliseconds(20), clock);
  ASSERT_TRUE(token.Check().ok());  // the first check reads the clock: not yet
  clock.Advance(19'999);
  for (uint32_t i = 0; i <= 2 * CancelToken::kClockEvery; ++i)
    ASSERT_TRUE(token.Check().ok());
  clock.Advance(1);
  bool fired = false;
  for (uint32_t i = 0; i <= CancelToken::kClockEvery && !fired; ++i)
    fired = !token.Check().ok();
  EXPECT_TRUE(fired);
  EXPECT_EQ(token.reason(), CancelToken::Reason::kTimeout);
}

TEST(CancelToken, ZeroTimeoutMeansNoDeadline) {
  CancelToken token;
  token.SetTimeout(std::chrono::milliseconds(0));
  for (int i = 0; i < 10'000; ++i)
    ASSERT_TRUE(token.Check().ok());
}

TEST(CancelToken, TimeoutKeepsItsReasonWhenCancelledLater) {
  CancelToken token;
  ManualClock clock;
  token.SetTimeout(std::chrono::milliseconds(1), clock);
  clock.AdvanceSeconds(1);
  EXPECT_FALSE(token.Check().ok());
  token.Cancel();
  EXPECT_EQ(token.Check().message(), "canceling statement due to statement timeout");
}

TEST(CancelToken, CancelFromAnotherThreadStopsAPollingLoop) {
  CancelToken token;
  std::atomic<bool> started{false};
  std::thread worker([&] {
    started = true;
    while (token.Check().ok()) {
    }
  });
  while (!started)
    std::this_thread::yield();
  token.Cancel();
  worker.join();  // returns only because the loop saw the cancel
  EXPECT_TRUE(token.cancelled());
}

TEST(CancelToken, ManyThreadsCheckWhileOthersCancel) {
  CancelToken token;
  token.SetTimeout(std::chrono::hours(1));  // exercises the shared countdown too
  std::atomic<int> stopped{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      while (token.Check().ok()) {
      }
      ++stopped;
    });
  }
  std::vector<std::thread> cancellers;
  for (int i = 0; i < 2; ++i)
    cancellers.emplace_back([&] { token.Cancel(); });
  for (auto& t : cancellers)
    t.join();
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(stopped.load(), 4);
  EXPECT_EQ(token.reason(), CancelToken::Reason::kUser);
}

TEST(CancelToken, NeverIsNotCancelled) {
  EXPECT_TRUE(CancelToken::Never().Check().ok());
  EXPECT_FALSE(CancelToken::Never().cancelled());
}

}  // namespace
}  // namespace tenantdb
