// PgConnection's TLS half (pg_connection.h): the handshake after 'S', reads and writes
// through the TlsChannel, and the streaming flush's TLS form.
#include <poll.h>

#include <boost/asio/error.hpp>
#include <cassert>
#include <chrono>

#include "server/pgwire/pg_connection.h"

namespace tenantdb::server::pgwire {

namespace net = boost::asio;
using Want = tls::TlsChannel::Want;

void PgConnection::WaitFor(Want want, std::function<void(const boost::system::error_code&)> next) {
  assert(want == Want::kRead || want == Want::kWrite);
  socket_.async_wait(
      want == Want::kRead ? net::ip::tcp::socket::wait_read : net::ip::tcp::socket::wait_write,
      std::move(next));
}

void PgConnection::StartTls() {
  boost::system::error_code ec;
  socket_.non_blocking(true, ec);
  tls::SslPtr ssl = ec ? nullptr : state_->tls->NewSession(socket_.native_handle());
  if (ssl == nullptr) {
    state_->log->warn("pgwire_tls_failed client={} error=\"{}\"", client_address_,
                      ec ? ec.message() : tls::TakeOpenSslErrors());
    Close();
    return;
  }
  tls_ = std::make_unique<tls::TlsChannel>(std::move(ssl));
  ContinueHandshake();
}

void PgConnection::ContinueHandshake() {
  if (phase_ == Phase::kClosed) return;
  const Want want = tls_->Handshake();
  if (want == Want::kNothing) {
    tls_ready_ = true;
    Read();
    return;
  }
  if (want == Want::kRead || want == Want::kWrite) {
    WaitFor(want, [self = shared_from_this()](const boost::system::error_code& ec) {
      if (ec) {
        self->Close();
        return;
      }
      self->ContinueHandshake();
    });
    return;
  }
  // A client that does not trust the certificate, or speaks no common version, ends
  // here: worth a line, not a warning.
  state_->log->info("pgwire_tls_handshake_failed client={} error=\"{}\"", client_address_,
                    tls_->error());
  Close();
}

void PgConnection::TlsRead() {
  // SSL_read may hand out bytes it decrypted earlier without touching the socket, so it
  // is asked first and the socket waited for only when it says so.
  const tls::TlsChannel::Io io = tls_->Read(read_buffer_.data(), read_buffer_.size());
  if (io.want == Want::kNothing) {
    OnRead({}, io.bytes);
    return;
  }
  if (io.want == Want::kRead || io.want == Want::kWrite) {
    WaitFor(io.want, [self = shared_from_this()](const boost::system::error_code& ec) {
      if (ec) {
        self->OnRead(ec, 0);
        return;
      }
      self->TlsRead();
    });
    return;
  }
  if (io.want == Want::kFailed) {
    state_->log->info("pgwire_tls_read_failed client={} error=\"{}\"", client_address_,
                      tls_->error());
  }
  OnRead(net::error::eof, 0);
}

void PgConnection::TlsWrite(size_t offset, bool close_after) {
  while (offset < out_.size()) {
    const tls::TlsChannel::Io io = tls_->Write(out_.data() + offset, out_.size() - offset);
    if (io.want == Want::kNothing) {
      offset += io.bytes;
      continue;
    }
    if (io.want == Want::kRead || io.want == Want::kWrite) {
      WaitFor(io.want, [self = shared_from_this(), offset,
                        close_after](const boost::system::error_code& ec) {
        if (ec) {
          self->OnWritten(ec, close_after);
          return;
        }
        self->TlsWrite(offset, close_after);
      });
      return;
    }
    OnWritten(net::error::broken_pipe, close_after);
    return;
  }
  OnWritten({}, close_after);
}

Status PgConnection::FlushTls(std::string* out) {
  const int fd = socket_.native_handle();
  const auto deadline = std::chrono::steady_clock::now() + state_->options.write_timeout;
  size_t written = 0;
  while (written < out->size()) {
    const tls::TlsChannel::Io io = tls_->Write(out->data() + written, out->size() - written);
    if (io.want == Want::kNothing) {
      written += io.bytes;
      continue;
    }
    if (io.want == Want::kRead || io.want == Want::kWrite) {
      if (terminating_.load() || std::chrono::steady_clock::now() >= deadline) {
        write_failed_ = true;
        return Status(ErrorCode::kIoError, "the client stopped reading the result");
      }
      pollfd p{fd, static_cast<short>(io.want == Want::kRead ? POLLIN : POLLOUT), 0};
      ::poll(&p, 1, 100);
      continue;
    }
    write_failed_ = true;
    return Status(ErrorCode::kIoError,
                  "writing to the client failed: " +
                      (io.want == Want::kClosed ? std::string("closed") : tls_->error()));
  }
  out->clear();
  return Status::Ok();
}

}  // namespace tenantdb::server::pgwire
