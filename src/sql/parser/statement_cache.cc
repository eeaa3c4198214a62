#include "sql/parser/statement_cache.h"

#include <cassert>
#include <functional>

#include "sql/parser/parser.h"

namespace tenantdb::sql {

StatementCache::StatementCache(size_t capacity)
    : shard_capacity_(capacity == 0 ? 0 : (capacity + kShards - 1) / kShards) {}

Result<std::shared_ptr<const SharedStatements>> StatementCache::Parse(std::string_view sql) {
  const bool cacheable = shard_capacity_ > 0 && sql.size() <= kMaxCachedTextBytes;
  // Debian's abseil has its own string_view type: heterogeneous lookups take that one.
  const absl::string_view key(sql.data(), sql.size());
  Shard* shard = nullptr;
  if (cacheable) {
    shard = &shards_[std::hash<std::string_view>()(sql) % kShards];
    std::lock_guard<std::mutex> lock(shard->mu);
    if (auto it = shard->entries.find(key); it != shard->entries.end()) {
      it->second.referenced = true;
      ++shard->hits;
      return it->second.statements;
    }
    ++shard->misses;
  }
  // Parse outside the lock: two threads missing on one text both parse, and the second
  // insert keeps the first entry. Harmless, and no thread waits on another's parse.
  TDB_ASSIGN_OR_RETURN(std::vector<StatementPtr> parsed, sql::Parse(sql));
  auto statements = std::make_shared<SharedStatements>();
  statements->reserve(parsed.size());
  for (StatementPtr& stmt : parsed)
    statements->push_back(std::shared_ptr<const Statement>(std::move(stmt)));
  std::shared_ptr<const SharedStatements> shared = std::move(statements);
  if (cacheable) {
    std::lock_guard<std::mutex> lock(shard->mu);
    if (shard->entries.size() >= shard_capacity_ && !shard->entries.contains(key)) Evict(*shard);
    shard->entries.try_emplace(std::string(sql), Entry{shared, false});
  }
  return shared;
}

void StatementCache::Evict(Shard& shard) {
  assert(!shard.entries.empty());
  // Second chance: drop what was not used since the last sweep, clear the others' bits.
  const size_t before = shard.entries.size();
  absl::erase_if(shard.entries, [](const auto& kv) { return !kv.second.referenced; });
  if (shard.entries.size() == before) {
    // Everything was used since the last sweep: drop every other entry.
    bool drop = false;
    absl::erase_if(shard.entries, [&drop](const auto&) { return drop = !drop; });
  }
  for (auto& [text, entry] : shard.entries)
    entry.referenced = false;
  shard.evictions += before - shard.entries.size();
}

StatementCache::Stats StatementCache::stats() const {
  Stats out;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    out.hits += shard.hits;
    out.misses += shard.misses;
    out.evictions += shard.evictions;
    out.entries += shard.entries.size();
  }
  return out;
}

}  // namespace tenantdb::sql
