// JoinHashTable: the build side of a hash join (join.cc, semi_join.cc) — the rows of one
// batch by the values of their key columns. Each distinct key has one hash slot holding
// its first row; the rows sharing a key are chained through next_ (four bytes per row),
// so building over millions of rows allocates nothing per key. One integer-like key (the
// common join on an id or a date) is hashed as the value itself; any other key as its
// bytes (row_key.h). Rows with a NULL key are left out: they equal no row.
//
// A chain lists its rows in ascending order, so a join's output keeps the build side's
// row order within each probe row.
//
// Thread safety: Build once, then any number of concurrent const lookups.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/status.h"
#include "types/column_vector.h"

namespace tenantdb::sql {

class JoinHashTable {
 public:
  static constexpr uint32_t kEnd = UINT32_MAX;

  // Indexes `rows` rows by `keys` (columns of that length; none: every row has the same,
  // empty key); lookups will probe with columns of `probe_types`. `poll` runs every kCheckEveryRows
  // rows (cancellation and memory charging); its error stops the build.
  Status Build(const std::vector<const ColumnVector*>& keys, size_t rows,
               const std::vector<DataType>& probe_types, const std::function<Status()>& poll);

  // The first build row whose keys equal row `row` of `probe` (columns of the probe
  // types given to Build), or kEnd (none, or a NULL probe key). `scratch` holds key bytes.
  uint32_t Find(const std::vector<const ColumnVector*>& probe, size_t row,
                std::string* scratch) const;
  // The build row after `row` with the same keys, or kEnd.
  uint32_t Next(uint32_t row) const { return next_[row]; }

  // Heap bytes held (the hash slots, key bytes and the chain links).
  size_t MemoryBytes() const;

 private:
  bool integer_ = false;
  absl::flat_hash_map<int64_t, uint32_t> by_integer_;
  absl::flat_hash_map<std::string, uint32_t> by_bytes_;
  size_t key_heap_bytes_ = 0;
  std::vector<uint32_t> next_;
};

}  // namespace tenantdb::sql
