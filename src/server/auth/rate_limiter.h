// RateLimiter: a token bucket per key, for failed logins (keys "user:<name>" and
// "addr:<ip>", [auth] login_attempts_per_minute) and requests per user per second
// ([limits] requests_per_second_per_user).
//
// Each key's bucket holds up to `burst` tokens and refills at `rate_per_second`; an
// action costs one token (or `cost`) and is refused while the bucket holds less. A
// refused Acquire takes nothing and says when to retry (the HTTP layer's Retry-After).
//
// The key table is bounded (`max_keys`), because the keys come from clients: an attacker
// trying a million user names must not grow it without limit. A bucket that has refilled
// to `burst` is idle and says nothing a fresh bucket would not, so it is dropped first;
// only when every tracked key is still recovering are the longest-untouched ones evicted
// (an eighth of a shard at a time, so the cost stays amortized O(1) per new key). Eviction
// forgives those keys early: under such a flood, the per-address limit, not the per-user
// one, is what holds.
//
// Thread safety: every method may be called from any thread; keys are spread over
// shards, each with its own mutex. Cost: one hash and one short critical section per
// call; about 56 bytes per tracked key (a 48-byte slot at 7/8 load), plus a heap copy of
// keys longer than 15 bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "server/clock.h"

namespace tenantdb::server {

struct RateLimiterOptions {
  double rate_per_second = 1.0;  // tokens added per second (> 0)
  double burst = 1.0;            // bucket capacity, and what a new key starts with (>= 1)
  // Keys tracked at once (>= 1); split evenly over 16 shards, so rounded up to a
  // multiple of 16.
  size_t max_keys = 100'000;
};

class RateLimiter {
 public:
  struct Decision {
    bool allowed = false;
    // When refused: microseconds until the bucket holds enough (0 when allowed).
    int64_t retry_after_micros = 0;
  };

  // `clock` (its monotonic reading) must outlive the limiter. Options out of range are
  // clamped to the nearest allowed value.
  explicit RateLimiter(RateLimiterOptions options, const Clock* clock = &Clock::System());
  ~RateLimiter();
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Takes `cost` tokens from `key`'s bucket when it holds that many.
  Decision Acquire(std::string_view key, double cost = 1.0);
  // Whether `key` could take `cost` now, taking nothing (e.g. refuse a login before
  // paying for the password hash, then Acquire only when it fails).
  bool WouldAllow(std::string_view key, double cost = 1.0) const;
  // Forgets `key` (e.g. a successful login clears that user's failures).
  void Reset(std::string_view key);

  // Keys currently tracked (idle ones included until they are swept).
  size_t KeyCount() const;
  const RateLimiterOptions& options() const { return options_; }

 private:
  struct Shard;
  Shard& ShardFor(std::string_view key) const;

  RateLimiterOptions options_;
  const Clock* clock_;
  size_t max_keys_per_shard_;
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace tenantdb::server
