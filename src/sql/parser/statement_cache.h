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
// Bounded by entry count (common/clock_cache.h: shards with a mutex each, CLOCK's second
// chance when a shard is full).
//
// Thread safety: every method may be called from any thread. Returned statements are
// immutable and shared; they live as long as someone holds them, evicted or not.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "common/clock_cache.h"
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

  using Stats = ClockCacheStats;
  Stats stats() const { return cache_.stats(); }

 private:
  ClockCache<std::shared_ptr<const SharedStatements>> cache_;
};

}  // namespace tenantdb::sql
