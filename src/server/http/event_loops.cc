#include "server/http/event_loops.h"

#include <algorithm>
#include <cassert>

#include <boost/asio/post.hpp>

namespace tenantdb::server::http {

struct EventLoops::Loop {
  // Concurrency hint 1: a handler's posts go to its thread's private queue instead of
  // waking the reactor (an epoll_ctl per post otherwise). Locking stays on, so a rescue
  // thread may run the same context safely.
  boost::asio::io_context io{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
  std::thread main;
  std::atomic<int> threads{0};           // threads inside io.run now
  std::atomic<int> inline_running{0};    // of them, inside RunInline
  std::atomic<uint64_t> inline_done{0};  // RunInline calls finished
  // The on_stall hooks of the tasks running now (RunInline adds and removes its own).
  std::mutex hooks_mu;
  std::vector<const std::function<void()>*> hooks;
  // The watchdog's own view (only its thread touches these).
  uint64_t seen_done = 0;
  bool stalled = false;
  std::chrono::steady_clock::time_point stalled_since;
};

namespace {
thread_local boost::asio::io_context* current_io = nullptr;
}  // namespace

// The Loop of this thread; set for the life of a loop or rescue thread.
thread_local EventLoops::Loop* EventLoops::current_ = nullptr;

EventLoops::EventLoops(Options options) : options_(options) {
  const size_t count = options_.loops == 0 ? 1 : options_.loops;
  for (size_t i = 0; i < count; ++i)
    loops_.push_back(std::make_unique<Loop>());
}

EventLoops::~EventLoops() {
  Stop();
}

boost::asio::io_context& EventLoops::Next() {
  return loops_[next_.fetch_add(1, std::memory_order_relaxed) % loops_.size()]->io;
}

boost::asio::io_context& EventLoops::At(size_t i) {
  return loops_.at(i)->io;
}

void EventLoops::Start() {
  std::lock_guard<std::mutex> lock(mutex_);
  assert(!started_);
  started_ = true;
  for (auto& loop : loops_) {
    Loop* l = loop.get();
    l->main = std::thread([this, l] { RunThread(l, /*rescue=*/false, nullptr); });
  }
  watchdog_ = std::thread([this] { Watch(); });
}

void EventLoops::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!started_ || stopping_) return;
    stopping_ = true;
  }
  wake_watchdog_.notify_all();
  watchdog_.join();
  for (auto& loop : loops_) {
    loop->work.reset();
    loop->io.stop();
  }
  for (auto& loop : loops_) {
    if (loop->main.joinable()) loop->main.join();
  }
  std::list<Rescuer> rescuers;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    rescuers.swap(rescuers_);
  }
  for (Rescuer& r : rescuers) {
    if (r.thread.joinable()) r.thread.join();
  }
}

boost::asio::io_context* EventLoops::CurrentLoop() {
  return current_io;
}

void EventLoops::RunInline(const std::function<void()>& task,
                           const std::function<void()>* on_stall) {
  Loop* loop = current_;
  assert(loop != nullptr && "RunInline off a loop thread");
  if (on_stall != nullptr) {
    std::lock_guard<std::mutex> lock(loop->hooks_mu);
    loop->hooks.push_back(on_stall);
  }
  loop->inline_running.fetch_add(1, std::memory_order_acq_rel);
  task();
  loop->inline_done.fetch_add(1, std::memory_order_acq_rel);
  loop->inline_running.fetch_sub(1, std::memory_order_acq_rel);
  if (on_stall != nullptr) {
    // Under the lock: the watchdog calls hooks only while holding it, so `on_stall` is
    // never called after this returns.
    std::lock_guard<std::mutex> lock(loop->hooks_mu);
    auto& hooks = loop->hooks;
    const auto it = std::find(hooks.begin(), hooks.end(), on_stall);
    if (it != hooks.end()) hooks.erase(it);  // gone when the watchdog called it
  }
}

size_t EventLoops::threads() const {
  size_t n = 0;
  for (const auto& loop : loops_)
    n += static_cast<size_t>(loop->threads.load(std::memory_order_relaxed));
  return n;
}

void EventLoops::RunThread(Loop* loop, bool rescue, Rescuer* rescuer) {
  current_ = loop;
  current_io = &loop->io;
  loop->threads.fetch_add(1, std::memory_order_acq_rel);
  if (!rescue) {
    loop->io.run();
  } else {
    // Stay while there is work and no other thread of the loop is free to do it; a
    // second idle thread would only make the two wake each other.
    while (loop->io.run_one_for(options_.rescue_idle) > 0) {
      const int free_threads = loop->threads.load(std::memory_order_acquire) -
                               loop->inline_running.load(std::memory_order_acquire);
      if (free_threads >= 2) break;
    }
    // The reactor may have gone back into the queue with the loop's other thread asleep
    // on the scheduler's condition (Asio signals nobody when a reactor run ends): a post
    // from outside wakes it, or the loop would wait for events no thread collects.
    boost::asio::post(loop->io, [] {});
  }
  loop->threads.fetch_sub(1, std::memory_order_acq_rel);
  current_io = nullptr;
  current_ = nullptr;
  if (rescuer != nullptr) rescuer->done.store(true, std::memory_order_release);
}

void EventLoops::Watch() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    bool any_inline = false;
    const auto now = std::chrono::steady_clock::now();
    for (auto& loop : loops_) {
      Loop& l = *loop;
      const int running = l.inline_running.load(std::memory_order_acquire);
      const int threads = l.threads.load(std::memory_order_acquire);
      const uint64_t done = l.inline_done.load(std::memory_order_acquire);
      any_inline = any_inline || running > 0;
      // Stalled: every thread of the loop is inside a task and none finished since the
      // last look.
      if (running > 0 && running >= threads && done == l.seen_done) {
        if (!l.stalled) {
          l.stalled = true;
          l.stalled_since = now;
        } else if (now - l.stalled_since >= options_.stall_after) {
          Rescue(&l);
          l.stalled = false;
          // Each hook once: the tasks that stalled this time are told, and forgotten.
          std::lock_guard<std::mutex> hooks_lock(l.hooks_mu);
          for (const std::function<void()>* hook : l.hooks)
            (*hook)();
          l.hooks.clear();
        }
      } else {
        l.stalled = false;
      }
      l.seen_done = done;
    }
    for (auto it = rescuers_.begin(); it != rescuers_.end();) {
      if (it->done.load(std::memory_order_acquire)) {
        it->thread.join();
        it = rescuers_.erase(it);
      } else {
        ++it;
      }
    }
    // While statements run on loops, look often; an idle server is looked at rarely.
    const auto tick = any_inline ? std::chrono::milliseconds(2) : std::chrono::milliseconds(20);
    wake_watchdog_.wait_for(lock, tick, [this] { return stopping_; });
  }
}

void EventLoops::Rescue(Loop* loop) {
  // mutex_ is held.
  if (rescuers_.size() >= options_.max_rescue_threads) return;
  Rescuer& rescuer = rescuers_.emplace_back();
  rescuer.thread =
      std::thread([this, loop, &rescuer] { RunThread(loop, /*rescue=*/true, &rescuer); });
  rescues_.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace tenantdb::server::http
