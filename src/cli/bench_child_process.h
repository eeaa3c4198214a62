// A child process that a benchmark starts and always stops: `tenantdb serve` for `bench
// http`, PostgreSQL's postmaster for its peer. The child's stdout and stderr go to a log
// file (never a pipe, which a chatty child could fill while nobody reads it). It gets
// PR_SET_PDEATHSIG = SIGKILL, so it dies with the thread that started it even when the
// bench itself is killed; start it from the thread that lives longest (the main thread).
//
// The destructor stops a child still running: the stop signal given to Spawn, then
// SIGKILL after the grace period, and reaps it. Not thread-safe; move-only.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace tenantdb::cli {

struct ChildOptions {
  std::vector<std::string> argv;  // argv[0] is the program's path
  // Added to (or replacing in) the bench's own environment.
  std::vector<std::pair<std::string, std::string>> env;
  std::string log_path;     // stdout and stderr, appended; empty: /dev/null
  std::string working_dir;  // empty: the bench's
  // Run as this user (uid, gid and supplementary groups) when the bench runs as root;
  // empty: as the bench's own user.
  std::string run_as;
  int stop_signal = 15;  // SIGTERM
  std::chrono::milliseconds stop_grace{20'000};
};

class ChildProcess {
 public:
  // Forks and execs; fails when the program cannot be executed (the exec error is
  // reported through a close-on-exec pipe, so a bad path fails here, not later).
  static Result<ChildProcess> Spawn(const ChildOptions& options);

  ChildProcess() = default;
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  // True while the child has not exited (reaps it when it has).
  bool Running();
  // The wait status once it exited (see waitpid), nullopt while it runs.
  std::optional<int> exit_status() const { return exit_status_; }
  // Sends `signal`; false when the child is gone.
  bool Signal(int signal);
  // Waits up to `timeout` for the child to exit; true when it has.
  bool WaitFor(std::chrono::milliseconds timeout);
  // Stop signal, grace period, SIGKILL; returns the wait status.
  int Stop();
  // Describes the exit ("exit code 1", "signal 9") or "running".
  std::string Describe();

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_status_;
  int stop_signal_ = 15;
  std::chrono::milliseconds stop_grace_{20'000};
};

// The last `max_bytes` of a file (for error messages that quote a child's log).
std::string TailOfFile(const std::string& path, size_t max_bytes = 2000);

}  // namespace tenantdb::cli
