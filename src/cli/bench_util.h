// Small helpers shared by the `tenantdb bench ...` commands: a JSON line builder (every
// benchmark prints one JSON object as its last line), a Zipf sampler, timing and
// percentiles. Not thread-safe unless said otherwise.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace tenantdb::cli {

// Keeps the compiler from discarding a value a benchmark computes.
template <typename T>
inline void DoNotOptimize(const T& value) {
  asm volatile("" : : "r,m"(value) : "memory");
}

inline double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

inline int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Builds {"a":1,"b":"x"} in insertion order.
class JsonLine {
 public:
  JsonLine& Add(const std::string& key, double value) {
    char buf[64];
    if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15) {
      std::snprintf(buf, sizeof(buf), "%.0f", value);
    } else {
      std::snprintf(buf, sizeof(buf), "%.6g", value);
    }
    return Raw(key, buf);
  }
  JsonLine& Add(const std::string& key, const std::string& value) {
    return Raw(key, "\"" + value + "\"");
  }
  // A figure that could not be measured (e.g. a query that failed): null, never 0.
  JsonLine& AddNull(const std::string& key) { return Raw(key, "null"); }
  std::string str() const { return "{" + body_ + "}"; }
  void Print() const { std::printf("%s\n", str().c_str()); }

 private:
  JsonLine& Raw(const std::string& key, const std::string& value) {
    if (!body_.empty()) body_ += ",";
    body_ += "\"" + key + "\":" + value;
    return *this;
  }
  std::string body_;
};

// Draws ranks 0..n-1 with P(rank k) proportional to 1/(k+1)^s, by inverting the
// cumulative distribution (precomputed once; O(log n) per draw).
class ZipfSampler {
 public:
  ZipfSampler(size_t n, double s) : cdf_(n) {
    double sum = 0;
    for (size_t k = 0; k < n; ++k) {
      sum += 1.0 / std::pow(double(k + 1), s);
      cdf_[k] = sum;
    }
    for (double& c : cdf_)
      c /= sum;
  }
  template <typename Rng>
  size_t operator()(Rng& rng) const {
    double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
    return std::min<size_t>(std::lower_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin(),
                            cdf_.size() - 1);
  }

 private:
  std::vector<double> cdf_;
};

// The p-th percentile (0..100) of `samples` (reorders them).
inline double Percentile(std::vector<int64_t>& samples, double p) {
  if (samples.empty()) return 0;
  size_t k = std::min(samples.size() - 1, static_cast<size_t>(p / 100.0 * double(samples.size())));
  std::nth_element(samples.begin(), samples.begin() + static_cast<long>(k), samples.end());
  return double(samples[k]);
}

}  // namespace tenantdb::cli
