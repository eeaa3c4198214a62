#include "server/auth/secure_random.h"

#include <openssl/err.h>
#include <openssl/rand.h>

#include <climits>

namespace tenantdb::server {

Result<std::string> SecureRandomBytes(size_t n) {
  if (n > static_cast<size_t>(INT_MAX))
    return Status(ErrorCode::kInvalidArgument, "too many random bytes requested");
  std::string bytes(n, '\0');
  if (n > 0 &&
      RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(n)) != 1) {
    return Status(ErrorCode::kInternal, "the random number generator failed (OpenSSL error " +
                                            std::to_string(ERR_get_error()) + ")");
  }
  return bytes;
}

}  // namespace tenantdb::server
