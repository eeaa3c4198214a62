// Reads how many heap bytes the process has allocated right now, from the allocator
// itself: jemalloc's statistics when jemalloc is the process's malloc (the release binary
// links it), glibc's mallinfo2() otherwise, and the sanitizer allocator's own counter
// under AddressSanitizer (which replaces malloc, so neither would see anything).
//
// Memory figures in tests and benchmarks are deltas of this value around the work they
// measure. Thread safety: safe to call from any thread; the figure is process-wide. Cost:
// a few microseconds (jemalloc merges its per-arena statistics on each call).
#pragma once

#include <cstddef>

namespace tenantdb {

// Bytes currently handed out by malloc: in-use blocks rounded up to the allocator's size
// classes (under glibc including its per-chunk header), and mmapped large blocks. Under
// jemalloc the calling thread's cache of freed blocks is emptied first, so what it just
// freed does not count as in use.
size_t HeapBytesInUse();

// Returns freed memory to the OS where the allocator can; call before a measurement so
// earlier garbage does not blur it.
void TrimHeap();

// "jemalloc", "glibc" or "sanitizer": which allocator HeapBytesInUse reads.
const char* HeapAllocatorName();

}  // namespace tenantdb
