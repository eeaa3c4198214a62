// JSON Web Tokens for the server's bearer authentication: HS256 only (HMAC-SHA256,
// RFC 7515 JWS compact serialization, RFC 7519 claims), signed and checked with one
// server-wide secret (token_secret.h).
//
// A token is base64url(header) "." base64url(claims) "." base64url(HMAC-SHA256(secret,
// first two parts)), all unpadded. The header is exactly {"alg":"HS256","typ":"JWT"}; the
// claims are
//   sub         the user id the token authenticates
//   role        the user's role when the token was issued (user, service, dba, system)
//   iss         the configured issuer ([auth] issuer), checked on every Verify
//   iat, exp    issue and expiry time, Unix seconds
//   jti         a random id (16 bytes, base64url) so a refresh token can be revoked
//   ver         the user's credentials_version when the token was issued (account.h):
//               a password or role change advances it, which revokes older tokens
//   token_type  "access" or "refresh": a refresh token is never accepted as an access
//               token, nor the reverse
// nbf is honoured when present (other issuers set it) but never written.
//
// Verify trusts nothing in the token before the signature matches: the header is read
// only to refuse any algorithm but HS256 (which closes the "alg":"none" and the
// RS256-public-key-as-HMAC-secret attacks), the signature is compared in constant time,
// and only then are the claims parsed. Each refusal has its own TokenRejection so the
// HTTP layer can answer 401 with a clear reason; every refusal is invalid_authorization
// (SQLSTATE 28000). Time checks allow `leeway_seconds` of clock skew between servers.
//
// Thread safety: a JwtCodec is immutable after Create; Sign, Issue and Verify may run on
// any number of threads at once. Cost: one HMAC over ~300 bytes and a small JSON parse.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "server/clock.h"

namespace tenantdb::server {

class VerifiedTokens;

enum class TokenType : uint8_t { kAccess, kRefresh };

// "access" / "refresh": the token_type claim.
std::string_view TokenTypeName(TokenType type);

struct TokenClaims {
  std::string subject;     // sub
  std::string role;        // role
  std::string issuer;      // iss
  int64_t issued_at = 0;   // iat, Unix seconds
  int64_t expires_at = 0;  // exp, Unix seconds
  std::string token_id;    // jti
  TokenType type = TokenType::kAccess;
  uint64_t credentials_version = 0;  // ver

  bool operator==(const TokenClaims&) const = default;
};

// Why Verify refused a token.
enum class TokenRejection : uint8_t {
  kNone,                  // not refused
  kMalformed,             // not three base64url parts of JSON objects with the claims above
  kUnsupportedAlgorithm,  // "alg" other than HS256, "none" included
  kBadSignature,          // the signature does not match: tampered, or another secret
  kWrongIssuer,           // "iss" is not the configured issuer
  kExpired,               // "exp" has passed (beyond the leeway)
  kNotYetValid,           // "nbf" or "iat" lies in the future (beyond the leeway)
  kWrongType,             // an access token where a refresh token is needed, or the reverse
};

// A stable lower-case name, e.g. "bad_signature": for logs, metrics and error bodies.
std::string_view TokenRejectionName(TokenRejection rejection);

// A token and the claims it carries, as Issue made them.
struct IssuedToken {
  std::string token;
  TokenClaims claims;
};

class JwtCodec {
 public:
  // RFC 7518 section 3.2: an HS256 key must be at least as long as the hash (32 bytes).
  static constexpr size_t kMinSecretBytes = 32;
  // Tokens longer than this are refused unread (ours are ~300 bytes).
  static constexpr size_t kMaxTokenBytes = 8192;
  static constexpr int64_t kDefaultLeewaySeconds = 30;

  // Errors: invalid_argument when `secret` is shorter than kMinSecretBytes or `issuer` is
  // empty or `leeway_seconds` is negative. `clock` must outlive the codec.
  static Result<JwtCodec> Create(std::string secret, std::string issuer,
                                 const Clock* clock = &Clock::System(),
                                 int64_t leeway_seconds = kDefaultLeewaySeconds);

  const std::string& issuer() const { return issuer_; }

  // A new token for `subject` with `role` and `credentials_version`, valid for
  // `ttl_seconds` (> 0) from now, with a fresh random jti and this codec's issuer.
  Result<IssuedToken> Issue(std::string_view subject, std::string_view role, TokenType type,
                            int64_t ttl_seconds, uint64_t credentials_version = 0) const;

  // Signs exactly `claims` (whatever their issuer and times: tests build expired or
  // foreign tokens with it). Error: invalid_argument when subject is empty.
  Result<std::string> Sign(const TokenClaims& claims) const;

  // The claims of `token` when it is well formed, signed with this secret, issued by
  // this issuer, within its validity period and of type `expected`. Otherwise
  // invalid_authorization with a message saying why, and `*rejection` (when not null)
  // set to the reason; kNone on success.
  Result<TokenClaims> Verify(std::string_view token, TokenType expected,
                             TokenRejection* rejection = nullptr) const;

 private:
  JwtCodec(std::string secret, std::string issuer, const Clock* clock, int64_t leeway_seconds);

  std::string Mac(std::string_view signing_input) const;

  std::string secret_;
  std::string issuer_;
  const Clock* clock_;
  int64_t leeway_seconds_;
  // Tokens verified before (verified_tokens.h), shared by copies of this codec.
  std::shared_ptr<VerifiedTokens> verified_;
};

}  // namespace tenantdb::server
