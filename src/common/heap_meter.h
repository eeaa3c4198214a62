// Reads how many heap bytes the process has allocated right now, from the allocator
// itself: glibc's mallinfo2() in normal builds, the sanitizer allocator's own counter
// under AddressSanitizer (which replaces malloc, so mallinfo2 would see nothing).
//
// Memory figures in tests and benchmarks are deltas of this value around the work they
// measure. Thread safety: safe to call from any thread; the figure is process-wide.
#pragma once

#include <cstddef>

namespace tenantdb {

// Bytes currently handed out by malloc (in-use chunks, including malloc's per-chunk
// overhead, and mmapped large blocks).
size_t HeapBytesInUse();

// Returns freed memory at the top of the heap to the OS where the allocator can; call
// before a measurement so earlier garbage does not blur it.
void TrimHeap();

}  // namespace tenantdb
