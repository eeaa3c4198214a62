#include "common/cancel_token.h"

#include "common/no_destructor.h"

namespace tenantdb {

CancelToken& CancelToken::Never() {
  static NoDestructor<CancelToken> never;
  return *never;
}

void CancelToken::Cancel() {
  uint8_t expected = 0;
  reason_.compare_exchange_strong(expected, static_cast<uint8_t>(Reason::kUser),
                                  std::memory_order_relaxed);
}

void CancelToken::SetTimeout(std::chrono::milliseconds timeout, const Clock& clock) {
  if (timeout.count() <= 0) return;
  clock_ = &clock;
  deadline_micros_ = clock.MonotonicMicros() +
                     std::chrono::duration_cast<std::chrono::microseconds>(timeout).count();
  has_deadline_ = true;
  // The first Check() reads the clock: a deadline already past fires at once.
  countdown_.store(1, std::memory_order_relaxed);
}

Status CancelToken::StatusFor(Reason reason) {
  switch (reason) {
    case Reason::kNone:
      return Status::Ok();
    case Reason::kUser:
      return Status(ErrorCode::kQueryCanceled, "canceling statement due to user request");
    case Reason::kTimeout:
      return Status(ErrorCode::kQueryCanceled, "canceling statement due to statement timeout");
  }
  return Status::Ok();
}

Status CancelToken::CheckClock() {
  // Several threads may land here at once; each re-arms the counter, which is harmless.
  countdown_.store(kClockEvery, std::memory_order_relaxed);
  if (clock_->MonotonicMicros() < deadline_micros_) return Status::Ok();
  uint8_t expected = 0;
  reason_.compare_exchange_strong(expected, static_cast<uint8_t>(Reason::kTimeout),
                                  std::memory_order_relaxed);
  return Fired();
}

}  // namespace tenantdb
