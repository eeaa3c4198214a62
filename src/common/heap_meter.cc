#include "common/heap_meter.h"

#include <malloc.h>

#include <cstdint>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TDB_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define TDB_ASAN 1
#endif

#ifdef TDB_ASAN
// From the sanitizer runtime (GCC ships the library but not this header).
extern "C" size_t __sanitizer_get_current_allocated_bytes();
#else
// jemalloc's control interface. Weak, so that this library links into programs that use
// glibc's malloc (the tests, applications embedding tenantdb): there it is null.
extern "C" int mallctl(const char* name, void* oldp, size_t* oldlenp, void* newp, size_t newlen)
    __attribute__((weak));
#endif

namespace tenantdb {

#ifndef TDB_ASAN
namespace {

bool JemallocIsMalloc() {
  return mallctl != nullptr;
}

// Flushes the calling thread's cache of freed small blocks back to its arena: jemalloc
// counts cached blocks as allocated.
void FlushThreadCache() {
  (void)mallctl("thread.tcache.flush", nullptr, nullptr, nullptr, 0);
}

size_t JemallocAllocatedBytes() {
  FlushThreadCache();
  // Statistics are a snapshot taken when the epoch advances.
  uint64_t epoch = 1;
  size_t epoch_size = sizeof(epoch);
  (void)mallctl("epoch", &epoch, &epoch_size, &epoch, epoch_size);
  size_t allocated = 0;
  size_t allocated_size = sizeof(allocated);
  if (mallctl("stats.allocated", &allocated, &allocated_size, nullptr, 0) != 0) return 0;
  return allocated;
}

}  // namespace
#endif

size_t HeapBytesInUse() {
#ifdef TDB_ASAN
  return __sanitizer_get_current_allocated_bytes();
#else
  if (JemallocIsMalloc()) return JemallocAllocatedBytes();
  struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
#endif
}

void TrimHeap() {
#ifndef TDB_ASAN
  if (JemallocIsMalloc()) {
    FlushThreadCache();
    // "arena.<MALLCTL_ARENAS_ALL>.purge": every arena's unused dirty pages.
    (void)mallctl("arena.4096.purge", nullptr, nullptr, nullptr, 0);
    return;
  }
#endif
  malloc_trim(0);
}

const char* HeapAllocatorName() {
#ifdef TDB_ASAN
  return "sanitizer";
#else
  return JemallocIsMalloc() ? "jemalloc" : "glibc";
#endif
}

}  // namespace tenantdb
