// JobRunner: the background thread that runs tenantdb's periodic maintenance — flush
// policy checks, STREAM TTL eviction — and keeps a record of what ran, for system.jobs.
//
// A task is a named function called every `period`; a run that fails records its
// Status and the task keeps its schedule. A periodic run that succeeds with an empty
// detail did nothing and is not recorded: the flush check runs every second, and its
// "flushed 0 tables" records would fill the bounded history within minutes and push out
// the runs that did something. RunNow() runs a task at once on the caller's thread
// (STORAGE FLUSH TABLE, STORAGE COMPACT TABLE, CREATE INDEX), always recorded, since someone
// asked; a long one (CREATE INDEX) is listed while it runs, with the progress it reports. Stop()
// (and the destructor) waits for a running task to finish and then ends the thread; tasks are never
// cut off halfway, which is what makes a stop during a flush safe.
//
// Time: schedules follow the Clock's monotonic reading and records its wall clock, so a
// test that advances a ManualClock past a period sees the task run; the thread looks at
// the clock at least once a second of real time (kMaxWait), which is how it notices a
// clock that moved by hand.
//
// Thread safety: all methods may be called from any thread. Tasks run one at a time on
// the runner's thread, so a task never overlaps itself.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "tenantdb/clock.h"

namespace tenantdb {

struct JobRecord {
  uint64_t job_id = 0;
  std::string task;               // e.g. "flush"
  std::string detail;             // what the run did, from the task ("3 tables, 120 rows")
  int64_t started_at_micros = 0;  // wall clock, microseconds since the epoch
  int64_t finished_at_micros = 0;
  Status status;
  // Still running (RunNow with progress): `detail` is the latest progress, if any, and
  // finished_at_micros is 0.
  bool running = false;
};

class JobRunner {
 public:
  // A task returns what it did (for JobRecord::detail; empty: nothing, see above) or why
  // it failed.
  using Task = std::function<Result<std::string>()>;
  // Tells system.jobs how far a running task has come ("indexed 4096 rows, user 2 of 5");
  // may be called from any thread while the task runs.
  using Progress = std::function<void(std::string)>;
  using ProgressTask = std::function<Result<std::string>(const Progress&)>;

  // Keeps the last `history` job records. `clock` must outlive the runner.
  explicit JobRunner(size_t history = 1000, const Clock* clock = &Clock::System());
  ~JobRunner();
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // Schedules `task` every `period`, first after one period. Call before Start().
  void AddPeriodic(std::string name, std::chrono::milliseconds period, Task task);
  // Makes the periodic task `name` due now (it runs on the runner's thread as soon as
  // the task in progress, if any, ends; its period restarts from that run). DROP TABLE
  // uses it so erasure does not wait a whole period. Unknown names are ignored.
  void Trigger(const std::string& name);
  // Starts the background thread.
  void Start();
  // Waits for a running task, then stops the thread. Idempotent.
  void Stop();

  // Runs `task` now on the calling thread (not concurrently with a periodic task) and
  // records it, even when it did nothing (detail "nothing to do"). Returns the task's
  // own result.
  Result<std::string> RunNow(const std::string& name, const Task& task);
  // RunNow for a long task (CREATE INDEX's build): listed as running, with the progress
  // it reports, from when it starts until it ends.
  Result<std::string> RunNow(const std::string& name, const ProgressTask& task);

  // Finished runs that failed or did something, and every RunNow(), oldest first; then
  // the RunNow() in progress, if any (running).
  std::vector<JobRecord> History() const;

 private:
  struct Periodic {
    std::string name;
    std::chrono::milliseconds period;
    Task task;
    int64_t next_micros;  // due at this monotonic reading of clock_
  };
  // The longest the thread sleeps before it reads the clock again.
  static constexpr std::chrono::seconds kMaxWait{1};
  void Loop();
  // Runs `task` and records it; a successful run with an empty detail only if
  // `record_idle`. `visible`: listed as running meanwhile (with its progress).
  Result<std::string> RunRecorded(const std::string& name, const ProgressTask& task,
                                  bool record_idle, bool visible);

  const size_t history_limit_;
  const Clock* const clock_;
  mutable std::mutex mu_;  // guards everything below but run_mu_
  std::mutex run_mu_;      // held while any task runs: one task at a time
  std::condition_variable wake_;
  std::vector<Periodic> periodic_;
  std::deque<JobRecord> history_;
  std::optional<JobRecord> running_;  // the visible task in progress
  uint64_t next_job_id_ = 1;
  bool stopping_ = false;
  bool rescheduled_ = false;  // set by Trigger() to wake the loop
  std::thread thread_;
};

}  // namespace tenantdb
