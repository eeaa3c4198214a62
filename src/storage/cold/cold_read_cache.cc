#include "storage/cold/cold_read_cache.h"

#include <cassert>

#include "absl/hash/hash.h"

namespace tenantdb {

namespace {

constexpr size_t kShards = 16;
// Idle readers kept per file: enough for the server's worker threads reading one hot
// file at once, without letting one file hold many footers.
constexpr size_t kIdleReadersPerFile = 4;

}  // namespace

// One shard of decoded pages: an LRU list (front = most recent) and a map into it.
struct ColdReadCache::PageShard {
  struct Node {
    std::string key;
    std::shared_ptr<const ColumnVector> page;
    size_t bytes;
  };
  std::mutex mu;
  std::list<Node> lru;
  absl::flat_hash_map<std::string, std::list<Node>::iterator> index;
  size_t bytes = 0;
};

ColdReadCache::ColdReadCache(size_t page_budget_bytes, size_t max_files)
    : max_files_(max_files), shard_budget_(page_budget_bytes / kShards) {
  assert(max_files_ > 0);
  for (size_t i = 0; i < kShards; ++i)
    shards_.push_back(std::make_unique<PageShard>());
}

ColdReadCache::~ColdReadCache() = default;

ColdReadCache::Lease::~Lease() {
  if (reader_ != nullptr) cache_->Return(key_, std::move(reader_), indexed_);
}

Result<ColdReadCache::Lease> ColdReadCache::Acquire(const std::string& key,
                                                    const std::string& path) {
  {
    std::lock_guard<std::mutex> lock(readers_mu_);
    auto it = readers_.find(key);
    if (it != readers_.end() && !it->second.readers.empty()) {
      std::unique_ptr<ParquetReader> reader = std::move(it->second.readers.back());
      it->second.readers.pop_back();
      it->second.last_use = ++clock_;
      return Lease(this, key, std::move(reader), it->second.indexed);
    }
  }
  // Open outside the lock: it reads the footer and the page index from disk.
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<ParquetReader> reader, ParquetReader::Open(path));
  TDB_ASSIGN_OR_RETURN(bool indexed, reader->LoadPageIndex());
  readers_opened_.fetch_add(1, std::memory_order_relaxed);
  return Lease(this, key, std::move(reader), indexed);
}

void ColdReadCache::Return(const std::string& key, std::unique_ptr<ParquetReader> reader,
                           bool indexed) {
  std::lock_guard<std::mutex> lock(readers_mu_);
  auto [it, inserted] = readers_.try_emplace(key);
  it->second.indexed = indexed;
  it->second.last_use = ++clock_;
  if (it->second.readers.size() < kIdleReadersPerFile) {
    it->second.readers.push_back(std::move(reader));
  }
  if (!inserted || readers_.size() <= max_files_) return;
  // Over the file limit: drop the least recently used file's readers (a scan of at
  // most max_files entries, only when a new file comes in).
  auto oldest = readers_.end();
  for (auto f = readers_.begin(); f != readers_.end(); ++f) {
    if (oldest == readers_.end() || f->second.last_use < oldest->second.last_use) oldest = f;
  }
  readers_.erase(oldest);
}

Result<std::shared_ptr<const ColumnVector>> ColdReadCache::Page(const Lease& lease, size_t g,
                                                                size_t c, size_t p, DataType type) {
  std::string key = lease.key_;
  key += '\0';
  key += std::to_string(g) + "/" + std::to_string(c) + "/" + std::to_string(p) + "/" +
         std::to_string(static_cast<int>(type));
  PageShard& shard = *shards_[absl::Hash<std::string>()(key) % kShards];
  {
    std::lock_guard<std::mutex> lock(shard.mu);
    auto it = shard.index.find(key);
    if (it != shard.index.end()) {
      shard.lru.splice(shard.lru.begin(), shard.lru, it->second);
      page_hits_.fetch_add(1, std::memory_order_relaxed);
      return it->second->page;
    }
  }
  page_misses_.fetch_add(1, std::memory_order_relaxed);
  auto page = std::make_shared<ColumnVector>(type);
  TDB_RETURN_IF_ERROR(lease.reader().ReadPage(g, c, p, page.get()));
  const size_t bytes = page->MemoryBytes() + key.size() + sizeof(PageShard::Node);
  if (bytes > shard_budget_) return std::shared_ptr<const ColumnVector>(std::move(page));
  std::lock_guard<std::mutex> lock(shard.mu);
  if (shard.index.contains(key)) return std::shared_ptr<const ColumnVector>(std::move(page));
  shard.lru.push_front({key, page, bytes});
  shard.index.emplace(std::move(key), shard.lru.begin());
  shard.bytes += bytes;
  while (shard.bytes > shard_budget_) {
    PageShard::Node& last = shard.lru.back();
    shard.bytes -= last.bytes;
    shard.index.erase(last.key);
    shard.lru.pop_back();
  }
  return std::shared_ptr<const ColumnVector>(std::move(page));
}

ColdReadCacheStats ColdReadCache::stats() const {
  ColdReadCacheStats s;
  s.page_hits = page_hits_.load(std::memory_order_relaxed);
  s.page_misses = page_misses_.load(std::memory_order_relaxed);
  s.readers_opened = readers_opened_.load(std::memory_order_relaxed);
  for (const auto& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard->mu);
    s.page_bytes += shard->bytes;
  }
  return s;
}

}  // namespace tenantdb
