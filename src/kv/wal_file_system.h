// WalFileSystem: the RocksDB file system of a KvStore. Every file goes to the default
// (POSIX) file system, except that a write-ahead log is written over zeros laid down
// ahead of it.
//
// Why: a commit is acknowledged after fdatasync() of the log. When the log grows with
// each commit, every fdatasync() must also write the file's new size and block map (the
// inode), a second write to the disk; overwriting bytes the file already holds needs only
// the data. On ext4 that is ~35 µs of CPU and ~85 µs of waiting per sync instead of ~57
// and ~130. PostgreSQL does the same: its WAL segments are written full of zeros before
// use. fallocate() would not do: ext4 marks fallocated blocks unwritten, and the first
// write to each turns it written, a metadata change again.
//
// How: once a log passes kZeroAheadAfter bytes, a background thread keeps
// [end, end + kZeroAheadBytes) written with zeros and synced, in kZeroChunkBytes steps.
// The writer never writes where zeros are being written (it waits, which the lead
// avoids in practice), and zeros are never written below the log's end. A crash leaves
// zeros after the last record; RocksDB's log reader skips zero blocks as padding, so
// recovery reads exactly what it read before. A closed log is truncated to its records.
//
// Thread safety: RocksDB's contract for FileSystem (any thread) and FSWritableFile (one
// appender; Sync() from any thread: IsSyncThreadSafe()).
#pragma once

#include <rocksdb/file_system.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace tenantdb {

class WalFileSystem : public rocksdb::FileSystemWrapper {
 public:
  // Zeroing starts once a log holds this much: a database that writes little (a test, a
  // shell session) never writes a byte of zeros.
  static constexpr uint64_t kZeroAheadAfter = 256 << 10;
  // How far past the log's end zeros are kept, and the step they are written in.
  static constexpr uint64_t kZeroAheadBytes = 1 << 20;
  static constexpr uint64_t kZeroChunkBytes = 1 << 20;

  explicit WalFileSystem(const std::shared_ptr<rocksdb::FileSystem>& target);
  ~WalFileSystem() override;
  WalFileSystem(const WalFileSystem&) = delete;
  WalFileSystem& operator=(const WalFileSystem&) = delete;

  static const char* kClassName() { return "TenantdbWalFileSystem"; }
  const char* Name() const override { return kClassName(); }

  rocksdb::IOStatus NewWritableFile(const std::string& fname, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* dbg) override;

  // Zero chunks written so far (for tests and statistics).
  uint64_t zero_chunks_written() const;

  // The log file's state shared with the zeroing thread (wal_file_system.cc).
  struct LogState;

 private:
  void Schedule(std::shared_ptr<LogState> log);
  void ZeroLoop();

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<LogState>> queue_;
  bool stopping_ = false;
  uint64_t zero_chunks_written_ = 0;
  std::thread zeroer_;  // last: started once everything above exists

  friend class ZeroAheadLogFile;
};

// True for the name of a RocksDB write-ahead log ("<digits>.log", any directory).
bool IsWriteAheadLogName(const std::string& fname);

}  // namespace tenantdb
