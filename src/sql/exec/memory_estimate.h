// Byte estimates of what operators hold, for the statement's MemoryTracker: columnar
// data from ColumnVector capacities (string bytes included), hash containers from their
// slot capacity plus the heap bytes of their string keys. Estimates, not malloc truth —
// but they grow with exactly what an operator keeps, which is what a limit must see.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "types/batch.h"

namespace tenantdb::sql {

// Heap bytes of `batch`'s columns.
size_t BatchBytes(const Batch& batch);
size_t BatchesBytes(const std::vector<Batch>& batches);

// Heap bytes of a std::string key beyond the object itself (0 while it fits in SSO).
inline size_t StringHeapBytes(const std::string& s) {
  return s.capacity() > 15 ? s.capacity() + 1 : 0;
}

// Bytes of a Swiss-table (absl flat_hash_map/set) with `capacity` slots of `slot_bytes`:
// the slots plus one control byte each.
inline size_t HashSlotsBytes(size_t capacity, size_t slot_bytes) {
  return capacity * (slot_bytes + 1);
}

}  // namespace tenantdb::sql
