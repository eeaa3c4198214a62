// StatementCache: parsed scripts by their exact text, so a server answering the same
// statement text over and over (an application's queries with $n parameters) parses it
// once. Parsing goes through libpg_query, whose protobuf round trip costs several times
// the grammar itself: on the HTTP point-select path it was a fifth of the server's CPU.
//
// What is cached is the parser's output only: a statement tree depends on nothing but
// the text (no names are resolved, no session setting is read), so one entry serves
// every session and user. Scripts that fail to parse are not cached (each attempt
// reports its own error). Long scripts (over kMaxCachedTextBytes) bypass the cache:
// they are bulk loads with literal values, unlikely to repeat and costly to keep.
//
// Bounded by entry count, split into shards with a mutex each; a full shard drops its
// entries that were not used since the last sweep (CLOCK's second chance), or, when all
// were, half of them.
//
// Thread safety: every method may be called from any thread. Returned statements are
// immutable and shared; they live as long as someone holds them, evicted or not.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <array>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sql/parser/ast/statement.h"

namespace tenantdb::sql {

using SharedStatements = std::vector<std::shared_ptr<const Statement>>;

class StatementCache {
 public:
  static constexpr size_t kMaxCachedTextBytes = 8192;

  // `capacity`: most scripts kept (0: the cache is off and Parse always parses).
  explicit StatementCache(size_t capacity);
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // The statements of `sql` as sql::Parse gives them (same errors), from the cache when
  // this exact text was parsed before.
  Result<std::shared_ptr<const SharedStatements>> Parse(std::string_view sql);

  struct Stats {
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t evictions = 0;
    size_t entries = 0;
  };
  Stats stats() const;

 private:
  static constexpr size_t kShards = 8;
  struct Entry {
    std::shared_ptr<const SharedStatements> statements;
    bool referenced = false;
  };
  struct Shard {
    mutable std::mutex mu;
    absl::flat_hash_map<std::string, Entry> entries;
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t evictions = 0;
  };
  // Makes room for one more entry in a full shard (its mutex held).
  void Evict(Shard& shard);

  const size_t shard_capacity_;
  std::array<Shard, kShards> shards_;
};

}  // namespace tenantdb::sql
