#include "server/auth/rate_limiter.h"

#include <absl/container/flat_hash_map.h>
#include <absl/strings/string_view.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <functional>
#include <mutex>
#include <vector>

namespace tenantdb::server {

namespace {

constexpr size_t kShards = 16;
// Refills are sums of floating-point fractions: 6 x (1/6 token) may come to 0.99999...
// A token short by less than this still counts.
constexpr double kEpsilon = 1e-9;

// Debian's abseil has its own string_view type, which its string maps look up by.
absl::string_view Key(std::string_view key) {
  return absl::string_view(key.data(), key.size());
}

struct Bucket {
  double tokens;
  int64_t updated_micros;  // monotonic time `tokens` was computed for
};

}  // namespace

struct RateLimiter::Shard {
  mutable std::mutex mu;
  absl::flat_hash_map<std::string, Bucket> buckets;  // guarded by mu
};

RateLimiter::RateLimiter(RateLimiterOptions options, const Clock* clock)
    : options_(options), clock_(clock), shards_(std::make_unique<Shard[]>(kShards)) {
  if (!(options_.rate_per_second > 0)) options_.rate_per_second = 1e-9;
  if (!(options_.burst >= 1)) options_.burst = 1;
  options_.max_keys = std::max<size_t>(options_.max_keys, 1);
  max_keys_per_shard_ = std::max<size_t>(1, (options_.max_keys + kShards - 1) / kShards);
}

RateLimiter::~RateLimiter() = default;

RateLimiter::Shard& RateLimiter::ShardFor(std::string_view key) const {
  // Not absl's hash: the shard's map uses that one, and keys sharing its low bits would
  // crowd its control bytes.
  return shards_[std::hash<std::string_view>{}(key) % kShards];
}

namespace {

// The bucket's tokens at `now`, refilled since its last update and capped at `burst`.
double Refilled(const Bucket& b, int64_t now, const RateLimiterOptions& o) {
  const double elapsed = static_cast<double>(std::max<int64_t>(0, now - b.updated_micros)) / 1e6;
  return std::min(o.burst, b.tokens + elapsed * o.rate_per_second);
}

// Makes room for one more key in a full shard: drops idle (full) buckets, and when none
// is idle, the oldest eighth. Called with the shard's mutex held.
void MakeRoom(absl::flat_hash_map<std::string, Bucket>* buckets, size_t max_keys, int64_t now,
              const RateLimiterOptions& o) {
  absl::erase_if(*buckets, [&](const auto& entry) {
    return Refilled(entry.second, now, o) + kEpsilon >= o.burst;
  });
  if (buckets->size() < max_keys) return;
  std::vector<int64_t> times;
  times.reserve(buckets->size());
  for (const auto& [key, bucket] : *buckets)
    times.push_back(bucket.updated_micros);
  const size_t evict = std::max<size_t>(1, buckets->size() / 8);
  std::nth_element(times.begin(), times.begin() + (evict - 1), times.end());
  const int64_t cutoff = times[evict - 1];
  size_t evicted = 0;
  absl::erase_if(*buckets, [&](const auto& entry) {
    if (evicted >= evict || entry.second.updated_micros > cutoff) return false;
    ++evicted;
    return true;
  });
  assert(buckets->size() < max_keys);
}

}  // namespace

RateLimiter::Decision RateLimiter::Acquire(std::string_view key, double cost) {
  const int64_t now = clock_->MonotonicMicros();
  Shard& shard = ShardFor(key);
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.buckets.find(Key(key));
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= max_keys_per_shard_) {
      MakeRoom(&shard.buckets, max_keys_per_shard_, now, options_);
    }
    it = shard.buckets.emplace(std::string(key), Bucket{options_.burst, now}).first;
  }
  Bucket& bucket = it->second;
  bucket.tokens = Refilled(bucket, now, options_);
  bucket.updated_micros = std::max(bucket.updated_micros, now);
  if (bucket.tokens + kEpsilon >= cost) {
    bucket.tokens = std::max(0.0, bucket.tokens - cost);
    return {true, 0};
  }
  const double wait_seconds = (cost - bucket.tokens) / options_.rate_per_second;
  const double wait_micros = std::ceil(wait_seconds * 1e6);
  // A cost above the burst can never be paid: say "a long time" rather than overflow.
  return {false, wait_micros >= 9e18 || cost > options_.burst
                     ? INT64_MAX
                     : std::max<int64_t>(1, static_cast<int64_t>(wait_micros))};
}

bool RateLimiter::WouldAllow(std::string_view key, double cost) const {
  const int64_t now = clock_->MonotonicMicros();
  Shard& shard = ShardFor(key);
  std::lock_guard<std::mutex> lock(shard.mu);
  const auto it = shard.buckets.find(Key(key));
  const double tokens =
      it == shard.buckets.end() ? options_.burst : Refilled(it->second, now, options_);
  return tokens + kEpsilon >= cost;
}

void RateLimiter::Reset(std::string_view key) {
  Shard& shard = ShardFor(key);
  std::lock_guard<std::mutex> lock(shard.mu);
  const auto it = shard.buckets.find(Key(key));
  if (it != shard.buckets.end()) shard.buckets.erase(it);
}

size_t RateLimiter::KeyCount() const {
  size_t n = 0;
  for (size_t i = 0; i < kShards; ++i) {
    std::lock_guard<std::mutex> lock(shards_[i].mu);
    n += shards_[i].buckets.size();
  }
  return n;
}

}  // namespace tenantdb::server
