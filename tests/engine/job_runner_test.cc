#include "engine/job_runner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace tenantdb {
namespace {

using namespace std::chrono_literals;

TEST(JobRunner, RunsPeriodicTasksAndRecordsThem) {
  JobRunner runner;
  std::atomic<int> runs{0};
  runner.AddPeriodic("tick", 5ms, [&]() -> Result<std::string> {
    return "run " + std::to_string(runs.fetch_add(1) + 1);
  });
  runner.Start();
  for (int i = 0; i < 400 && runs.load() < 3; ++i)
    std::this_thread::sleep_for(5ms);
  runner.Stop();
  ASSERT_GE(runs.load(), 3);
  auto history = runner.History();
  ASSERT_EQ(history.size(), static_cast<size_t>(runs.load()));
  EXPECT_EQ(history[0].task, "tick");
  EXPECT_EQ(history[0].detail, "run 1");
  EXPECT_TRUE(history[0].status.ok());
  EXPECT_LT(history[0].job_id, history[1].job_id);
  EXPECT_LE(history[0].started_at_micros, history[0].finished_at_micros);
}

TEST(JobRunner, FailuresAreRecordedAndTheScheduleGoesOn) {
  JobRunner runner;
  std::atomic<int> runs{0};
  runner.AddPeriodic("flaky", 2ms, [&]() -> Result<std::string> {
    if (runs.fetch_add(1) == 0) return Status(ErrorCode::kIoError, "disk full");
    return std::string("ok");
  });
  runner.Start();
  for (int i = 0; i < 400 && runs.load() < 2; ++i)
    std::this_thread::sleep_for(5ms);
  runner.Stop();
  auto history = runner.History();
  ASSERT_GE(history.size(), 2u);
  EXPECT_EQ(history[0].status.code(), ErrorCode::kIoError);
  EXPECT_TRUE(history[1].status.ok());
}

TEST(JobRunner, RunNowNeverOverlapsAPeriodicRun) {
  JobRunner runner;
  std::atomic<int> inside{0}, overlaps{0}, total{0};
  auto task = [&]() -> Result<std::string> {
    if (inside.fetch_add(1) != 0) overlaps.fetch_add(1);
    std::this_thread::sleep_for(1ms);
    inside.fetch_sub(1);
    total.fetch_add(1);
    return std::string();
  };
  runner.AddPeriodic("periodic", 1ms, task);
  runner.Start();
  for (int i = 0; i < 50; ++i)
    ASSERT_TRUE(runner.RunNow("manual", task).ok());
  runner.Stop();
  EXPECT_EQ(overlaps.load(), 0);
  EXPECT_GE(total.load(), 50);
}

TEST(JobRunner, StopWaitsForTheRunningTaskAndKeepsBoundedHistory) {
  JobRunner runner(/*history=*/3);
  std::atomic<bool> finished{false};
  std::atomic<int> started{0};
  runner.AddPeriodic("slow", 1ms, [&]() -> Result<std::string> {
    started.fetch_add(1);
    std::this_thread::sleep_for(30ms);
    finished.store(true);
    return std::string();
  });
  runner.Start();
  while (started.load() == 0)
    std::this_thread::sleep_for(1ms);
  runner.Stop();
  EXPECT_TRUE(finished.load());  // not cut off halfway
  for (int i = 0; i < 5; ++i)
    (void)runner.RunNow("manual", [] { return Result<std::string>("x"); });
  EXPECT_EQ(runner.History().size(), 3u);
}

// The flush check runs every second: had each "flushed 0 tables" run been recorded, the
// 1,000-record history would cover ~16 minutes and lose the compactions and erasures.
// A periodic run that did nothing (empty detail) is not recorded; a failed one is.
TEST(JobRunner, PeriodicRunsThatDidNothingAreNotRecorded) {
  JobRunner runner(/*history=*/10);
  std::atomic<int> runs{0};
  runner.AddPeriodic("check", 1ms, [&]() -> Result<std::string> {
    const int n = runs.fetch_add(1) + 1;
    if (n == 20) return Status(ErrorCode::kIoError, "disk gone");
    if (n == 40) return std::string("flushed 1 tables, 3 rows");
    return std::string();
  });
  runner.Start();
  for (int i = 0; i < 2000 && runs.load() < 60; ++i)
    std::this_thread::sleep_for(1ms);
  runner.Stop();
  ASSERT_GE(runs.load(), 60);
  auto history = runner.History();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].status.code(), ErrorCode::kIoError);
  EXPECT_EQ(history[1].detail, "flushed 1 tables, 3 rows");
}

// Someone asked for a RunNow() run (STORAGE FLUSH TABLE): it is recorded even when it
// had nothing to do.
TEST(JobRunner, RunNowIsRecordedEvenWhenItDidNothing) {
  JobRunner runner;
  ASSERT_TRUE(runner.RunNow("flush", [] { return Result<std::string>(std::string()); }).ok());
  auto history = runner.History();
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].task, "flush");
  EXPECT_EQ(history[0].detail, "nothing to do");
}

// A long RunNow() (CREATE INDEX's build) is listed while it runs, with the latest
// progress it reported, then once as finished under the same job id.
TEST(JobRunner, RunNowWithProgressIsListedAsRunningWithItsProgress) {
  JobRunner runner;
  ASSERT_TRUE(runner.RunNow("flush", [] { return Result<std::string>("done"); }).ok());
  std::vector<JobRecord> seen_before, seen_after;
  const JobRunner::ProgressTask task = [&](const JobRunner::Progress& report) {
    seen_before = runner.History();
    report("indexed 1024 rows");
    report("indexed 2048 rows");
    seen_after = runner.History();
    return Result<std::string>("indexed 2500 rows");
  };
  ASSERT_TRUE(runner.RunNow("index_build", task).ok());
  ASSERT_EQ(seen_before.size(), 2u);
  EXPECT_TRUE(seen_before[1].running);
  EXPECT_EQ(seen_before[1].task, "index_build");
  EXPECT_EQ(seen_before[1].detail, "");
  EXPECT_EQ(seen_before[1].finished_at_micros, 0);
  ASSERT_EQ(seen_after.size(), 2u);
  EXPECT_TRUE(seen_after[1].running);
  EXPECT_EQ(seen_after[1].detail, "indexed 2048 rows");
  const std::vector<JobRecord> history = runner.History();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_FALSE(history[1].running);
  EXPECT_EQ(history[1].job_id, seen_before[1].job_id);
  EXPECT_GT(history[1].job_id, history[0].job_id);
  EXPECT_EQ(history[1].detail, "indexed 2500 rows");
}

}  // namespace
}  // namespace tenantdb

namespace tenantdb {
namespace {

// The schedule follows the runner's Clock: nothing runs while a ManualClock stands still,
// and advancing it past the period runs the task within kMaxWait of real time.
TEST(JobRunner, SchedulesFollowTheInjectedClock) {
  ManualClock clock;
  JobRunner runner(/*history=*/10, &clock);
  std::atomic<int> runs{0};
  runner.AddPeriodic("hourly", std::chrono::hours(1), [&]() -> Result<std::string> {
    ++runs;
    return std::string("ran");
  });
  runner.Start();
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(runs.load(), 0);
  clock.AdvanceSeconds(3601);
  for (int i = 0; i < 300 && runs.load() == 0; ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(runs.load(), 1);
  runner.Stop();
  ASSERT_EQ(runner.History().size(), 1u);
  // Records carry the clock's wall time.
  EXPECT_EQ(runner.History()[0].started_at_micros, clock.NowUnixMicros());
}

}  // namespace
}  // namespace tenantdb
