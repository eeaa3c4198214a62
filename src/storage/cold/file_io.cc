#include "storage/cold/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tenantdb {

namespace {

constexpr size_t kWriteBufferBytes = 1 << 20;

// ENOSPC gets its own code: the caller can do nothing but free space and retry.
Status IoError(const std::string& what, const std::string& path, int err) {
  const ErrorCode code =
      err == ENOSPC || err == EDQUOT ? ErrorCode::kDiskFull : ErrorCode::kIoError;
  return Status(code, what + " " + path + ": " + std::strerror(err));
}

}  // namespace

Result<std::unique_ptr<WritableFile>> WritableFile::Create(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("cannot create", path, errno);
  return std::unique_ptr<WritableFile>(new WritableFile(path, fd));
}

WritableFile::~WritableFile() {
  if (fd_ >= 0) ::close(fd_);
}

Status WritableFile::Append(std::string_view data) {
  if (fd_ < 0) return Status(ErrorCode::kInternal, "write to closed file " + path_);
  size_ += data.size();
  buffer_.append(data);
  if (buffer_.size() >= kWriteBufferBytes) return Flush();
  return Status::Ok();
}

Status WritableFile::Flush() {
  size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot write", path_, errno);
    }
    done += static_cast<size_t>(n);
  }
  buffer_.clear();
  return Status::Ok();
}

Status WritableFile::Sync() {
  TDB_RETURN_IF_ERROR(Flush());
  if (::fsync(fd_) != 0) return IoError("cannot fsync", path_, errno);
  return Status::Ok();
}

Status WritableFile::Close() {
  if (fd_ < 0) return Status::Ok();
  Status s = Flush();
  if (::close(fd_) != 0 && s.ok()) s = IoError("cannot close", path_, errno);
  fd_ = -1;
  return s;
}

Result<std::unique_ptr<RandomAccessFile>> RandomAccessFile::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError("cannot open", path, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return IoError("cannot stat", path, err);
  }
  return std::unique_ptr<RandomAccessFile>(
      new RandomAccessFile(path, fd, static_cast<uint64_t>(st.st_size)));
}

RandomAccessFile::~RandomAccessFile() {
  ::close(fd_);
}

Status RandomAccessFile::ReadAt(uint64_t offset, size_t n, uint8_t* out) const {
  if (offset > size_ || n > size_ - offset) {
    return Status(ErrorCode::kCorruption, "Parquet file " + path_ + " is truncated: a read of " +
                                              std::to_string(n) + " bytes at offset " +
                                              std::to_string(offset) + " passes its end (" +
                                              std::to_string(size_) + " bytes)");
  }
  size_t done = 0;
  while (done < n) {
    ssize_t r = ::pread(fd_, out + done, n - done, static_cast<off_t>(offset + done));
    if (r < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot read", path_, errno);
    }
    if (r == 0)
      return Status(ErrorCode::kCorruption, "Parquet file " + path_ + " shrank while read");
    done += static_cast<size_t>(r);
  }
  return Status::Ok();
}

}  // namespace tenantdb
