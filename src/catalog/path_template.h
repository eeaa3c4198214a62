// PathTemplate: where a table's cold (Parquet) files go below its storage's base
// directory, e.g. "{namespace}/{tableName}/{userId}".
//
// Placeholders: {namespace}, {tableName}, {userId}, {shard}. {shard} is the user's shard,
// a number in [0, kShardCount) derived from the user id alone (ShardOf), so that a
// storage can spread its users' directories over kShardCount top-level directories (or
// buckets, or mounts) and later place each shard elsewhere; a SHARED table has no user and
// resolves {shard} to 0. The shard is part of the on-disk layout — cold files are found
// by resolving the template again, after every restart — so ShardOf and kShardCount must
// never change. Parse() compiles the text
// once into literal and placeholder segments and rejects anything that could escape the
// storage directory or collide: unknown placeholders, unbalanced braces, absolute paths,
// empty, "." or ".." segments, and placeholders glued to each other. Resolving is then
// one pass of appends with no parsing.
//
// "Partially resolved" per table: a table's namespace and name are fixed, so the catalog
// binds a table to its storage's compiled template plus the TableId it already holds
// (see TableEntry) instead of storing a per-table prefix string; only {userId} and
// {shard} vary per request. This keeps ~30 bytes per table out of the catalog cache.
//
// Thread safety: immutable after Parse(); share freely.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ids/identifier.h"
#include "ids/table_id.h"

namespace tenantdb {

class PathTemplate {
 public:
  // Compiles `text`. Error: invalid_path_template, naming the problem and its position.
  static Result<PathTemplate> Parse(std::string_view text);

  const std::string& text() const { return text_; }
  bool has_user() const { return has_user_; }
  bool has_shard() const { return has_shard_; }

  // How many shards {shard} spreads users over.
  static constexpr uint32_t kShardCount = 256;
  // The shard of `user`: FNV-1a (64-bit) of the user id's bytes, modulo kShardCount.
  // Stable across restarts, processes and platforms (see the header comment).
  static uint32_t ShardOf(const UserId& user);

  // The relative directory for `table` (and `user` when the template uses it). {shard}
  // is `shard` when given, else ShardOf(*user), else (no user: a SHARED table) 0.
  // Error: invalid_argument when the template uses {userId} and `user` is missing.
  Result<std::string> Resolve(const TableId& table, const UserId* user,
                              std::optional<uint32_t> shard = std::nullopt) const;

 private:
  enum class Kind : uint8_t { kLiteral, kNamespace, kTable, kUser, kShard };
  struct Segment {
    Kind kind;
    std::string literal;
  };
  std::string text_;
  std::vector<Segment> segments_;
  bool has_user_ = false;
  bool has_shard_ = false;
};

}  // namespace tenantdb
