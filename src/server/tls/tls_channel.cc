#include "server/tls/tls_channel.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

namespace tenantdb::server::tls {

TlsChannel::Want TlsChannel::Classify(int result) {
  switch (SSL_get_error(ssl_.get(), result)) {
    case SSL_ERROR_NONE:
      return Want::kNothing;
    case SSL_ERROR_WANT_READ:
      return Want::kRead;
    case SSL_ERROR_WANT_WRITE:
      return Want::kWrite;
    case SSL_ERROR_ZERO_RETURN:
      return Want::kClosed;
    case SSL_ERROR_SYSCALL: {
      const int err = errno;
      const std::string queued = TakeOpenSslErrors();
      if (err == 0 && queued == "unknown error") return Want::kClosed;  // EOF without notify
      error_ = err != 0 ? std::string(std::strerror(err)) : queued;
      return Want::kFailed;
    }
    default:
      error_ = TakeOpenSslErrors();
      return Want::kFailed;
  }
}

TlsChannel::Want TlsChannel::Handshake() {
  ERR_clear_error();
  errno = 0;
  const int result = SSL_do_handshake(ssl_.get());
  if (result == 1) return Want::kNothing;
  const Want want = Classify(result);
  // EOF in the middle of a handshake is a failure, not a clean close.
  if (want == Want::kClosed) {
    error_ = "the client closed the connection during the TLS handshake";
    return Want::kFailed;
  }
  return want;
}

TlsChannel::Io TlsChannel::Read(char* data, size_t size) {
  ERR_clear_error();
  errno = 0;
  const int n = SSL_read(ssl_.get(), data, static_cast<int>(std::min<size_t>(size, INT_MAX)));
  if (n > 0) return {static_cast<size_t>(n), Want::kNothing};
  return {0, Classify(n)};
}

TlsChannel::Io TlsChannel::Write(const char* data, size_t size) {
  ERR_clear_error();
  errno = 0;
  const int n = SSL_write(ssl_.get(), data, static_cast<int>(std::min<size_t>(size, INT_MAX)));
  if (n > 0) return {static_cast<size_t>(n), Want::kNothing};
  return {0, Classify(n)};
}

void TlsChannel::Shutdown() {
  ERR_clear_error();
  if (SSL_is_init_finished(ssl_.get())) SSL_shutdown(ssl_.get());
  ERR_clear_error();
}

std::string TlsChannel::Description() const {
  const char* cipher = SSL_get_cipher_name(ssl_.get());
  return std::string(SSL_get_version(ssl_.get())) + "/" + (cipher != nullptr ? cipher : "");
}

}  // namespace tenantdb::server::tls
