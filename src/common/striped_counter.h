// StripedCounter: an event counter that many threads bump without sharing a cache line.
//
// A single atomic counter bumped on every cache hit would make two cores trade its cache
// line on every lookup — the very contention the catalog cache is built to avoid. Each
// thread adds to its own stripe (threads are assigned stripes round robin); Read() sums
// the stripes: exact once writers are quiet, a moment's snapshot while they run.
//
// Thread safety: Add() and Read() may be called concurrently from any thread.
#pragma once

#include <atomic>
#include <cstdint>

namespace tenantdb {

class StripedCounter {
 public:
  static constexpr int kStripes = 16;

  void Add(uint64_t n = 1) {
    stripes_[ThreadStripe()].value.fetch_add(n, std::memory_order_relaxed);
  }
  uint64_t Read() const {
    uint64_t sum = 0;
    for (const auto& s : stripes_)
      sum += s.value.load(std::memory_order_relaxed);
    return sum;
  }
  void Reset() {
    for (auto& s : stripes_)
      s.value.store(0, std::memory_order_relaxed);
  }

 private:
  static int ThreadStripe() {
    static std::atomic<int> next{0};
    thread_local int stripe = next.fetch_add(1, std::memory_order_relaxed) % kStripes;
    return stripe;
  }
  struct alignas(64) Stripe {
    std::atomic<uint64_t> value{0};
  };
  Stripe stripes_[kStripes];
};

}  // namespace tenantdb
