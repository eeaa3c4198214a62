#include "common/stack_depth.h"

#include <pthread.h>

#include <cstdint>

namespace tenantdb {

namespace {

// The lowest address of the calling thread's stack (stacks grow down on every platform
// tenantdb builds for), 1 when unknown.
uintptr_t StackLimit() {
  thread_local uintptr_t limit = 0;
  if (limit != 0) return limit;
  limit = 1;
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    void* addr = nullptr;
    size_t size = 0;
    if (pthread_attr_getstack(&attr, &addr, &size) == 0 && addr != nullptr) {
      limit = reinterpret_cast<uintptr_t>(addr);
    }
    pthread_attr_destroy(&attr);
  }
  return limit;
}

}  // namespace

size_t StackBytesLeft() {
  const uintptr_t limit = StackLimit();
  if (limit == 1) return SIZE_MAX;
  const uintptr_t here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  return here > limit ? here - limit : 0;
}

}  // namespace tenantdb
