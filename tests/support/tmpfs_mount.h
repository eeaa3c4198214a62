// TmpfsMount: a small tmpfs mounted on a fresh temporary directory, for tests that need a
// real full or read-only file system (ENOSPC and EROFS from the kernel, not from a
// fake). Mounting needs CAP_SYS_ADMIN (tests run as root here and in CI); Mount()
// returns mount(2)'s errno so a test can skip with a clear message on EPERM only.
//
// The destructor unmounts (lazily, so an open file cannot keep the mount alive) and
// removes the directory. Also has helpers to fill the file system with a filler file.
// Thread safety: none; one test owns one mount.
#pragma once

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace tenantdb::testing {

class TmpfsMount {
 public:
  TmpfsMount() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "tdb_tmpfs_XXXXXX").string();
    if (::mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~TmpfsMount() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
    if (!path_.empty()) ::rmdir(path_.c_str());
  }
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;

  // Mounts a tmpfs of `bytes`; returns 0 or the errno of mount(2).
  int Mount(size_t bytes) {
    if (path_.empty()) return ENOENT;
    const std::string data = "size=" + std::to_string(bytes) + ",mode=0755";
    if (::mount("tmpfs", path_.c_str(), "tmpfs", 0, data.c_str()) != 0) return errno;
    mounted_ = true;
    return 0;
  }
  // Remounts read-only (or back to read-write); returns 0 or errno.
  int Remount(bool read_only, size_t bytes) {
    const std::string data = "size=" + std::to_string(bytes);
    unsigned long flags = MS_REMOUNT | (read_only ? MS_RDONLY : 0);
    return ::mount("tmpfs", path_.c_str(), "tmpfs", flags, data.c_str()) == 0 ? 0 : errno;
  }

  const std::string& path() const { return path_; }

  // Bytes an unprivileged writer may still allocate.
  size_t FreeBytes() const {
    struct statvfs st;
    if (::statvfs(path_.c_str(), &st) != 0) return 0;
    return static_cast<size_t>(st.f_bavail) * st.f_frsize;
  }

  // Appends to `file` (created if missing) until it holds `bytes` more or the file
  // system is full; returns the bytes written.
  static size_t Fill(const std::string& file, size_t bytes) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return 0;
    static const std::string chunk(64 << 10, 'f');
    size_t done = 0;
    while (done < bytes) {
      const size_t n = std::min(chunk.size(), bytes - done);
      const ssize_t w = ::write(fd, chunk.data(), n);
      if (w <= 0) break;  // ENOSPC: full
      done += static_cast<size_t>(w);
    }
    ::close(fd);
    return done;
  }

 private:
  std::string path_;
  bool mounted_ = false;
};

}  // namespace tenantdb::testing
