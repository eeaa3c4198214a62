// VerifiedTokens: the tokens a JwtCodec has verified, with their claims, so a client that
// sends the same bearer token with every request pays for its HMAC, base64 and JSON
// once (about a tenth of a point select's server CPU) instead of on every request.
//
// Only what cannot change is remembered: a token's signature and claims are fixed by its
// bytes and the codec's secret and issuer. Its expiry is checked again on every use (by
// the codec), and revocation is not the codec's business: the authenticator checks the
// account's credentials version on every request.
//
// Bounded: at most `capacity` tokens; a full shard is emptied (tokens are cheap to verify
// again). Thread safety: every method from any thread (sharded mutexes).
#pragma once

#include <absl/container/flat_hash_map.h>

#include <array>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "server/auth/jwt.h"

namespace tenantdb::server {

class VerifiedTokens {
 public:
  explicit VerifiedTokens(size_t capacity = 4096);

  std::optional<TokenClaims> Find(std::string_view token) const;
  void Add(std::string_view token, const TokenClaims& claims);
  size_t size() const;

 private:
  static constexpr size_t kShards = 8;
  struct Shard {
    mutable std::mutex mu;
    absl::flat_hash_map<std::string, TokenClaims> tokens;
  };
  Shard& ShardOf(std::string_view token) const;

  const size_t per_shard_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace tenantdb::server
