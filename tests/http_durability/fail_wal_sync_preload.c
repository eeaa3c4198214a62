// An LD_PRELOAD library that makes the write-ahead log's syncs fail on demand, as a disk
// that starts failing would: once the file named by $TDB_FAIL_WAL_SYNC_WHEN exists,
// fsync() and fdatasync() of a RocksDB log file (a name ending in ".log") return -1 with
// errno EIO. Every other call, and every call before the file appears, goes to libc.
// Used by sync_failure_test.mjs only; never linked into the product.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int FailNow(int fd) {
  const char* trigger = getenv("TDB_FAIL_WAL_SYNC_WHEN");
  if (trigger == NULL || access(trigger, F_OK) != 0) return 0;
  char link[64];
  char target[PATH_MAX];
  snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
  const ssize_t n = readlink(link, target, sizeof(target) - 1);
  if (n < 4) return 0;
  target[n] = '\0';
  return strcmp(target + n - 4, ".log") == 0;
}

// EIO when FailNow, else libc's `name`(fd).
static int SyncOrFail(const char* name, int fd) {
  if (FailNow(fd)) {
    errno = EIO;
    return -1;
  }
  int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, name);
  return real(fd);
}

int fdatasync(int fd) {
  return SyncOrFail("fdatasync", fd);
}

int fsync(int fd) {
  return SyncOrFail("fsync", fd);
}
