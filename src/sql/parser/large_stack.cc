#include "sql/parser/large_stack.h"

#include <pthread.h>

#include <climits>
#include <cstring>

namespace tenantdb::sql {

namespace {

void* Trampoline(void* arg) {
  (*static_cast<const std::function<void()>*>(arg))();
  return nullptr;
}

}  // namespace

Status RunWithStack(size_t stack_bytes, const std::function<void()>& fn) {
  pthread_attr_t attr;
  if (pthread_attr_init(&attr) != 0) {
    return Status(ErrorCode::kInternal, "cannot initialize thread attributes");
  }
  if (stack_bytes < static_cast<size_t>(PTHREAD_STACK_MIN)) {
    stack_bytes = static_cast<size_t>(PTHREAD_STACK_MIN);
  }
  int rc = pthread_attr_setstacksize(&attr, stack_bytes);
  pthread_t thread;
  if (rc == 0) {
    rc = pthread_create(&thread, &attr, &Trampoline,
                        const_cast<void*>(static_cast<const void*>(&fn)));
  }
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    return Status(ErrorCode::kInternal,
                  std::string("cannot start the parser thread: ") + std::strerror(rc));
  }
  pthread_join(thread, nullptr);
  return Status();
}

}  // namespace tenantdb::sql
