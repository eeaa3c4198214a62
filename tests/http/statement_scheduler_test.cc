// StatementScheduler: a task scheduled from an I/O thread runs on that thread while a
// slot is free; past the slots, and from other threads, it runs on the overflow pool.
#include "server/http/statement_scheduler.h"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <future>
#include <thread>

namespace tenantdb::server::http {
namespace {

namespace net = boost::asio;

class StatementSchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 2; ++i)
      threads_.emplace_back([this] { io_.run(); });
  }
  void TearDown() override {
    work_.reset();
    io_.stop();
    for (std::thread& t : threads_)
      t.join();
  }
  // Schedules `task` from an I/O thread; true when Schedule accepted it.
  bool ScheduleFromIo(StatementScheduler& scheduler, std::function<void()> task) {
    std::promise<bool> accepted;
    net::post(io_, [&] { accepted.set_value(scheduler.Schedule(std::move(task))); });
    return accepted.get_future().get();
  }

  net::io_context io_{2};
  net::executor_work_guard<net::io_context::executor_type> work_ = net::make_work_guard(io_);
  std::vector<std::thread> threads_;
};

TEST_F(StatementSchedulerTest, RunsOnTheIoThreadThatScheduledIt) {
  StatementScheduler scheduler(io_.get_executor(), 1, 2);
  std::promise<std::pair<std::thread::id, std::thread::id>> ids;
  net::post(io_, [&] {
    const std::thread::id scheduling = std::this_thread::get_id();
    ASSERT_TRUE(scheduler.Schedule([&ids, scheduling] {
      ids.set_value({scheduling, std::this_thread::get_id()});
    }));
  });
  const auto [scheduling, running] = ids.get_future().get();
  EXPECT_EQ(scheduling, running);
  EXPECT_EQ(scheduler.ran_inline(), 1u);
  EXPECT_EQ(scheduler.ran_on_pool(), 0u);
  scheduler.Stop();
}

TEST_F(StatementSchedulerTest, PastItsSlotsAndFromOtherThreadsTasksGoToThePool) {
  StatementScheduler scheduler(io_.get_executor(), 1, 2);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> first_running;
  // The one slot is taken by a task that waits...
  ASSERT_TRUE(ScheduleFromIo(scheduler, [&] {
    first_running.set_value();
    released.wait();
  }));
  first_running.get_future().wait();
  // ...so the next one from the other I/O thread runs on the pool, and finishes while
  // the first still holds its I/O thread.
  std::promise<void> second_done;
  ASSERT_TRUE(ScheduleFromIo(scheduler, [&] { second_done.set_value(); }));
  EXPECT_EQ(second_done.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(scheduler.ran_inline(), 1u);
  EXPECT_EQ(scheduler.ran_on_pool(), 1u);
  // A thread that is not an I/O thread always uses the pool.
  std::promise<void> third_done;
  ASSERT_TRUE(scheduler.Schedule([&] { third_done.set_value(); }));
  third_done.get_future().wait();
  EXPECT_EQ(scheduler.ran_on_pool(), 2u);
  release.set_value();
  // The slot comes back when the first task ends: the next runs inline again.
  for (int i = 0; i < 200 && scheduler.ran_inline() < 2; ++i) {
    std::promise<void> done;
    ASSERT_TRUE(ScheduleFromIo(scheduler, [&] { done.set_value(); }));
    done.get_future().wait();
  }
  EXPECT_EQ(scheduler.ran_inline(), 2u);
  scheduler.Stop();
  EXPECT_FALSE(scheduler.Schedule([] {}));
}

}  // namespace
}  // namespace tenantdb::server::http
