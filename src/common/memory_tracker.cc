#include "common/memory_tracker.h"

#include <unistd.h>

#include <cassert>
#include <cstdio>
#include <fstream>
#include <string>

#include "common/no_destructor.h"

namespace tenantdb {

namespace {

// "1.5MB"-style approximations for messages (the exact figure would only be noise).
std::string ApproxBytes(size_t bytes) {
  static constexpr const char* kUnits[] = {"B", "kB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof(text), unit == 0 ? "%.0f%s" : "%.1f%s", value, kUnits[unit]);
  return text;
}

}  // namespace

MemoryTracker::MemoryTracker(std::string name, size_t limit, MemoryTracker* parent,
                             std::string hint)
    : name_(std::move(name)), limit_(limit), parent_(parent), hint_(std::move(hint)) {}

MemoryTracker::~MemoryTracker() {
  const size_t left = used();
  assert(left == 0 && "a MemoryReservation outlived its tracker");
  if (left != 0 && parent_ != nullptr) parent_->Release(left);
}

MemoryTracker& MemoryTracker::Unlimited() {
  static NoDestructor<MemoryTracker> unlimited(std::string("unlimited"), size_t{0});
  return *unlimited;
}

Status MemoryTracker::Reserve(size_t bytes) {
  if (bytes == 0) return Status::Ok();
  size_t before = used_.load(std::memory_order_relaxed);
  if (limit_ == 0) {
    before = used_.fetch_add(bytes, std::memory_order_relaxed);
  } else {
    // A compare-and-swap, not add-then-undo: used() never shows more than the limit, so
    // a concurrent request is never refused for a charge that is about to be undone.
    do {
      if (bytes > limit_ || before > limit_ - bytes) return Exceeded(bytes, before);
    } while (!used_.compare_exchange_weak(before, before + bytes, std::memory_order_relaxed));
  }
  if (parent_ != nullptr) {
    if (Status s = parent_->Reserve(bytes); !s.ok()) {
      used_.fetch_sub(bytes, std::memory_order_relaxed);
      return s;
    }
  }
  const size_t now = before + bytes;
  size_t peak = peak_.load(std::memory_order_relaxed);
  while (now > peak && !peak_.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
  return Status::Ok();
}

void MemoryTracker::Release(size_t bytes) {
  if (bytes == 0) return;
  [[maybe_unused]] const size_t before = used_.fetch_sub(bytes, std::memory_order_relaxed);
  assert(before >= bytes && "released more than was reserved");
  if (parent_ != nullptr) parent_->Release(bytes);
}

Status MemoryTracker::Exceeded(size_t request, size_t held) const {
  std::string message = "out of memory: " + name_ + " (" + FormatMemorySetting(limit_) +
                        ") would be exceeded: " + ApproxBytes(held) + " held, " +
                        ApproxBytes(request) + " more requested";
  if (!hint_.empty()) message += "; " + hint_;
  return Status(ErrorCode::kOutOfMemory, std::move(message));
}

MemoryReservation::MemoryReservation(MemoryReservation&& other) noexcept
    : tracker_(other.tracker_), bytes_(other.bytes_) {
  other.bytes_ = 0;
}

MemoryReservation& MemoryReservation::operator=(MemoryReservation&& other) noexcept {
  if (this != &other) {
    Reset();
    tracker_ = other.tracker_;
    bytes_ = other.bytes_;
    other.bytes_ = 0;
  }
  return *this;
}

Status MemoryReservation::Resize(size_t bytes) {
  if (bytes > bytes_) {
    TDB_RETURN_IF_ERROR(tracker()->Reserve(bytes - bytes_));
  } else if (bytes < bytes_) {
    tracker()->Release(bytes_ - bytes);
  }
  bytes_ = bytes;
  return Status::Ok();
}

void MemoryReservation::Reset() {
  if (bytes_ == 0) return;
  tracker()->Release(bytes_);
  bytes_ = 0;
}

size_t PhysicalMemoryBytes() {
  static const size_t bytes = [] {
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long page_size = sysconf(_SC_PAGE_SIZE);
    size_t bytes = pages > 0 && page_size > 0
                       ? static_cast<size_t>(pages) * static_cast<size_t>(page_size)
                       : size_t{8} << 30;
    // A container's limit (cgroup v2, then v1) is what the kernel enforces on us.
    for (const char* path :
         {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
      std::ifstream in(path);
      unsigned long long limit = 0;
      if (in >> limit && limit > 0 && limit < bytes) {
        bytes = static_cast<size_t>(limit);
        break;
      }
    }
    return bytes;
  }();
  return bytes;
}

std::string FormatMemorySetting(size_t bytes) {
  static constexpr const char* kUnits[] = {"B", "kB", "MB", "GB", "TB"};
  size_t unit = 0;
  while (bytes != 0 && bytes % 1024 == 0 && unit + 1 < std::size(kUnits)) {
    bytes /= 1024;
    ++unit;
  }
  return std::to_string(bytes) + kUnits[unit];
}

}  // namespace tenantdb
