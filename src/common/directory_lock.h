// DirectoryLock: which process has a data directory open, so a second open can say
// "data directory DIR is in use by process N" instead of RocksDB's "While lock file ...
// Resource temporarily unavailable". RocksDB's own LOCK file holds no pid, so this keeps
// one of its own: <directory>/tenantdb.pid under flock(2).
//
//   read-write opens  take an exclusive lock and write their pid into the file
//   read-only opens   take a shared lock and write nothing (they may be unable to)
//
// The kernel drops an flock when its holder dies, kill -9 included, so a pid left in the
// file by a dead process is stale by construction: the next open gets the lock and
// overwrites it. The file is never deleted (unlinking a locked file lets two processes
// lock two different inodes of the same name); a clean close empties it instead.
// flock locks belong to the open file description, so a second open in the same process
// conflicts too (reported as "this process").
//
// Thread safety: Acquire may be called from any thread; a lock object is not shared.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"

namespace tenantdb {

class DirectoryLock {
 public:
  // The name of the pid file inside a data directory.
  static constexpr const char* kFileName = "tenantdb.pid";

  // Locks `directory` (which must exist). `exclusive`: read-write open. A shared lock on
  // a directory whose pid file cannot be created (a read-only file system that never saw
  // a read-write open) holds nothing and succeeds. Errors: object_in_use when another
  // open holds a conflicting lock; io_error.
  static Result<std::unique_ptr<DirectoryLock>> Acquire(const std::string& directory,
                                                        bool exclusive);
  ~DirectoryLock();  // empties the pid file (exclusive) and unlocks
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

 private:
  DirectoryLock(int fd, bool exclusive) : fd_(fd), exclusive_(exclusive) {}
  int fd_;  // -1: nothing held
  bool exclusive_;
};

}  // namespace tenantdb
