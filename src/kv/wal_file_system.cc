#include "kv/wal_file_system.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace tenantdb {

namespace {

rocksdb::IOStatus ErrnoStatus(const char* what, const std::string& fname, int err) {
  std::string message = std::string(what) + " " + fname + ": " + std::strerror(err);
  if (err == ENOSPC) return rocksdb::IOStatus::NoSpace(message);
  return rocksdb::IOStatus::IOError(message);
}

// Writes all of [data, data + n) at `offset`.
int WriteAt(int fd, const char* data, size_t n, uint64_t offset) {
  while (n > 0) {
    const ssize_t w = ::pwrite(fd, data, n, static_cast<off_t>(offset));
    if (w < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data += w;
    n -= static_cast<size_t>(w);
    offset += static_cast<uint64_t>(w);
  }
  return 0;
}

}  // namespace

bool IsWriteAheadLogName(const std::string& fname) {
  const size_t slash = fname.rfind('/');
  const std::string_view base =
      std::string_view(fname).substr(slash == std::string::npos ? 0 : slash + 1);
  constexpr std::string_view kSuffix = ".log";
  if (base.size() <= kSuffix.size() || base.substr(base.size() - kSuffix.size()) != kSuffix) {
    return false;
  }
  const std::string_view number = base.substr(0, base.size() - kSuffix.size());
  return std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// What the appender and the zeroing thread share. `end` is the log's length and
// `claimed` its length with the append in progress (only the appender moves them); zeros
// on disk fill what lies past `claimed` below `zeroed`; while `zeroing`, the thread
// writes [zero_from, zero_from + kZeroChunkBytes) and the appender may not write there.
struct WalFileSystem::LogState {
  LogState(int fd_in, std::string name_in) : fd(fd_in), name(std::move(name_in)) {}

  const int fd;
  const std::string name;
  std::mutex mu;
  std::condition_variable changed;
  uint64_t end = 0;
  uint64_t claimed = 0;
  uint64_t zeroed = 0;
  uint64_t zero_from = 0;
  bool zeroing = false;
  bool queued = false;
  bool closed = false;
  bool failed = false;  // a zero write failed (a full disk): the log just grows from then on

  // Whether zeros should be laid further ahead; the caller holds `mu`.
  bool WantsZeros() const {
    return !closed && !failed && !zeroing && !queued && end >= kZeroAheadAfter &&
           zeroed < end + kZeroAheadBytes;
  }
};

class ZeroAheadLogFile final : public rocksdb::FSWritableFile {
 public:
  ZeroAheadLogFile(WalFileSystem* fs, std::shared_ptr<WalFileSystem::LogState> state,
                   const rocksdb::FileOptions& options)
      : rocksdb::FSWritableFile(options), fs_(fs), state_(std::move(state)) {}
  ~ZeroAheadLogFile() override { (void)Close(rocksdb::IOOptions(), nullptr); }

  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions&,
                           rocksdb::IODebugContext*) override {
    WalFileSystem::LogState& s = *state_;
    uint64_t offset;
    {
      std::unique_lock<std::mutex> lock(s.mu);
      if (s.closed) return rocksdb::IOStatus::IOError("append to closed log " + s.name);
      s.changed.wait(lock, [&] { return !s.zeroing || s.end + data.size() <= s.zero_from; });
      offset = s.end;
      s.claimed = offset + data.size();
    }
    const int err = WriteAt(s.fd, data.data(), data.size(), offset);
    bool schedule = false;
    {
      std::lock_guard<std::mutex> lock(s.mu);
      if (err != 0) {
        s.claimed = s.end;
        return ErrnoStatus("appending to", s.name, err);
      }
      s.end = s.claimed;
      if (s.WantsZeros()) schedule = s.queued = true;
    }
    if (schedule) fs_->Schedule(state_);
    return rocksdb::IOStatus::OK();
  }

  rocksdb::IOStatus Truncate(uint64_t size, const rocksdb::IOOptions&,
                             rocksdb::IODebugContext*) override {
    WalFileSystem::LogState& s = *state_;
    std::unique_lock<std::mutex> lock(s.mu);
    s.changed.wait(lock, [&] { return !s.zeroing; });
    if (::ftruncate(s.fd, static_cast<off_t>(size)) != 0) {
      return ErrnoStatus("truncating", s.name, errno);
    }
    s.end = s.claimed = s.zeroed = size;
    return rocksdb::IOStatus::OK();
  }

  rocksdb::IOStatus Close(const rocksdb::IOOptions&, rocksdb::IODebugContext*) override {
    WalFileSystem::LogState& s = *state_;
    std::unique_lock<std::mutex> lock(s.mu);
    if (s.closed) return rocksdb::IOStatus::OK();
    s.closed = true;
    s.changed.wait(lock, [&] { return !s.zeroing; });
    rocksdb::IOStatus status;
    // The zeros past the last record are no longer needed: a closed log is never
    // appended to again.
    if (s.zeroed > s.end && ::ftruncate(s.fd, static_cast<off_t>(s.end)) != 0) {
      status = ErrnoStatus("truncating", s.name, errno);
    }
    if (::close(s.fd) != 0 && status.ok()) status = ErrnoStatus("closing", s.name, errno);
    return status;
  }

  rocksdb::IOStatus Flush(const rocksdb::IOOptions&, rocksdb::IODebugContext*) override {
    return rocksdb::IOStatus::OK();  // nothing is buffered here
  }
  rocksdb::IOStatus Sync(const rocksdb::IOOptions&, rocksdb::IODebugContext*) override {
    if (::fdatasync(state_->fd) != 0) return ErrnoStatus("syncing", state_->name, errno);
    return rocksdb::IOStatus::OK();
  }
  rocksdb::IOStatus Fsync(const rocksdb::IOOptions&, rocksdb::IODebugContext*) override {
    if (::fsync(state_->fd) != 0) return ErrnoStatus("syncing", state_->name, errno);
    return rocksdb::IOStatus::OK();
  }
  bool IsSyncThreadSafe() const override { return true; }
  uint64_t GetFileSize(const rocksdb::IOOptions&, rocksdb::IODebugContext*) override {
    std::lock_guard<std::mutex> lock(state_->mu);
    return state_->end;
  }

 private:
  WalFileSystem* fs_;
  std::shared_ptr<WalFileSystem::LogState> state_;
};

WalFileSystem::WalFileSystem(const std::shared_ptr<rocksdb::FileSystem>& target)
    : rocksdb::FileSystemWrapper(target), zeroer_([this] { ZeroLoop(); }) {}

WalFileSystem::~WalFileSystem() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  zeroer_.join();
}

rocksdb::IOStatus WalFileSystem::NewWritableFile(const std::string& fname,
                                                 const rocksdb::FileOptions& options,
                                                 std::unique_ptr<rocksdb::FSWritableFile>* result,
                                                 rocksdb::IODebugContext* dbg) {
  if (!IsWriteAheadLogName(fname) || options.use_direct_writes || options.use_mmap_writes) {
    return target()->NewWritableFile(fname, options, result, dbg);
  }
  const int fd = ::open(fname.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus("creating", fname, errno);
  *result =
      std::make_unique<ZeroAheadLogFile>(this, std::make_shared<LogState>(fd, fname), options);
  return rocksdb::IOStatus::OK();
}

uint64_t WalFileSystem::zero_chunks_written() const {
  std::lock_guard<std::mutex> lock(mu_);
  return zero_chunks_written_;
}

void WalFileSystem::Schedule(std::shared_ptr<LogState> log) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(log));
  }
  wake_.notify_one();
}

void WalFileSystem::ZeroLoop() {
  static const std::vector<char> kZeros(64 << 10, 0);
  while (true) {
    std::shared_ptr<LogState> log;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      log = std::move(queue_.front());
      queue_.pop_front();
    }
    LogState& s = *log;
    uint64_t from;
    {
      std::lock_guard<std::mutex> lock(s.mu);
      s.queued = false;
      if (s.closed || s.failed) continue;
      // Never below the log's end and the append in progress: those bytes are records.
      from = std::max(s.zeroed, s.claimed);
      s.zero_from = from;
      s.zeroing = true;
    }
    int err = 0;
    for (uint64_t at = from; err == 0 && at < from + kZeroChunkBytes; at += kZeros.size()) {
      err = WriteAt(s.fd, kZeros.data(), kZeros.size(), at);
    }
    // The zeros and the file's new size are on disk before the appender writes over them,
    // so its own syncs find nothing but data to write.
    if (err == 0 && ::fdatasync(s.fd) != 0) err = errno;
    bool again = false;
    {
      std::lock_guard<std::mutex> lock(s.mu);
      s.zeroing = false;
      if (err == 0) {
        s.zeroed = from + kZeroChunkBytes;
      } else {
        s.failed = true;
      }
      if (s.WantsZeros()) again = s.queued = true;
    }
    s.changed.notify_all();
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (err == 0) ++zero_chunks_written_;
      if (again) queue_.push_back(std::move(log));
    }
  }
}

}  // namespace tenantdb
