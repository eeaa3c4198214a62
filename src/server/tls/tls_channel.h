// TlsChannel: one connection's TLS session over its non-blocking socket descriptor. Each
// call does what it can without blocking and says what it waits for otherwise: the
// caller waits for the socket to be readable or writable (an Asio async_wait, or poll)
// and calls again with the same arguments.
//
// Thread safety: none; one thread at a time (a connection's strand, or the task that
// processes it while no I/O is pending). Ownership: owns the SSL session, not the
// descriptor. Cost: OpenSSL's; the handshake is the expensive step (one key exchange).
#pragma once

#include <cstddef>
#include <string>

#include "server/tls/tls_context.h"

namespace tenantdb::server::tls {

class TlsChannel {
 public:
  enum class Want {
    kNothing,  // done (Handshake) or bytes moved (Read / Write)
    kRead,     // call again once the socket is readable
    kWrite,    // call again once the socket is writable
    kClosed,   // the peer closed the session (close_notify or EOF)
    kFailed,   // a TLS or socket error: error() says which; the connection is unusable
  };
  struct Io {
    size_t bytes = 0;  // > 0 only with kNothing
    Want want = Want::kNothing;
  };

  explicit TlsChannel(SslPtr ssl) : ssl_(std::move(ssl)) {}

  Want Handshake();
  // Reads up to `size` decrypted bytes into `data`.
  Io Read(char* data, size_t size);
  // Writes up to `size` bytes of `data` (at least one when it returns kNothing).
  Io Write(const char* data, size_t size);
  // Sends close_notify if it can without waiting (best effort, before the socket closes).
  void Shutdown();

  // What failed (after kFailed).
  const std::string& error() const { return error_; }
  // The negotiated version and cipher, e.g. "TLSv1.3/TLS_AES_256_GCM_SHA384".
  std::string Description() const;

 private:
  // Maps an SSL_* call's result to what the caller does next.
  Want Classify(int result);

  SslPtr ssl_;
  std::string error_;
};

}  // namespace tenantdb::server::tls
