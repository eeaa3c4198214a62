// StorageCounters: what TableStore has done since it was made — flush jobs (one per
// TableStore::Flush call: count, failures, rows, bytes, durations) and compactions (cold
// directories rewritten) and secondary-index entries read — for Database::Stats() and
// tests.
//
// Thread safety: relaxed atomics (and a lock-free histogram); bumped by whichever thread
// flushes or compacts, read by any.
#pragma once

#include <atomic>
#include <cstdint>

#include "common/duration_histogram.h"

namespace tenantdb {

struct StorageCounters {
  std::atomic<uint64_t> flushes{0};         // finished, failed ones included
  std::atomic<uint64_t> flushes_failed{0};  // returned an error
  std::atomic<uint64_t> flushed_rows{0};    // FlushStats::rows of the successful ones
  std::atomic<uint64_t> flushed_bytes{0};   // FlushStats::bytes of the successful ones
  std::atomic<uint64_t> compactions{0};     // directories rewritten (CompactionStats)
  // Secondary-index entries read by IndexScan and OpenIndexScan, stale ones included.
  std::atomic<uint64_t> index_entries_read{0};
  // From a few milliseconds (a small user's file) to minutes (millions of rows).
  DurationHistogram flush_duration{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                   1,     2.5,  5,     10,   30,  60,   300};
};

}  // namespace tenantdb
