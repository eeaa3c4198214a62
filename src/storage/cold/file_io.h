// Minimal POSIX file wrappers for the Parquet writer and reader: an append-only
// WritableFile (buffered, explicit Sync) and a RandomAccessFile (pread).
//
// Both own their file descriptor and close it in the destructor. Errors are kIoError
// with the path and strerror text.
//
// Thread safety: WritableFile is not synchronized. RandomAccessFile::ReadAt is safe from
// several threads at once (pread has no shared file position).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tenantdb {

class WritableFile {
 public:
  // Creates or truncates `path`.
  static Result<std::unique_ptr<WritableFile>> Create(const std::string& path);
  ~WritableFile();
  WritableFile(const WritableFile&) = delete;
  WritableFile& operator=(const WritableFile&) = delete;

  Status Append(std::string_view data);
  // Writes buffered bytes to the kernel.
  Status Flush();
  // Flush + fsync: the bytes are durable once this returns OK.
  Status Sync();
  // Flush and close (no fsync). Idempotent.
  Status Close();
  // Bytes appended so far (buffered or not).
  uint64_t size() const { return size_; }

 private:
  WritableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_;
  uint64_t size_ = 0;
  std::string buffer_;
};

class RandomAccessFile {
 public:
  static Result<std::unique_ptr<RandomAccessFile>> Open(const std::string& path);
  ~RandomAccessFile();
  RandomAccessFile(const RandomAccessFile&) = delete;
  RandomAccessFile& operator=(const RandomAccessFile&) = delete;

  uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }
  // Reads exactly n bytes at `offset` into out; kCorruption if the file is shorter.
  Status ReadAt(uint64_t offset, size_t n, uint8_t* out) const;

 private:
  RandomAccessFile(std::string path, int fd, uint64_t size)
      : path_(std::move(path)), fd_(fd), size_(size) {}
  std::string path_;
  int fd_;
  uint64_t size_;
};

}  // namespace tenantdb
