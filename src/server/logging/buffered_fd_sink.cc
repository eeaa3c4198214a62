#include "server/logging/buffered_fd_sink.h"

#include <unistd.h>

#include <cerrno>

namespace tenantdb::server {

BufferedFdSink::BufferedFdSink(int fd, size_t flush_bytes) : fd_(fd), flush_bytes_(flush_bytes) {
  buffer_.reserve(flush_bytes_);
}

BufferedFdSink::~BufferedFdSink() {
  std::lock_guard<std::mutex> lock(mutex_);
  WriteOut();
}

void BufferedFdSink::sink_it_(const spdlog::details::log_msg& msg) {
  spdlog::memory_buf_t formatted;
  formatter_->format(msg, formatted);
  buffer_.append(formatted.data(), formatted.size());
  if (buffer_.size() >= flush_bytes_) WriteOut();
}

void BufferedFdSink::flush_() {
  WriteOut();
}

void BufferedFdSink::WriteOut() {
  size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  buffer_.clear();
}

}  // namespace tenantdb::server
