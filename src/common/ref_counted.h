// RefCounted<T> and RefPtr<T>: intrusive reference counting for immutable shared
// objects that exist by the million (catalog cache entries).
//
// Why not std::shared_ptr: its control block and 16-byte pointer cost ~24 bytes per
// object more than a 4-byte count inside the object and an 8-byte pointer, which is a
// fifth of the catalog's per-table budget. RefPtr is the only owner-facing handle; the
// one `delete` lives in Release().
//
// Thread safety: counts are atomic; RefPtr copies may be made and dropped on any thread.
// Limit: 2^32 - 1 references to one object.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <utility>

namespace tenantdb {

template <typename T>
class RefCounted {
 public:
  void AddRef() const { refs_.fetch_add(1, std::memory_order_relaxed); }
  // Drops one reference; destroys the object (as T) when it was the last.
  void Release() const {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      std::default_delete<const T>()(static_cast<const T*>(this));
    }
  }
  uint32_t ref_count_for_testing() const { return refs_.load(std::memory_order_relaxed); }

 protected:
  RefCounted() = default;
  ~RefCounted() = default;

 private:
  mutable std::atomic<uint32_t> refs_{0};
};

template <typename T>
class RefPtr {
 public:
  RefPtr() = default;
  RefPtr(std::nullptr_t) {}  // NOLINT: implicit like a raw null pointer
  // Takes a new reference to `p` (which may be null).
  explicit RefPtr(T* p) : p_(p) {
    if (p_) p_->AddRef();
  }
  // Adopts a freshly built object.
  explicit RefPtr(std::unique_ptr<T> p) : RefPtr(p.release()) {}
  template <typename U>
  RefPtr(const RefPtr<U>& other) : RefPtr(other.get()) {}  // NOLINT: upcast
  RefPtr(const RefPtr& other) : RefPtr(other.p_) {}
  RefPtr(RefPtr&& other) noexcept : p_(std::exchange(other.p_, nullptr)) {}
  RefPtr& operator=(RefPtr other) noexcept {
    std::swap(p_, other.p_);
    return *this;
  }
  ~RefPtr() {
    if (p_) p_->Release();
  }

  T* get() const { return p_; }
  T& operator*() const { return *p_; }
  T* operator->() const { return p_; }
  explicit operator bool() const { return p_ != nullptr; }
  friend bool operator==(const RefPtr& a, const RefPtr& b) { return a.p_ == b.p_; }

 private:
  T* p_ = nullptr;
};

template <typename T, typename... Args>
RefPtr<T> MakeRef(Args&&... args) {
  return RefPtr<T>(std::make_unique<T>(std::forward<Args>(args)...));
}

}  // namespace tenantdb
