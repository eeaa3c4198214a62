// The secret that signs and checks the server's tokens (jwt.h).
//
// Taken from the configuration ([auth] jwt_secret / TENANTDB_AUTH_JWT_SECRET) when one is
// given, so that several servers can share it. Otherwise generated on the first start as
// 32 random bytes and kept in <data dir>/jwt_secret (64 hex digits and a newline, mode
// 0600), then read back on every later start, so tokens survive restarts. Deleting the
// file (and restarting) invalidates every token issued so far.
//
// The file is written to a temporary name created with O_EXCL and mode 0600, fsynced,
// then linked into place with link(2), which, unlike rename, never replaces an existing
// file; the directory is fsynced last. A crash at any point leaves either no secret (the
// next start generates one) or the whole secret, never a truncated one; two processes
// starting at once end up with the same secret. An existing file that the group or
// others may read or write, or that another user owns, is refused: anyone who can read
// it can forge tokens for any user, and a secret file others could read may already have
// leaked (as ssh refuses a readable private key).
//
// Thread safety: call once at startup; the functions keep no state.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace tenantdb::server {

inline constexpr const char* kTokenSecretFileName = "jwt_secret";
inline constexpr size_t kGeneratedTokenSecretBytes = 32;

// The signing secret: `configured` when it is not empty (it must then have at least 32
// bytes: invalid_argument otherwise), else the one in `data_dir`/jwt_secret, created if
// missing. `data_dir` must exist. Errors: config_file_error for an existing file with
// unsafe permissions, another owner or contents that are not 64 hex digits (the message
// says what to do); io_error.
Result<std::string> LoadOrCreateTokenSecret(std::string_view configured,
                                            const std::string& data_dir);

}  // namespace tenantdb::server
