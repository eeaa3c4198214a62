// ColdReadCache: what point reads of flushed rows keep between reads, as RocksDB's
// table and block caches do for the hot tier:
//   readers  open ParquetReaders with their footer and page index parsed, a few idle
//            ones per file (a reader is single-threaded; concurrent reads of one file
//            take one each), for at most `max_files` files, least recently used first out;
//   pages    decoded data pages (one ColumnVector each), within a byte budget, least
//            recently used first out.
//
// Files are named by a caller-chosen key that must never name two different files:
// TableStore uses (table number, user, batch number), which a flush never reuses and a
// batch file is never rewritten in place, so a cached page cannot go stale. Pages of
// deleted files are never asked for again and age out.
//
// Thread safety: every method may be called concurrently. Cost: one mutex per call for
// readers; pages are sharded by key (16 shards, one mutex each).
#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/status.h"
#include "storage/cold/parquet_reader.h"
#include "types/column_vector.h"

namespace tenantdb {

struct ColdReadCacheStats {
  uint64_t page_hits = 0;
  uint64_t page_misses = 0;
  uint64_t page_bytes = 0;  // decoded bytes held now
  uint64_t readers_opened = 0;
};

class ColdReadCache {
 public:
  // `page_budget_bytes` 0 keeps no pages (every read decodes); readers are always cached.
  explicit ColdReadCache(size_t page_budget_bytes, size_t max_files = 256);
  ColdReadCache(const ColdReadCache&) = delete;
  ColdReadCache& operator=(const ColdReadCache&) = delete;
  ~ColdReadCache();

  // A reader of one file, returned to the cache when the lease ends.
  class Lease {
   public:
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    ParquetReader& reader() const { return *reader_; }
    // Whether the file has a page index (LoadPageIndex succeeded).
    bool indexed() const { return indexed_; }

   private:
    friend class ColdReadCache;
    Lease(ColdReadCache* cache, std::string key, std::unique_ptr<ParquetReader> reader,
          bool indexed)
        : cache_(cache), key_(std::move(key)), reader_(std::move(reader)), indexed_(indexed) {}
    ColdReadCache* cache_;
    std::string key_;
    std::unique_ptr<ParquetReader> reader_;
    bool indexed_;
  };

  // A reader of `path` (file key `key`): an idle cached one, or a new one with its page
  // index loaded. Errors: those of ParquetReader::Open / LoadPageIndex (io_error when
  // the file is gone, e.g. compacted away since the caller read its manifest).
  Result<Lease> Acquire(const std::string& key, const std::string& path);

  // Page `p` of file column `c` of row group `g`, decoded as `type`, from the cache or
  // decoded with `lease` (whose file must be `lease`'s key). Errors as ReadPage.
  Result<std::shared_ptr<const ColumnVector>> Page(const Lease& lease, size_t g, size_t c, size_t p,
                                                   DataType type);

  ColdReadCacheStats stats() const;

 private:
  void Return(const std::string& key, std::unique_ptr<ParquetReader> reader, bool indexed);

  struct IdleReaders {
    std::vector<std::unique_ptr<ParquetReader>> readers;
    bool indexed = false;
    uint64_t last_use = 0;
  };
  const size_t max_files_;
  mutable std::mutex readers_mu_;
  absl::flat_hash_map<std::string, IdleReaders> readers_;  // guarded by readers_mu_
  uint64_t clock_ = 0;                                     // guarded by readers_mu_
  std::atomic<uint64_t> readers_opened_{0};

  struct PageShard;
  std::vector<std::unique_ptr<PageShard>> shards_;
  const size_t shard_budget_;
  std::atomic<uint64_t> page_hits_{0};
  std::atomic<uint64_t> page_misses_{0};
};

}  // namespace tenantdb
