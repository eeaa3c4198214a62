// How much of the calling thread's stack is left: the guard of recursive walks over trees
// a client shapes (parsed SQL, bound expressions), next to their depth counters.
//
// A depth limit alone is not enough: a frame's size depends on the build (an unoptimized
// sanitizer build's frames are ten times a release build's), so a limit safe in one build
// overflows in another. Like PostgreSQL's check_stack_depth, the walk also asks how many
// bytes remain and refuses to go deeper when few do.
//
// Thread safety: per thread (the bounds are read once per thread, with pthread_getattr_np).
// Cost: a thread-local read and a subtraction after the first call on a thread.
#pragma once

#include <cstddef>

namespace tenantdb {

// Bytes between the caller's frame and the end of its thread's stack; SIZE_MAX when the
// thread's stack bounds cannot be read.
size_t StackBytesLeft();

// Whether fewer than `reserve` bytes of stack remain: a walk that gets true stops with an
// error instead of recursing.
inline bool StackNearlyExhausted(size_t reserve = size_t{256} << 10) {
  return StackBytesLeft() < reserve;
}

}  // namespace tenantdb
