// DurationHistogram: durations counted in fixed buckets, recorded lock-free, for the
// figures Database::Stats() reports (flush job durations).
//
// The buckets are fixed at construction (ascending upper bounds in seconds; a +Inf bucket
// follows). Record() is two relaxed atomic adds; Snapshot() reads every bucket. The total
// count is not stored: it is the sum of the buckets, so a snapshot taken while others
// record is consistent in count and buckets (the sum may lag them by an observation).
//
// Thread safety: Record() and Snapshot() may be called from any thread at once.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <vector>

#include "tenantdb/stats.h"

namespace tenantdb {

class DurationHistogram {
 public:
  explicit DurationHistogram(std::initializer_list<double> upper_bounds_seconds)
      : bounds_(upper_bounds_seconds),
        counts_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {}

  void Record(std::chrono::nanoseconds duration) {
    const double seconds = std::chrono::duration<double>(duration).count();
    size_t bucket = 0;
    while (bucket < bounds_.size() && seconds > bounds_[bucket])
      ++bucket;
    counts_[bucket].fetch_add(1, std::memory_order_relaxed);
    const auto ns = duration.count() < 0 ? 0 : static_cast<uint64_t>(duration.count());
    sum_nanos_.fetch_add(ns, std::memory_order_relaxed);
  }

  HistogramSnapshot Snapshot() const {
    HistogramSnapshot out;
    out.upper_bounds = bounds_;
    out.counts.resize(bounds_.size() + 1);
    for (size_t i = 0; i <= bounds_.size(); ++i)
      out.counts[i] = counts_[i].load(std::memory_order_relaxed);
    out.sum_seconds = static_cast<double>(sum_nanos_.load(std::memory_order_relaxed)) / 1e9;
    return out;
  }

 private:
  const std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;
  std::atomic<uint64_t> sum_nanos_{0};
};

}  // namespace tenantdb
