#include "server/tls/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace tenantdb::server::tls {

void SslDeleter::operator()(SSL* ssl) const {
  SSL_free(ssl);
}

std::string TakeOpenSslErrors() {
  std::string text;
  while (const unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof(buffer));
    if (!text.empty()) text += "; ";
    text += buffer;
  }
  return text.empty() ? "unknown error" : text;
}

Result<std::shared_ptr<TlsContext>> TlsContext::Load(const std::string& cert_file,
                                                     const std::string& key_file,
                                                     const std::string& what) {
  ERR_clear_error();
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) {
    return Status(ErrorCode::kInternal, "cannot create a TLS context: " + TakeOpenSslErrors());
  }
  std::shared_ptr<TlsContext> context(new TlsContext(ctx));
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE |
                               SSL_OP_IGNORE_UNEXPECTED_EOF);
  // A write may be resumed with the same bytes at another address (the output buffer
  // grows between attempts) and may complete partially, as a socket's would.
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1) {
    return Status(
        ErrorCode::kInvalidArgument,
        "cannot use " + what + " '" + cert_file + "' as a PEM certificate: " + TakeOpenSslErrors());
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
      return Status(ErrorCode::kInvalidArgument, "the private key '" + key_file +
                                                     "' does not belong to the certificate '" +
                                                     cert_file + "': " + TakeOpenSslErrors());
    }
    return Status(ErrorCode::kInvalidArgument, "cannot use '" + key_file +
                                                   "' as the certificate's PEM private key "
                                                   "(unencrypted): " +
                                                   TakeOpenSslErrors());
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return Status(ErrorCode::kInvalidArgument, "the private key '" + key_file +
                                                   "' does not belong to the certificate '" +
                                                   cert_file + "': " + TakeOpenSslErrors());
  }
  return context;
}

TlsContext::~TlsContext() {
  SSL_CTX_free(ctx_);
}

SslPtr TlsContext::NewSession(int fd) const {
  SslPtr ssl(SSL_new(ctx_));
  if (ssl == nullptr) return nullptr;
  if (SSL_set_fd(ssl.get(), fd) != 1) return nullptr;
  SSL_set_accept_state(ssl.get());
  return ssl;
}

}  // namespace tenantdb::server::tls
