// Cryptographically secure random bytes (OpenSSL's RAND_bytes, seeded from the
// kernel): salts, generated secrets, token ids.
//
// Thread safety: may be called from any thread (OpenSSL 3 locks its generator).
#pragma once

#include <cstddef>
#include <string>

#include "common/status.h"

namespace tenantdb::server {

// `n` random bytes. Fails (internal_error) only when OpenSSL cannot seed its generator;
// callers must not fall back to a weaker source.
Result<std::string> SecureRandomBytes(size_t n);

}  // namespace tenantdb::server
