#include "server/tls/tls_context.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <sys/socket.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <cerrno>
#include <cstdint>

namespace tenantdb::server::tls {

namespace {

// A BIO over a socket descriptor that writes with send(MSG_NOSIGNAL): OpenSSL's socket
// BIO writes with write(), which raises SIGPIPE (killing the process) when the client has
// already closed — e.g. the close_notify at the end of a connection the client dropped.
int SocketOf(BIO* bio) {
  return static_cast<int>(reinterpret_cast<intptr_t>(BIO_get_data(bio)));
}

int NoSigpipeWrite(BIO* bio, const char* data, int size) {
  BIO_clear_retry_flags(bio);
  const ssize_t n = ::send(SocketOf(bio), data, static_cast<size_t>(size), MSG_NOSIGNAL);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
    BIO_set_retry_write(bio);
  }
  return static_cast<int>(n);
}

int NoSigpipeRead(BIO* bio, char* data, int size) {
  BIO_clear_retry_flags(bio);
  const ssize_t n = ::recv(SocketOf(bio), data, static_cast<size_t>(size), 0);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
    BIO_set_retry_read(bio);
  }
  return static_cast<int>(n);
}

long NoSigpipeCtrl(BIO*, int command, long, void*) {
  // Writes are unbuffered: a flush has nothing to do; everything else is unsupported.
  return command == BIO_CTRL_FLUSH ? 1 : 0;
}

int NoSigpipeCreate(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

const BIO_METHOD* NoSigpipeSocketMethod() {
  static BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "tenantdb socket");
    if (m == nullptr) return m;
    BIO_meth_set_write(m, NoSigpipeWrite);
    BIO_meth_set_read(m, NoSigpipeRead);
    BIO_meth_set_ctrl(m, NoSigpipeCtrl);
    BIO_meth_set_create(m, NoSigpipeCreate);
    return m;
  }();  // never freed: used until exit
  return method;
}

}  // namespace

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
  const BIO_METHOD* method = NoSigpipeSocketMethod();
  if (ssl == nullptr || method == nullptr) return nullptr;
  BIO* bio = BIO_new(method);
  if (bio == nullptr) return nullptr;
  BIO_set_data(bio, reinterpret_cast<void*>(static_cast<intptr_t>(fd)));
  SSL_set_bio(ssl.get(), bio, bio);  // the SSL owns the BIO from here
  SSL_set_accept_state(ssl.get());
  return ssl;
}

}  // namespace tenantdb::server::tls
