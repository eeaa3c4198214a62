// NoDestructor<T>: a T built in place on first use and never destroyed.
//
// For process-wide singletons that objects with static storage duration may still use
// while the program exits (the symbol table must outlive every static Symbol). Usage:
//   static NoDestructor<Foo> foo(args...);  foo->Bar();
// Thread safety: as the T; construction is protected by the usual static-init guard.
#pragma once

#include <new>
#include <utility>

namespace tenantdb {

template <typename T>
class NoDestructor {
 public:
  template <typename... Args>
  explicit NoDestructor(Args&&... args) {
    ::new (static_cast<void*>(storage_)) T(std::forward<Args>(args)...);
  }
  NoDestructor(const NoDestructor&) = delete;
  NoDestructor& operator=(const NoDestructor&) = delete;

  T* get() { return std::launder(reinterpret_cast<T*>(storage_)); }
  T* operator->() { return get(); }
  T& operator*() { return *get(); }

 private:
  alignas(T) unsigned char storage_[sizeof(T)];
};

}  // namespace tenantdb
