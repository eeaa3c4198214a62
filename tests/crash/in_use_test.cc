// A data directory held by another process (the crash worker, a real second process):
// opening it says which process holds it, and a holder killed with SIGKILL leaves a
// stale pid file that the next open detects (the kernel dropped its lock) and takes over.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/directory_lock.h"
#include "engine/engine.h"

namespace tenantdb {
namespace {

std::string PidFileText(const std::string& dir) {
  std::ifstream in(dir + "/" + DirectoryLock::kFileName);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(DataDirectoryInUse, NamesTheHoldingProcessAndTakesOverAfterItIsKilled) {
  const std::string root =
      (std::filesystem::temp_directory_path() / ("tenantdb-inuse-" + std::to_string(::getpid())))
          .string();
  std::filesystem::remove_all(root);
  std::filesystem::create_directories(root);
  const std::string dir = root + "/data";
  const std::string journal = root + "/journal";
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::execl(TENANTDB_CRASH_WORKER, TENANTDB_CRASH_WORKER, dir.c_str(), journal.c_str(), "7",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // The worker writes <journal>.ready once its database is open (bounded: a minute).
  bool ready = false;
  for (int waited = 0; waited < 6000 && !ready; ++waited) {
    ready = std::filesystem::exists(journal + ".ready");
    int status = 0;
    if (!ready && ::waitpid(pid, &status, WNOHANG) == pid) {
      FAIL() << "the worker stopped during setup (status " << status << ")";
    }
    if (!ready) ::usleep(10'000);
  }
  Engine::Options options;
  options.background_jobs = false;
  auto second = ready ? Engine::Open(dir, options) : Status(ErrorCode::kInternal, "not ready");
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(ready) << "the worker never opened its database";
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), ErrorCode::kObjectInUse) << second.status().ToString();
  EXPECT_EQ(second.status().sqlstate(), "55006");
  EXPECT_NE(second.status().message().find("data directory " + dir + " is in use by process " +
                                           std::to_string(pid)),
            std::string_view::npos)
      << second.status().ToString();

  // kill -9 left the dead worker's pid behind, but not its lock.
  EXPECT_EQ(PidFileText(dir), std::to_string(pid) + "\n");
  {
    auto third = Engine::Open(dir, options);
    ASSERT_TRUE(third.ok()) << third.status().ToString();
    EXPECT_EQ(PidFileText(dir), std::to_string(::getpid()) + "\n");
  }
  EXPECT_EQ(PidFileText(dir), "") << "a clean close leaves no pid behind";
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace tenantdb
