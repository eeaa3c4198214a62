// tenantdb/clock.h: the database's one source of time (public API), so a test can freeze
// or move it by hand — LevelDB's Env idea, for time only.
//
// Everything the database stamps or compares with time reads the Clock it was opened with
// (Database::Options::clock): now() / current_timestamp, the created time of namespaces,
// tables and files, row write times and STREAM tables' TTL, snowflake_id() and uuid_v7(),
// token revocation expiry, flush policies, job schedules and statement timeouts. The
// wall clock stamps; the monotonic clock measures intervals, and never jumps back when an
// administrator or NTP sets the time.
//
// Thread safety: every method may be called from any thread. Clock::System() lives for
// the whole process; any other clock must outlive everything it was handed to (for a
// Database: the Database and everything made from it).
#pragma once

#include <atomic>
#include <cstdint>

namespace tenantdb {

class Clock {
 public:
  virtual ~Clock() = default;
  // Microseconds since the Unix epoch (UTC).
  virtual int64_t NowUnixMicros() const = 0;
  // Microseconds since an arbitrary fixed point; never decreases.
  virtual int64_t MonotonicMicros() const = 0;

  int64_t NowUnixSeconds() const { return NowUnixMicros() / 1'000'000; }

  // The operating system's clocks (CLOCK_REALTIME and CLOCK_MONOTONIC).
  static const Clock& System();
};

// A clock that moves only when told: both readings start at the given values and
// Advance moves them together.
class ManualClock final : public Clock {
 public:
  // 2023-11-14T22:13:20Z by default.
  explicit ManualClock(int64_t unix_micros = 1'700'000'000'000'000, int64_t monotonic_micros = 0)
      : unix_micros_(unix_micros), monotonic_micros_(monotonic_micros) {}

  int64_t NowUnixMicros() const override { return unix_micros_.load(std::memory_order_relaxed); }
  int64_t MonotonicMicros() const override {
    return monotonic_micros_.load(std::memory_order_relaxed);
  }

  // `micros` >= 0: the monotonic clock never goes back.
  void Advance(int64_t micros) {
    unix_micros_.fetch_add(micros, std::memory_order_relaxed);
    monotonic_micros_.fetch_add(micros, std::memory_order_relaxed);
  }
  void AdvanceSeconds(int64_t seconds) { Advance(seconds * 1'000'000); }
  // Sets the wall clock only (a clock set back or forward by an administrator).
  void SetUnixMicros(int64_t micros) { unix_micros_.store(micros, std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> unix_micros_;
  std::atomic<int64_t> monotonic_micros_;
};

}  // namespace tenantdb
