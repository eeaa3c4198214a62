// TlsContext: a server's TLS configuration — its certificate chain and private key,
// loaded once from PEM files — from which each accepted connection gets its TLS session
// (tls_channel.h). OpenSSL's SSL_CTX, with TLS 1.2 as the oldest version accepted and
// renegotiation off.
//
// Thread safety: immutable once loaded; NewSession() may be called from any thread.
// Ownership: sessions made from it keep the SSL_CTX alive (OpenSSL reference counts it).
// Cost: Load() reads and checks the files (milliseconds); NewSession() allocates one SSL.
#pragma once

#include <memory>
#include <string>

#include "tenantdb/status.h"

struct ssl_ctx_st;
struct ssl_st;

namespace tenantdb::server::tls {

struct SslDeleter {
  void operator()(ssl_st* ssl) const;
};
using SslPtr = std::unique_ptr<ssl_st, SslDeleter>;

class TlsContext {
 public:
  // Loads `cert_file` (the certificate, then any intermediates, PEM) and `key_file` (its
  // private key, PEM, unencrypted) and checks that they belong together. Errors
  // (kInvalidArgument) name the file and what OpenSSL said; `what` names the setting in
  // them (e.g. "[pgwire] ssl_cert_file").
  static Result<std::shared_ptr<TlsContext>> Load(const std::string& cert_file,
                                                  const std::string& key_file,
                                                  const std::string& what);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // A server-side session for a connection on descriptor `fd` (non-blocking), reading
  // and writing it with recv / send(MSG_NOSIGNAL), so a write to a client that has gone
  // fails with EPIPE instead of raising SIGPIPE; null only when OpenSSL cannot allocate.
  SslPtr NewSession(int fd) const;

 private:
  explicit TlsContext(ssl_ctx_st* ctx) : ctx_(ctx) {}
  ssl_ctx_st* ctx_;
};

// The last OpenSSL errors of this thread as text (and clears them); "unknown error" when
// there are none.
std::string TakeOpenSslErrors();

}  // namespace tenantdb::server::tls
