#include "cli/bench_child_process.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <thread>

extern char** environ;

namespace tenantdb::cli {

namespace {

// Everything the child needs, prepared before fork: after fork only async-signal-safe
// calls are allowed (the bench has threads), so no allocation happens in the child.
struct ExecPlan {
  std::vector<std::string> argv_storage, env_storage;
  std::vector<char*> argv, envp;
  bool switch_user = false;
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;
};

Result<ExecPlan> Plan(const ChildOptions& options) {
  if (options.argv.empty()) return Status(ErrorCode::kInvalidArgument, "no program to run");
  ExecPlan plan;
  plan.argv_storage = options.argv;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    bool replaced = false;
    for (const auto& [key, value] : options.env)
      replaced = replaced || entry.rfind(key + "=", 0) == 0;
    if (!replaced) plan.env_storage.push_back(entry);
  }
  for (const auto& [key, value] : options.env)
    plan.env_storage.push_back(key + "=" + value);
  for (std::string& a : plan.argv_storage)
    plan.argv.push_back(a.data());
  plan.argv.push_back(nullptr);
  for (std::string& e : plan.env_storage)
    plan.envp.push_back(e.data());
  plan.envp.push_back(nullptr);

  if (!options.run_as.empty() && geteuid() == 0) {
    struct passwd pw {};
    struct passwd* found = nullptr;
    std::vector<char> buf(16384);
    if (getpwnam_r(options.run_as.c_str(), &pw, buf.data(), buf.size(), &found) != 0 ||
        found == nullptr) {
      return Status(ErrorCode::kNotFound, "no user '" + options.run_as + "' to run as");
    }
    plan.switch_user = true;
    plan.uid = pw.pw_uid;
    plan.gid = pw.pw_gid;
    int n = 64;
    plan.groups.resize(size_t(n));
    if (getgrouplist(pw.pw_name, pw.pw_gid, plan.groups.data(), &n) < 0) {
      plan.groups.resize(size_t(n));
      getgrouplist(pw.pw_name, pw.pw_gid, plan.groups.data(), &n);
    }
    plan.groups.resize(size_t(n));
  }
  return plan;
}

// Reports `err` to the parent through the pipe `report` and ends the forked child.
[[noreturn]] void FailChild(int report, int err) {
  const ssize_t ignored = write(report, &err, sizeof(err));
  (void)ignored;
  _exit(127);
}

// Runs in the forked child; reports errno through `report` and exits when exec fails.
[[noreturn]] void ExecChild(const ExecPlan& plan, int log_fd, const char* cwd, int report) {
  auto fail = [report](int err) { FailChild(report, err); };
  // A fresh process group, so a signal meant for the bench's terminal group (Ctrl-C)
  // reaches the bench, which then stops the child in order.
  setpgid(0, 0);
  if (dup2(log_fd, STDOUT_FILENO) < 0 || dup2(log_fd, STDERR_FILENO) < 0) fail(errno);
  const int null_fd = open("/dev/null", O_RDONLY);
  if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0) fail(errno);
  if (cwd != nullptr && chdir(cwd) != 0) fail(errno);
  if (plan.switch_user) {
    if (setgroups(plan.groups.size(), plan.groups.data()) != 0) fail(errno);
    if (setgid(plan.gid) != 0) fail(errno);
    if (setuid(plan.uid) != 0) fail(errno);
  }
  // After the credential change, which clears it.
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(errno);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  execve(plan.argv[0], plan.argv.data(), plan.envp.data());
  FailChild(report, errno);
}

}  // namespace

Result<ChildProcess> ChildProcess::Spawn(const ChildOptions& options) {
  TDB_ASSIGN_OR_RETURN(ExecPlan plan, Plan(options));
  const int log_fd =
      options.log_path.empty()
          ? open("/dev/null", O_WRONLY | O_CLOEXEC)
          : open(options.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    return Status(ErrorCode::kIoError,
                  "cannot open log file " + options.log_path + ": " + std::strerror(errno));
  }
  if (plan.switch_user && !options.log_path.empty() && fchown(log_fd, plan.uid, plan.gid) != 0) {
    close(log_fd);
    return Status(ErrorCode::kIoError, "cannot chown " + options.log_path);
  }
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) {
    close(log_fd);
    return Status(ErrorCode::kIoError, std::string("pipe: ") + std::strerror(errno));
  }
  const pid_t pid = fork();
  if (pid < 0) {
    const int err = errno;
    close(log_fd);
    close(report[0]);
    close(report[1]);
    return Status(ErrorCode::kIoError, std::string("fork: ") + std::strerror(err));
  }
  if (pid == 0) {
    close(report[0]);
    ExecChild(plan, log_fd, options.working_dir.empty() ? nullptr : options.working_dir.c_str(),
              report[1]);
  }
  close(log_fd);
  close(report[1]);
  ChildProcess child;
  child.pid_ = pid;
  child.stop_signal_ = options.stop_signal;
  child.stop_grace_ = options.stop_grace;
  int err = 0;
  ssize_t n;
  do {
    n = read(report[0], &err, sizeof(err));
  } while (n < 0 && errno == EINTR);
  close(report[0]);
  if (n == sizeof(err)) {
    child.WaitFor(std::chrono::seconds(5));
    return Status(ErrorCode::kIoError,
                  "cannot start " + options.argv[0] + ": " + std::strerror(err));
  }
  return child;
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      exit_status_(other.exit_status_),
      stop_signal_(other.stop_signal_),
      stop_grace_(other.stop_grace_) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0) Stop();
    pid_ = std::exchange(other.pid_, -1);
    exit_status_ = other.exit_status_;
    stop_signal_ = other.stop_signal_;
    stop_grace_ = other.stop_grace_;
  }
  return *this;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) Stop();
}

bool ChildProcess::Running() {
  if (pid_ <= 0 || exit_status_.has_value()) return false;
  int status = 0;
  const pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_ || (r < 0 && errno == ECHILD)) {
    exit_status_ = r == pid_ ? status : -1;
    return false;
  }
  return true;
}

bool ChildProcess::Signal(int signal) {
  return Running() && kill(pid_, signal) == 0;
}

bool ChildProcess::WaitFor(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (Running()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

int ChildProcess::Stop() {
  if (Running()) {
    Signal(stop_signal_);
    if (!WaitFor(stop_grace_)) {
      Signal(SIGKILL);
      WaitFor(std::chrono::seconds(30));
    }
  }
  return exit_status_.value_or(-1);
}

std::string ChildProcess::Describe() {
  if (Running()) return "running";
  const int s = exit_status_.value_or(-1);
  if (s < 0) return "gone";
  if (WIFEXITED(s)) return "exit code " + std::to_string(WEXITSTATUS(s));
  if (WIFSIGNALED(s)) return "signal " + std::to_string(WTERMSIG(s));
  return "wait status " + std::to_string(s);
}

std::string TailOfFile(const std::string& path, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return "";
  const std::streamoff size = in.tellg();
  const std::streamoff start =
      size > std::streamoff(max_bytes) ? size - std::streamoff(max_bytes) : 0;
  in.seekg(start);
  std::string text(size_t(size - start), '\0');
  in.read(text.data(), std::streamsize(text.size()));
  return text;
}

}  // namespace tenantdb::cli
