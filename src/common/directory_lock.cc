#include "common/directory_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace tenantdb {

namespace {

Status IoError(const std::string& what, const std::string& path, int err) {
  return Status(ErrorCode::kIoError, what + " " + path + ": " + std::strerror(err));
}

// The pid the holder wrote, or 0 (none yet, a shared holder, or unreadable).
long ReadPid(int fd) {
  char buffer[32] = {};
  const ssize_t n = ::pread(fd, buffer, sizeof(buffer) - 1, 0);
  if (n <= 0) return 0;
  char* end = nullptr;
  const long pid = std::strtol(buffer, &end, 10);
  return pid > 0 ? pid : 0;
}

Status InUse(const std::string& directory, int fd) {
  const long pid = ReadPid(fd);
  std::string who = "another process";
  if (pid == static_cast<long>(::getpid())) {
    who = "this process (process " + std::to_string(pid) + ")";
  } else if (pid != 0) {
    who = "process " + std::to_string(pid);
  }
  return Status(ErrorCode::kObjectInUse, "data directory " + directory + " is in use by " + who +
                                             "; stop it or use another directory");
}

}  // namespace

Result<std::unique_ptr<DirectoryLock>> DirectoryLock::Acquire(const std::string& directory,
                                                              bool exclusive) {
  const std::string path = directory + "/" + kFileName;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0 && !exclusive && (errno == EROFS || errno == EACCES || errno == EPERM)) {
    // A read-only directory: share the lock of a file a writer made, if there is one.
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
      return std::unique_ptr<DirectoryLock>(new DirectoryLock(-1, false));
  }
  if (fd < 0) return IoError("cannot open", path, errno);
  if (::flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
    const int err = errno;
    Status s = err == EWOULDBLOCK ? InUse(directory, fd) : IoError("cannot lock", path, err);
    ::close(fd);
    return s;
  }
  if (exclusive) {
    // Best effort: the lock, not the text, is what excludes; the pid only names the holder.
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
      // A full disk: an empty file still locks; others then say "another process".
    }
  }
  return std::unique_ptr<DirectoryLock>(new DirectoryLock(fd, exclusive));
}

DirectoryLock::~DirectoryLock() {
  if (fd_ < 0) return;
  // Emptied before unlocking, so no later reader sees our pid while we are gone.
  if (exclusive_ && ::ftruncate(fd_, 0) != 0) {
  }
  ::close(fd_);  // releases the flock
}

}  // namespace tenantdb
