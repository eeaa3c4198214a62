#include "server/auth/verified_tokens.h"

#include <absl/hash/hash.h>

namespace tenantdb::server {

VerifiedTokens::VerifiedTokens(size_t capacity)
    : per_shard_(capacity / kShards == 0 ? 1 : capacity / kShards) {}

VerifiedTokens::Shard& VerifiedTokens::ShardOf(std::string_view token) const {
  return shards_[absl::HashOf(absl::string_view(token.data(), token.size())) % kShards];
}

std::optional<TokenClaims> VerifiedTokens::Find(std::string_view token) const {
  Shard& shard = ShardOf(token);
  std::lock_guard<std::mutex> lock(shard.mu);
  const auto it = shard.tokens.find(absl::string_view(token.data(), token.size()));
  if (it == shard.tokens.end()) return std::nullopt;
  return it->second;
}

void VerifiedTokens::Add(std::string_view token, const TokenClaims& claims) {
  Shard& shard = ShardOf(token);
  std::lock_guard<std::mutex> lock(shard.mu);
  if (shard.tokens.size() >= per_shard_) shard.tokens.clear();
  shard.tokens.insert_or_assign(std::string(token), claims);
}

size_t VerifiedTokens::size() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    n += shard.tokens.size();
  }
  return n;
}

}  // namespace tenantdb::server
