#include "kv/kv_store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/listener.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <vector>

#include "kv/wal_file_system.h"

namespace tenantdb {

namespace {

bool IsNoSpace(const rocksdb::Status& s) {
  // Some RocksDB paths report ENOSPC without the NoSpace subcode; the text is errno's.
  return s.IsNoSpace() || s.ToString().find("No space left on device") != std::string::npos;
}

// Bytes an unprivileged writer may still allocate on the file system of `path`.
uint64_t FreeBytes(const std::string& path) {
  struct statvfs st;
  if (::statvfs(path.c_str(), &st) != 0) return 0;
  return static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
}

// The WAL-switch marker. After a failed append, RocksDB's log writer is poisoned (the
// next append asserts), and Resume() replaces it only as a side effect of flushing a
// non-empty memtable. A write that fails right after an open (or after a flush emptied
// every memtable) would leave nothing to flush, and the first write after Resume()
// would abort the process. So the otherwise unused default family always holds this one
// key, written without the log (it needs no durability: it means nothing).
constexpr std::string_view kWalSwitchMarker = "tenantdb.wal-switch-marker";

// Resume() flushes every memtable to a new file and opens a new write-ahead log; below
// this much free space it would only fail again (and an attempt costs a flush).
constexpr uint64_t kResumeMinFreeBytes = 1 << 20;
// A Resume() that failed for another reason is not retried sooner than this.
constexpr int64_t kResumeRetryIntervalMicros = 250'000;

Status DiskFull(const std::string& directory, std::string_view detail) {
  return Status(ErrorCode::kDiskFull,
                "the disk holding data directory " + directory + " is full (" +
                    std::to_string(FreeBytes(directory) >> 10) +
                    " KiB free); writes fail until space is freed, reads still work. " +
                    std::string(detail));
}

// RocksDB's info log, written by us: RocksDB's own file logger asserts (Debian builds
// it with assertions on) on the line after one it failed to write, which on a full disk
// aborted the process. This one drops what it cannot write. It keeps the previous run's
// file as LOG.old and starts a new file past kMaxBytes, as RocksDB's does.
class InfoLog : public rocksdb::Logger {
 public:
  // An empty `path` discards every line (read-only opens write nothing).
  explicit InfoLog(std::string path) : path_(std::move(path)) {
    if (path_.empty()) return;
    std::error_code ec;
    if (std::filesystem::exists(path_, ec)) std::filesystem::rename(path_, path_ + ".old", ec);
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  }
  ~InfoLog() override {
    if (fd_ >= 0) ::close(fd_);
  }

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    char line[4096];
    // The operator's time, not the database's: a log is read next to the system's other
    // logs, so a test clock must not move it.
    const int64_t now = Clock::System().NowUnixMicros();
    const std::time_t seconds = static_cast<std::time_t>(now / 1'000'000);
    const long micros = static_cast<long>(now % 1'000'000);
    std::tm tm;
    ::localtime_r(&seconds, &tm);
    int n =
        std::snprintf(line, sizeof(line), "%04d/%02d/%02d-%02d:%02d:%02d.%06ld ", tm.tm_year + 1900,
                      tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, micros);
    if (n < 0) return;
    const int body =
        std::vsnprintf(line + n, sizeof(line) - static_cast<size_t>(n) - 1, format, ap);
    if (body < 0) return;
    size_t size = std::min(sizeof(line) - 2, static_cast<size_t>(n) + static_cast<size_t>(body));
    if (size == 0 || line[size - 1] != '\n') line[size++] = '\n';
    std::lock_guard<std::mutex> lock(mu_);
    if (fd_ < 0) return;
    if (written_ + size > kMaxBytes) Rotate();
    if (::write(fd_, line, size) == static_cast<ssize_t>(size)) written_ += size;
  }

 private:
  static constexpr uint64_t kMaxBytes = 64 << 20;
  void Rotate() {
    std::error_code ec;
    std::filesystem::rename(path_, path_ + ".old", ec);
    ::close(fd_);
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    written_ = 0;
  }
  std::string path_;
  std::mutex mu_;
  int fd_ = -1;
  uint64_t written_ = 0;
};

// Records background errors (a flush or compaction that hit a full disk) so the store
// knows it is stopped, and turns RocksDB's automatic recovery off: recovery runs when a
// writer asks for it (KvStore::TryResume), so RocksDB never writes on its own after an
// error, and a manual Resume() is never refused as "recovery in progress".
class ErrorListener : public rocksdb::EventListener {
 public:
  ErrorListener(std::string directory, std::shared_ptr<KvStore::ErrorState> state)
      : directory_(std::move(directory)), state_(std::move(state)) {}
  void OnBackgroundError(rocksdb::BackgroundErrorReason, rocksdb::Status* error) override {
    if (error == nullptr || error->ok()) return;
    state_->Stop(IsNoSpace(*error) ? DiskFull(directory_, "(" + error->ToString() + ")")
                                   : FromRocksStatus(*error, "RocksDB background error"));
  }
  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason, rocksdb::Status,
                            bool* auto_recovery) override {
    *auto_recovery = false;
  }
  void OnMemTableSealed(const rocksdb::MemTableInfo& info) override {
    if (info.cf_name == rocksdb::kDefaultColumnFamilyName) state_->marker_needed.store(true);
  }

 private:
  std::string directory_;
  std::shared_ptr<KvStore::ErrorState> state_;
};

// Whether files can be created in `directory`. As root, permission bits never say no,
// so this tries rather than reads the mode.
Status ProbeWritable(const std::string& directory) {
  const std::string probe = directory + "/.tenantdb-write-probe-" + std::to_string(::getpid());
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    const int err = errno;
    if (err == EROFS || err == EACCES || err == EPERM) {
      return Status(ErrorCode::kReadOnly, "database " + directory +
                                              " is open read-only (its directory cannot be "
                                              "written: " +
                                              std::strerror(err) + "); writes are refused");
    }
    if (err == ENOSPC || err == EDQUOT) return Status::Ok();  // full, not read-only: see Open
    return Status(ErrorCode::kIoError, "cannot create a file in data directory " + directory +
                                           ": " + std::strerror(err));
  }
  ::close(fd);
  ::unlink(probe.c_str());
  return Status::Ok();
}

}  // namespace

Status FromRocksStatus(const rocksdb::Status& s, std::string_view context) {
  if (s.ok()) return Status::Ok();
  ErrorCode code = ErrorCode::kIoError;
  if (IsNoSpace(s)) code = ErrorCode::kDiskFull;
  if (s.IsCorruption()) code = ErrorCode::kCorruption;
  if (s.IsInvalidArgument() || s.IsNotSupported()) code = ErrorCode::kInternal;
  return Status(code, std::string(context) + ": " + s.ToString());
}

void KvStore::ErrorState::Stop(Status why) {
  std::lock_guard<std::mutex> lock(mu);
  error = std::move(why);
  stopped.store(true, std::memory_order_release);
}

Result<std::unique_ptr<KvStore>> KvStore::Open(const std::string& directory, Options options) {
  std::error_code ec;
  const bool create = options.create_if_missing && !options.read_only;
  if (create) std::filesystem::create_directories(directory, ec);
  if (ec) {
    return Status(ec.value() == ENOSPC ? ErrorCode::kDiskFull : ErrorCode::kIoError,
                  "cannot create data directory " + directory + ": " + ec.message());
  }
  auto store = std::make_unique<KvStore>(PrivateTag{});
  store->directory_ = directory;
  store->sync_writes_ = options.sync_writes;
  store->clock_ = options.clock;
  if (options.read_only) {
    store->read_only_reason_ = Status(
        ErrorCode::kReadOnly, "database " + directory + " is open read-only; writes are refused");
  } else if (std::filesystem::is_directory(directory, ec)) {
    store->read_only_reason_ = ProbeWritable(directory);
    if (store->read_only_reason_.code() == ErrorCode::kIoError) return store->read_only_reason_;
  }
  TDB_ASSIGN_OR_RETURN(store->lock_, DirectoryLock::Acquire(directory, !store->read_only()));

  rocksdb::Options db_options;
  db_options.create_if_missing = create;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  db_options.keep_log_file_num = 3;
  // RocksDB keeps every log a memtable still needs; the default family's marker would
  // otherwise pin logs up to 4x the memtables' total (768 MB) before they are flushed.
  db_options.max_total_wal_size = 64 << 20;
  // The marker, written without the log, would make RocksDB flush at close even after a
  // write error; the destructor flushes the families that matter when it is safe.
  db_options.avoid_flush_during_shutdown = true;
  // Commits are small (a request's rows): the group's leader inserts them all into the
  // memtable itself rather than waking each member to insert its own (a wake-up costs
  // more than the insert), and members wait on the lock without spinning (a spinning
  // waiter takes the core the leader needs on a 2-core machine).
  db_options.allow_concurrent_memtable_write = false;
  db_options.enable_write_thread_adaptive_yield = false;
  db_options.listeners.push_back(std::make_shared<ErrorListener>(directory, store->errors_));
  if (!store->read_only()) {
    store->wal_fs_ = std::make_shared<WalFileSystem>(rocksdb::FileSystem::Default());
    store->env_ = rocksdb::NewCompositeEnv(store->wal_fs_);
    db_options.env = store->env_.get();
  }
  const std::string rocks_dir = directory + "/rocksdb";
  if (create) std::filesystem::create_directories(rocks_dir, ec);
  if (!store->read_only()) db_options.info_log = std::make_shared<InfoLog>(rocks_dir + "/LOG");

  auto family_options = [](size_t cache_bytes) {
    rocksdb::BlockBasedTableOptions table;
    table.block_cache = rocksdb::NewLRUCache(cache_bytes);
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    rocksdb::ColumnFamilyOptions family;
    family.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    family.compression = rocksdb::kLZ4Compression;
    return family;
  };
  const rocksdb::ColumnFamilyOptions catalog_options = family_options(options.block_cache_bytes);
  rocksdb::ColumnFamilyOptions rows_options = family_options(options.rows_block_cache_bytes);
  // A bloom filter over the memtable's whole keys: an INSERT's uniqueness check and a
  // point read of a flushed row look up keys the memtable does not hold, and the filter
  // answers those without a walk down its skiplist (a cache miss per level).
  rows_options.memtable_prefix_bloom_size_ratio = 0.02;
  rows_options.memtable_whole_key_filtering = true;
  std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, catalog_options},
      {"catalog", catalog_options},
      {"rows", rows_options},
      // The change log is read back while recent (live queries resuming), mostly from
      // the memtable; a small cache of its own keeps it from evicting rows' blocks.
      {"changes", family_options(16 << 20)},
  };
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  if (!store->read_only()) {
    s = rocksdb::DB::Open(db_options, rocks_dir, families, &handles, &raw);
    // Opening writes (a new MANIFEST, log and OPTIONS file; the replayed log flushed to
    // a table file). On a full disk, a database that exists still opens, read-only.
    if (IsNoSpace(s) && std::filesystem::exists(rocks_dir + "/CURRENT", ec)) {
      store->read_only_reason_ =
          DiskFull(directory,
                   "It was opened read-only because the disk was full at open; reopen it "
                   "once space is freed to write again.");
      handles.clear();
      raw = nullptr;
    }
  }
  if (store->read_only()) {
    // A read-only open writes nothing, so it has no info log of its own (RocksDB's
    // default would create one next to the data).
    db_options.info_log = std::make_shared<InfoLog>("");
    db_options.create_if_missing = false;
    // A database written before the change log has no `changes` family, and a
    // read-only open cannot create one: open without it (family(kChanges) is null).
    std::vector<std::string> existing;
    if (rocksdb::DB::ListColumnFamilies(db_options, rocks_dir, &existing).ok() &&
        std::find(existing.begin(), existing.end(), "changes") == existing.end()) {
      families.pop_back();
    }
    s = rocksdb::DB::OpenForReadOnly(db_options, rocks_dir, families, &handles, &raw);
  }
  if (!s.ok()) {
    if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
      // Another process without our pid file (an older tenantdb) holds RocksDB's lock.
      return Status(
          ErrorCode::kObjectInUse,
          "data directory " + directory + " is in use by another process (" + s.ToString() + ")");
    }
    return FromRocksStatus(s, "opening " + directory);
  }

  store->db_.reset(raw);
  // The default family holds only the WAL-switch marker; RocksDB requires it to exist.
  raw->DestroyColumnFamilyHandle(handles[0]);
  store->families_[0] = handles[1];
  store->families_[1] = handles[2];
  store->families_[2] = handles.size() > 3 ? handles[3] : nullptr;
  if (!store->read_only()) {
    rocksdb::DB* db = store->db_.get();
    store->syncer_ = std::make_unique<WalSyncer>(
        [db, errors = store->errors_] {
          const rocksdb::Status s = db->SyncWAL();
          if (s.ok()) return Status::Ok();
          // The log's state on disk is unknown: no write may be acknowledged any more.
          const Status cause = FromRocksStatus(s, "syncing the write-ahead log");
          Status failed(cause.code(),
                        "the write-ahead log could not be synced (" + std::string(cause.message()) +
                            "): what was written since its last sync may or may not survive "
                            "a restart, so no answer that depends on it is given; restart "
                            "the database");
          errors->Stop(failed);
          return failed;
        },
        [db] { return static_cast<uint64_t>(db->GetLatestSequenceNumber()); },
        db->GetLatestSequenceNumber());
  }
  return store;
}

KvStore::KvStore(PrivateTag) {}

KvStore::~KvStore() {
  // Whoever waits for a deferred write hears of it before the database closes.
  if (syncer_ != nullptr) syncer_->Stop();
  // Persist the memtables on a clean close, so the next open has no write-ahead log to
  // replay (with a million-table catalog that replay alone took over a second).
  rocksdb::FlushOptions flush;
  flush.wait = true;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  for (auto* handle : families_) {
    if (handle != nullptr) handles.push_back(handle);
  }
  // The default family too: its marker would otherwise keep old logs alive for the
  // next open to read through. Not after a write error (a flush would fail again) nor
  // when read-only.
  if (db_ && !handles.empty() && !read_only() && !errors_->stopped.load()) {
    handles.push_back(db_->DefaultColumnFamily());
    db_->Flush(flush, handles).PermitUncheckedError();
  }
  for (auto* handle : families_) {
    if (handle != nullptr) db_->DestroyColumnFamilyHandle(handle);
  }
}

rocksdb::ColumnFamilyHandle* KvStore::family(KvFamily family) const {
  return families_[static_cast<size_t>(family)];
}

Status KvStore::CheckWritable() {
  if (!read_only_reason_.ok()) return read_only_reason_;
  if (errors_->stopped.load(std::memory_order_acquire)) return TryResume();
  return Status::Ok();
}

Status KvStore::TryResume() {
  std::lock_guard<std::mutex> serialize(resume_mu_);
  Status error;
  {
    std::lock_guard<std::mutex> lock(errors_->mu);
    if (!errors_->stopped.load(std::memory_order_acquire)) return Status::Ok();
    error = errors_->error;
  }
  const bool no_space = error.code() == ErrorCode::kDiskFull;
  if (no_space && FreeBytes(directory_) < kResumeMinFreeBytes) return error;
  const int64_t now = clock_->MonotonicMicros();
  if (!no_space && last_resume_micros_.has_value() &&
      now - *last_resume_micros_ < kResumeRetryIntervalMicros) {
    return error;
  }
  last_resume_micros_ = now;
  // Without a memtable to flush, Resume() would keep the poisoned log writer (see
  // kWalSwitchMarker); the marker makes this unreachable but for a write that sealed
  // every memtable itself. Refuse rather than abort.
  bool any_memtable_data = false;
  for (rocksdb::ColumnFamilyHandle* family :
       {db_->DefaultColumnFamily(), families_[0], families_[1], families_[2]}) {
    if (family == nullptr) continue;
    uint64_t entries = 0;
    if (!db_->GetIntProperty(family, "rocksdb.num-entries-active-mem-table", &entries) ||
        entries > 0) {
      any_memtable_data = true;
    }
  }
  if (!any_memtable_data) {
    return Status(error.code(), std::string(error.message()) +
                                    " Writes cannot resume in this process (no memtable to "
                                    "flush); restart it once the cause is fixed.");
  }
  rocksdb::Status s = db_->Resume();
  if (!s.ok()) {
    Status failed = IsNoSpace(s) ? DiskFull(directory_, "(" + s.ToString() + ")")
                                 : FromRocksStatus(s, "resuming writes after an error");
    errors_->Stop(failed);
    return failed;
  }
  std::lock_guard<std::mutex> lock(errors_->mu);
  errors_->error = Status::Ok();
  errors_->stopped.store(false, std::memory_order_release);
  return Status::Ok();
}

namespace {

// What a synced write made durable: the log is written in sequence order and the write
// synced it up to its own record, so everything up to the batch's last sequence number
// (RocksDB stamps the batch with its first one: the fixed64 its representation starts
// with, write_batch.h) — and at least what was visible before the write began.
uint64_t SyncedUpTo(const rocksdb::WriteBatch& batch, uint64_t visible_before) {
  const std::string& rep = batch.Data();
  if (rep.size() < 12 || batch.Count() == 0) return visible_before;
  uint64_t first = 0;
  for (int i = 7; i >= 0; --i)
    first = (first << 8) | static_cast<uint8_t>(rep[static_cast<size_t>(i)]);
  if (first == 0) return visible_before;
  return std::max(visible_before, first + batch.Count() - 1);
}

}  // namespace

uint64_t KvStore::WritePosition() const {
  return db_->GetLatestSequenceNumber();
}

void KvStore::WhenDurable(uint64_t position, WalSyncer::Callback done) {
  if (IsDurable(position)) {
    done(Status::Ok());
    return;
  }
  syncer_->WhenDurable(position, std::move(done));
}

Status KvStore::Write(rocksdb::WriteBatch* batch, WalSync sync) {
  TDB_RETURN_IF_ERROR(CheckWritable());
  if (errors_->marker_needed.exchange(false)) {
    rocksdb::WriteOptions no_log;
    no_log.disableWAL = true;
    if (!db_->Put(no_log, db_->DefaultColumnFamily(), kWalSwitchMarker, "").ok()) {
      errors_->marker_needed.store(true);  // the write below fails too; retried after it
    }
  }
  rocksdb::WriteOptions options;
  options.sync = sync_writes_ && sync == WalSync::kBeforeReturn;
  const uint64_t visible_before = options.sync ? WritePosition() : 0;
  const rocksdb::Status s = db_->Write(options, batch);
  if (s.ok()) {
    if (options.sync && syncer_ != nullptr)
      syncer_->MarkDurable(SyncedUpTo(*batch, visible_before));
    return Status::Ok();
  }
  if (!s.IsIOError() && !s.IsCorruption()) return FromRocksStatus(s, "writing to RocksDB");
  // RocksDB keeps the error and refuses writes until Resume(); so do we, without
  // calling into it, until there is a reason to think a Resume() can succeed.
  Status error = IsNoSpace(s) ? DiskFull(directory_, "(" + s.ToString() + ")")
                              : FromRocksStatus(s, "writing to RocksDB");
  errors_->Stop(error);
  return error;
}

Result<std::optional<std::string>> KvStore::Get(KvFamily family, std::string_view key) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), this->family(family),
                               rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocksStatus(s, "reading from RocksDB");
  return std::optional<std::string>(std::move(value));
}

std::unique_ptr<rocksdb::Iterator> KvStore::NewIterator(KvFamily family, bool pin_data,
                                                        const rocksdb::Snapshot* snapshot,
                                                        const rocksdb::Slice* lower,
                                                        const rocksdb::Slice* upper) const {
  rocksdb::ReadOptions options;
  options.pin_data = pin_data;
  options.snapshot = snapshot;
  options.iterate_lower_bound = lower;
  options.iterate_upper_bound = upper;
  return std::unique_ptr<rocksdb::Iterator>(db_->NewIterator(options, this->family(family)));
}

std::shared_ptr<const rocksdb::Snapshot> KvStore::GetSnapshot() const {
  rocksdb::DB* db = db_.get();
  return std::shared_ptr<const rocksdb::Snapshot>(
      db->GetSnapshot(), [db](const rocksdb::Snapshot* s) { db->ReleaseSnapshot(s); });
}

}  // namespace tenantdb
