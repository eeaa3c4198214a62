// Clock::System() (include/tenantdb/clock.h): the one place tenantdb reads the operating
// system's clocks; everything else asks the Clock it was given.
#include "tenantdb/clock.h"

#include <chrono>

namespace tenantdb {

namespace {

class SystemClock final : public Clock {
 public:
  int64_t NowUnixMicros() const override {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  int64_t MonotonicMicros() const override {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace

const Clock& Clock::System() {
  // Trivially destructible state: safe to use from other static destructors.
  static const SystemClock clock;
  return clock;
}

}  // namespace tenantdb
