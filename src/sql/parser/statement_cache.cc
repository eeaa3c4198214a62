#include "sql/parser/statement_cache.h"

#include "sql/parser/parser.h"

namespace tenantdb::sql {

StatementCache::StatementCache(size_t capacity) : cache_(capacity) {}

Result<std::shared_ptr<const SharedStatements>> StatementCache::Parse(std::string_view sql) {
  const bool cacheable = cache_.enabled() && sql.size() <= kMaxCachedTextBytes;
  if (cacheable) {
    if (auto hit = cache_.Find(sql)) return std::move(*hit);
  }
  // Parse outside the lock: two threads missing on one text both parse (no thread waits
  // on another's parse), and both return the tree inserted first, so that the plan cache,
  // keyed by the tree, sees one statement.
  TDB_ASSIGN_OR_RETURN(std::vector<StatementPtr> parsed, sql::Parse(sql));
  auto statements = std::make_shared<SharedStatements>();
  statements->reserve(parsed.size());
  for (StatementPtr& stmt : parsed)
    statements->push_back(std::shared_ptr<const Statement>(std::move(stmt)));
  std::shared_ptr<const SharedStatements> shared = std::move(statements);
  if (cacheable) return cache_.InsertIfAbsent(std::string(sql), std::move(shared));
  return shared;
}

}  // namespace tenantdb::sql
