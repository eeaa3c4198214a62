// EventLoops: the HTTP server's event loops — `loops` Asio io_contexts, each run by its own
// thread, with every connection pinned to one of them (round robin at accept). A request's
// handlers, and a read-only statement's work, run on the thread of its loop: no hand-off
// to another thread and back. On this project's VMs a thread wake-up costs more than a
// point select's whole execution, and one shared io_context run by several threads wakes
// threads for nearly every handler (measured: a point select's round trip 211 µs with
// one shared context and a statement hand-off, 68 µs on a pinned loop).
//
// The price of running statements on a loop is a statement that holds its thread — a
// long scan, a row-lock wait — while the loop's other connections wait behind it. A
// watchdog thread prevents that: a loop whose every thread has been inside RunInline()
// for `stall_after` with no inline task finishing gets a rescue thread, which runs the
// same io_context (so the other connections move on) and leaves once it has been idle
// for `rescue_idle`. A connection's handlers stay ordered by its strand whichever thread
// runs them, so a rescue thread changes no connection's behaviour. Rescue threads are
// bounded by `max_rescue_threads` in all.
//
// Thread safety: Next(), CurrentLoop() and the counters from any thread; RunInline() only
// on a thread of a loop. Start() and Stop() once each, from the owner (Stop joins every
// thread; the destructor calls it).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace tenantdb::server::http {

class EventLoops {
 public:
  struct Options {
    size_t loops = 2;
    size_t max_rescue_threads = 16;
    std::chrono::milliseconds stall_after{10};
    std::chrono::milliseconds rescue_idle{200};
  };

  explicit EventLoops(Options options);
  ~EventLoops();
  EventLoops(const EventLoops&) = delete;
  EventLoops& operator=(const EventLoops&) = delete;

  // The loop for a new connection (round robin).
  boost::asio::io_context& Next();
  boost::asio::io_context& At(size_t i);
  size_t size() const { return loops_.size(); }

  // Starts one thread per loop and the watchdog.
  void Start();
  // Stops every loop (pending handlers are dropped) and joins every thread. Idempotent.
  void Stop();

  // The io_context whose thread this is, or null on any other thread.
  static boost::asio::io_context* CurrentLoop();

  // Runs `task` now, on this thread, which must be a loop's (CurrentLoop() != null),
  // watched by the watchdog: if it holds the loop too long, a rescue thread joins, and
  // `on_stall` (when set) is called once, from the watchdog's thread, while the task
  // still runs — e.g. to start watching for a client that leaves, which only pays off
  // for a request that takes long. `on_stall` must be quick and must not block.
  void RunInline(const std::function<void()>& task,
                 const std::function<void()>* on_stall = nullptr);

  // Threads running loops now (one per loop plus rescue threads), and rescues so far.
  size_t threads() const;
  uint64_t rescues() const { return rescues_.load(std::memory_order_relaxed); }

 private:
  struct Loop;
  struct Rescuer {
    std::thread thread;
    std::atomic<bool> done{false};
  };

  void RunThread(Loop* loop, bool rescue, Rescuer* rescuer);
  void Watch();
  void Rescue(Loop* loop);

  static thread_local Loop* current_;

  const Options options_;
  std::vector<std::unique_ptr<Loop>> loops_;
  std::atomic<size_t> next_{0};
  std::atomic<uint64_t> rescues_{0};

  std::mutex mutex_;  // guards rescuers_, stopping_, started_
  std::condition_variable wake_watchdog_;
  std::list<Rescuer> rescuers_;
  bool stopping_ = false;
  bool started_ = false;
  std::thread watchdog_;
};

}  // namespace tenantdb::server::http
