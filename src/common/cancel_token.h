// CancelToken: the stop signal of one running statement — a cancel flag any thread may
// raise (EngineSession::Cancel, the shell's Ctrl-C, a closed cursor) and an optional deadline
// (statement_timeout). The executing thread polls Check() between batches and every few
// thousand rows inside long loops; once it fails the statement unwinds with
// query_canceled (SQLSTATE 57014), PostgreSQL's code and messages:
//   "canceling statement due to user request"       (Cancel())
//   "canceling statement due to statement timeout"  (the deadline passed)
//
// Cost: Check() is one relaxed atomic load while nothing happened; with a deadline it
// also decrements a counter and reads the monotonic clock (of the Clock given with the
// timeout: the database's) only every kClockEvery calls, so
// callers may poll it per batch without measuring. A token is never reset: a statement
// makes a new one, so a late Cancel() cannot leak into the next statement.
//
// Thread safety: Cancel(), cancelled() and Check() are safe from any thread; SetTimeout()
// must happen before the token is shared, and its Clock must outlive the token. Never() is a
// process-wide token nobody cancels, for contexts with no statement to stop.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "common/status.h"
#include "tenantdb/clock.h"

namespace tenantdb {

class CancelToken {
 public:
  // Check() reads the clock once per this many calls (when a deadline is set).
  static constexpr uint32_t kClockEvery = 32;

  enum class Reason : uint8_t { kNone = 0, kUser, kTimeout };

  CancelToken() = default;
  CancelToken(const CancelToken&) = delete;
  CancelToken& operator=(const CancelToken&) = delete;

  // A token that is never cancelled and has no deadline (shared; Cancel() on it is a bug).
  static CancelToken& Never();

  // The statement fails at its next Check() with "due to user request". Idempotent; a
  // timeout that fired first keeps its reason.
  void Cancel();

  // The statement fails once `timeout` has passed on `clock`'s monotonic reading, from
  // now; zero or negative: no deadline. Call before sharing the token.
  void SetTimeout(std::chrono::milliseconds timeout, const Clock& clock = Clock::System());

  // Why the token fired, or kNone.
  Reason reason() const { return static_cast<Reason>(reason_.load(std::memory_order_relaxed)); }
  bool cancelled() const { return reason() != Reason::kNone; }

  // OK, or query_canceled once the token fired (by Cancel() or the deadline).
  Status Check() {
    if (reason_.load(std::memory_order_relaxed) != 0) return Fired();
    if (has_deadline_ && countdown_.fetch_sub(1, std::memory_order_relaxed) <= 1) {
      return CheckClock();
    }
    return Status::Ok();
  }

  // The status a token that fired for `reason` reports.
  static Status StatusFor(Reason reason);

 private:
  Status Fired() const { return StatusFor(reason()); }
  Status CheckClock();

  std::atomic<uint8_t> reason_{0};
  bool has_deadline_ = false;
  const Clock* clock_ = nullptr;
  int64_t deadline_micros_ = 0;  // monotonic
  std::atomic<int32_t> countdown_{kClockEvery};
};

}  // namespace tenantdb
