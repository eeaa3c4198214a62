// MemoryTracker: hierarchical byte accounting with limits — the Engine's global
// tracker (global_mem, across every running statement) and one child per statement
// (statement_mem). Operators that hold rows (sort, hash aggregate, hash-join build,
// DISTINCT, materialized results) charge what they hold through a MemoryReservation;
// a charge that would pass a limit fails with out_of_memory (SQLSTATE 53200) and a
// message naming the limit hit and how to raise it, and nothing stays charged.
//
// Reserve() charges the tracker and then each ancestor; if any refuses, the ones already
// charged are released, so the counters never drift. A tracker must outlive its
// children and every reservation on it; destroying a tracker that still has bytes
// charged is a bug (asserted), and what is left is released from the ancestors.
//
// The figures are what operators report (estimated from Batch / ColumnVector capacities
// and hash-table sizes), not what malloc sees: a budget for the big holders, not a
// process RSS limit.
//
// Cost: Reserve/Release are a few relaxed atomic operations per level; reservations are
// meant to be resized per batch or per few thousand rows, not per row.
// Thread safety: every member is safe from any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <string>

#include "common/status.h"

namespace tenantdb {

class MemoryTracker {
 public:
  // `name` is the limit as a user knows it ("statement_mem"); `limit` 0 is unlimited;
  // `hint` ends the error message and says how to raise the limit ("raise it with SET
  // statement_mem = '1GB'"). `parent` (may be null) must outlive this tracker.
  MemoryTracker(std::string name, size_t limit, MemoryTracker* parent = nullptr,
                std::string hint = "");
  ~MemoryTracker();
  MemoryTracker(const MemoryTracker&) = delete;
  MemoryTracker& operator=(const MemoryTracker&) = delete;

  // A process-wide tracker with no limit, for contexts that have no statement budget.
  static MemoryTracker& Unlimited();

  // Charges `bytes` here and in every ancestor. Errors: out_of_memory when this tracker
  // or an ancestor would pass its limit (nothing is charged then).
  Status Reserve(size_t bytes);
  // Returns `bytes` charged earlier by Reserve.
  void Release(size_t bytes);

  size_t used() const { return used_.load(std::memory_order_relaxed); }
  // The highest `used()` seen.
  size_t peak() const { return peak_.load(std::memory_order_relaxed); }
  size_t limit() const { return limit_; }
  const std::string& name() const { return name_; }
  MemoryTracker* parent() const { return parent_; }

 private:
  Status Exceeded(size_t request, size_t held) const;

  const std::string name_;
  const size_t limit_;
  MemoryTracker* const parent_;
  const std::string hint_;
  std::atomic<size_t> used_{0};
  std::atomic<size_t> peak_{0};
};

// The bytes one holder has charged to a tracker, released when it is destroyed (or
// Reset). Resize() moves the charge to a new total: holders recompute what they hold
// and call it, so estimates never accumulate error. Movable, not copyable.
// Thread safety: one holder, one thread (the tracker below it is thread-safe).
class MemoryReservation {
 public:
  MemoryReservation() = default;  // charges MemoryTracker::Unlimited()
  explicit MemoryReservation(MemoryTracker* tracker) : tracker_(tracker) {}
  ~MemoryReservation() { Reset(); }
  MemoryReservation(MemoryReservation&& other) noexcept;
  MemoryReservation& operator=(MemoryReservation&& other) noexcept;
  MemoryReservation(const MemoryReservation&) = delete;
  MemoryReservation& operator=(const MemoryReservation&) = delete;

  // Charges (or releases) the difference to `bytes` in total. Errors: out_of_memory,
  // and the reservation keeps its previous total.
  Status Resize(size_t bytes);
  // Adds `bytes` to the total.
  Status Grow(size_t bytes) { return Resize(bytes_ + bytes); }
  // Releases everything.
  void Reset();
  size_t bytes() const { return bytes_; }

 private:
  MemoryTracker* tracker() const { return tracker_ ? tracker_ : &MemoryTracker::Unlimited(); }

  MemoryTracker* tracker_ = nullptr;
  size_t bytes_ = 0;
};

// Physical memory available to this process: the machine's RAM, or the cgroup's memory
// limit when one is set and lower. The base of statement_mem's and global_mem's defaults.
size_t PhysicalMemoryBytes();

// `bytes` in PostgreSQL's setting syntax, exact: the largest unit that divides it
// ("256MB", "1GB", "64kB", "1500B").
std::string FormatMemorySetting(size_t bytes);

}  // namespace tenantdb
