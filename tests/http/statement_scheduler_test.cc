// EventLoops and StatementScheduler: a task scheduled from a loop's thread runs on that
// thread; from other threads, and with SchedulePool, on the worker pool; a task that holds
// a loop too long gets the loop a rescue thread, so the loop's other work goes on, and the
// rescue thread leaves when the loop is free again.
#include "server/http/statement_scheduler.h"

#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <chrono>
#include <future>
#include <thread>

#include "server/http/event_loops.h"

namespace tenantdb::server::http {
namespace {

namespace net = boost::asio;
using std::chrono::milliseconds;
using std::chrono::seconds;

EventLoops::Options OneLoop() {
  EventLoops::Options options;
  options.loops = 1;
  options.max_rescue_threads = 2;
  options.stall_after = milliseconds(10);
  options.rescue_idle = milliseconds(50);
  return options;
}

TEST(StatementSchedulerTest, RunsOnTheLoopThreadThatScheduledIt) {
  EventLoops loops(OneLoop());
  loops.Start();
  StatementScheduler scheduler(&loops, 2);
  std::promise<std::pair<std::thread::id, std::thread::id>> ids;
  net::post(loops.At(0), [&] {
    const std::thread::id scheduling = std::this_thread::get_id();
    EXPECT_NE(EventLoops::CurrentLoop(), nullptr);
    ASSERT_TRUE(scheduler.Schedule([&ids, scheduling] {
      ids.set_value({scheduling, std::this_thread::get_id()});
    }));
  });
  const auto [scheduling, running] = ids.get_future().get();
  EXPECT_EQ(scheduling, running);
  EXPECT_EQ(scheduler.ran_inline(), 1u);
  EXPECT_EQ(scheduler.ran_on_pool(), 0u);
  scheduler.Stop();
  loops.Stop();
}

TEST(StatementSchedulerTest, OtherThreadsAndSchedulePoolUseThePool) {
  EventLoops loops(OneLoop());
  loops.Start();
  StatementScheduler scheduler(&loops, 2);
  EXPECT_EQ(EventLoops::CurrentLoop(), nullptr);
  std::promise<bool> off_loop;
  ASSERT_TRUE(
      scheduler.Schedule([&] { off_loop.set_value(EventLoops::CurrentLoop() == nullptr); }));
  EXPECT_TRUE(off_loop.get_future().get());
  std::promise<bool> pooled;
  net::post(loops.At(0), [&] {
    ASSERT_TRUE(
        scheduler.SchedulePool([&] { pooled.set_value(EventLoops::CurrentLoop() == nullptr); }));
  });
  EXPECT_TRUE(pooled.get_future().get());
  EXPECT_EQ(scheduler.ran_on_pool(), 2u);
  EXPECT_EQ(scheduler.ran_inline(), 0u);
  scheduler.Stop();
  EXPECT_FALSE(scheduler.Schedule([] {}));
  EXPECT_FALSE(scheduler.SchedulePool([] {}));
  loops.Stop();
}

TEST(EventLoopsTest, ATaskHoldingItsLoopGetsTheLoopARescueThread) {
  EventLoops loops(OneLoop());
  loops.Start();
  StatementScheduler scheduler(&loops, 1);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> holding;
  // A statement that holds the only loop thread (a long scan, a lock wait)...
  net::post(loops.At(0), [&] {
    ASSERT_TRUE(scheduler.Schedule([&] {
      holding.set_value();
      released.wait();
    }));
  });
  holding.get_future().wait();
  // ...does not hold up the loop's other work: a rescue thread runs it.
  std::promise<std::thread::id> other;
  net::post(loops.At(0), [&] { other.set_value(std::this_thread::get_id()); });
  auto other_done = other.get_future();
  ASSERT_EQ(other_done.wait_for(seconds(10)), std::future_status::ready);
  EXPECT_GE(loops.rescues(), 1u);
  EXPECT_GE(loops.threads(), 2u);
  release.set_value();
  // Free again, the loop goes back to one thread.
  const auto deadline = std::chrono::steady_clock::now() + seconds(10);
  while (loops.threads() > 1 && std::chrono::steady_clock::now() < deadline) {
    // Work for the loop, so the rescue thread sees the main one free.
    net::post(loops.At(0), [] {});
    std::this_thread::sleep_for(milliseconds(5));
  }
  EXPECT_EQ(loops.threads(), 1u);
  scheduler.Stop();
  loops.Stop();
}

TEST(EventLoopsTest, ShortTasksNeedNoRescue) {
  EventLoops::Options options = OneLoop();
  options.stall_after = milliseconds(500);  // a loaded machine may pause a thread briefly
  EventLoops loops(options);
  loops.Start();
  StatementScheduler scheduler(&loops, 1);
  for (int i = 0; i < 200; ++i) {
    std::promise<void> done;
    net::post(loops.At(0), [&] { ASSERT_TRUE(scheduler.Schedule([&] { done.set_value(); })); });
    done.get_future().wait();
  }
  EXPECT_EQ(loops.rescues(), 0u);
  EXPECT_EQ(loops.threads(), 1u);
  scheduler.Stop();
  loops.Stop();
}

TEST(EventLoopsTest, ConnectionsAreSpreadOverTheLoops) {
  EventLoops::Options options = OneLoop();
  options.loops = 3;
  EventLoops loops(options);
  EXPECT_EQ(&loops.Next(), &loops.At(0));
  EXPECT_EQ(&loops.Next(), &loops.At(1));
  EXPECT_EQ(&loops.Next(), &loops.At(2));
  EXPECT_EQ(&loops.Next(), &loops.At(0));
  loops.Start();
  EXPECT_LE(loops.threads(), 3u);
  loops.Stop();
  loops.Stop();  // idempotent
}

}  // namespace
}  // namespace tenantdb::server::http
