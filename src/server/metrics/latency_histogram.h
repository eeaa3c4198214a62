// LatencyHistogram: request latencies counted lock-free in fixed buckets (the server's
// tenantdb_http_request_duration_seconds), snapshotted into the public
// HistogramSnapshot that PrometheusText writes.
//
// Record() is two relaxed atomic adds after a short scan of the bounds. The count is
// not stored but summed from the buckets, so a snapshot taken while others record has a
// count equal to its +Inf bucket (its sum may lag by an observation or two).
//
// Thread safety: Record() and Snapshot() from any thread at once.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

#include "tenantdb/stats.h"

namespace tenantdb::server {

class LatencyHistogram {
 public:
  // Seconds. From 100 µs (a point read over loopback) to a minute (a long statement).
  static constexpr std::array<double, 18> kBounds = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                     0.01,   0.025,   0.05,   0.1,   0.25,   0.5,
                                                     1,      2.5,     5,      10,    30,     60};

  void Record(std::chrono::microseconds latency) {
    const int64_t micros = latency.count() < 0 ? 0 : latency.count();
    const double seconds = static_cast<double>(micros) / 1e6;
    size_t bucket = 0;
    while (bucket < kBounds.size() && seconds > kBounds[bucket])
      ++bucket;
    counts_[bucket].fetch_add(1, std::memory_order_relaxed);
    sum_micros_.fetch_add(static_cast<uint64_t>(micros), std::memory_order_relaxed);
  }

  HistogramSnapshot Snapshot() const {
    HistogramSnapshot out;
    out.upper_bounds.assign(kBounds.begin(), kBounds.end());
    out.counts.resize(counts_.size());
    for (size_t i = 0; i < counts_.size(); ++i)
      out.counts[i] = counts_[i].load(std::memory_order_relaxed);
    out.sum_seconds = static_cast<double>(sum_micros_.load(std::memory_order_relaxed)) / 1e6;
    return out;
  }

 private:
  std::array<std::atomic<uint64_t>, kBounds.size() + 1> counts_{};
  std::atomic<uint64_t> sum_micros_{0};
};

}  // namespace tenantdb::server
