// TuneAllocator: glibc malloc settings for a process that runs queries. Called once at the
// start of main, before any thread starts.
//
// Why: a scan's batches hold a row group's column values (128K rows: a few MB per
// column), allocated and freed batch after batch. With glibc's defaults such blocks come
// from mmap, or from the heap top that free() trims back to the kernel at once, so every
// batch faults its pages in afresh — most of a TPC-H scan's time (Q6 at SF 0.1: 1.8 s
// against 0.5 s with the memory kept). Blocks up to kMmapThresholdBytes now come from the
// heap, and up to kTrimThresholdBytes of free heap top stays mapped for the next batch.
// The cost: RSS keeps up to that much freed memory after a large query (the peak is the
// same). No effect under jemalloc, the release binary's malloc (its freed pages stay
// mapped for dirty_decay_ms, 10 s by default, which serves the same purpose), nor under
// AddressSanitizer, whose allocator ignores mallopt.
#pragma once

#include <cstddef>

namespace tenantdb::cli {

inline constexpr size_t kMmapThresholdBytes = size_t{64} << 20;
inline constexpr size_t kTrimThresholdBytes = size_t{256} << 20;

void TuneAllocator();

}  // namespace tenantdb::cli
