#include "common/heap_meter.h"

#include <malloc.h>

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
#endif

namespace tenantdb {

size_t HeapBytesInUse() {
#ifdef TDB_ASAN
  return __sanitizer_get_current_allocated_bytes();
#else
  struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
#endif
}

void TrimHeap() {
  malloc_trim(0);
}

}  // namespace tenantdb
