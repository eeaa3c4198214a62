// BufferedFdSink: an spdlog sink that collects formatted lines in memory and writes them
// to a file descriptor (stderr for `tenantdb serve`) in large writes.
//
// Why: the server logs one line per request. spdlog's stderr sink writes and flushes
// every line, so each request paid a write(2) under a lock every I/O thread shares. Here
// a line is an append to a buffer; the buffer goes out when it passes `flush_bytes`, when
// the logger flushes (the logger's flush_on level, e.g. every warning and error at once),
// or on a timer (spdlog::flush_every), so an idle server's last lines still appear within
// that period. Cost of the batching: after a kill -9, up to one period of info lines
// (never a warning or error) may be missing from the log.
//
// Thread safety: spdlog's base_sink serializes every call with its mutex. A write that
// fails (EPIPE, ENOSPC) drops that batch: logging never fails a request.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>

#include <spdlog/sinks/base_sink.h>

namespace tenantdb::server {

class BufferedFdSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  // `fd` stays owned by the caller and open while the sink lives.
  explicit BufferedFdSink(int fd, size_t flush_bytes = 64 * 1024);
  ~BufferedFdSink() override;

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
  void flush_() override;

 private:
  void WriteOut();

  const int fd_;
  const size_t flush_bytes_;
  std::string buffer_;
};

}  // namespace tenantdb::server
