// Runs a function on a helper thread with a stack of a chosen size.
//
// libpg_query and protobuf-c walk parse trees recursively (serialize, unpack, free), so a
// statement such as `SELECT 1 + 1 + ... + 1` with 100,000 terms needs far more stack than a
// caller's thread has. The parser runs long statements through RunWithStack with a stack
// sized from their token count; the memory is reserved, and only touched pages are used.
//
// Thread safety: `fn` runs on another thread while the caller blocks; it must not rely on
// thread-local state of the caller.
#pragma once

#include <cstddef>
#include <functional>

#include "common/status.h"

namespace tenantdb::sql {

// Runs `fn` to completion on a new thread whose stack is `stack_bytes` (rounded up to the
// system minimum). Error internal_error when the thread cannot be created.
Status RunWithStack(size_t stack_bytes, const std::function<void()>& fn);

}  // namespace tenantdb::sql
