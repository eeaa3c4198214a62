#include "server/auth/jwt.h"

#include "server/auth/verified_tokens.h"

#include <openssl/crypto.h>

#include <boost/json.hpp>
#include <cmath>
#include <limits>
#include <optional>

#include "common/sha256.h"
#include "server/auth/base64.h"
#include "server/auth/secure_random.h"

namespace tenantdb::server {

namespace json = boost::json;

namespace {

// The one header this server writes; Verify accepts others only if they say HS256.
constexpr std::string_view kHeader = R"({"alg":"HS256","typ":"JWT"})";
constexpr size_t kTokenIdBytes = 16;

Status Refuse(TokenRejection reason, TokenRejection* out, std::string message) {
  if (out != nullptr) *out = reason;
  return Status(ErrorCode::kInvalidAuthorization, std::move(message));
}

// A value from the token, made safe to put in a message or a log line: printable ASCII
// only, at most 40 characters.
std::string Quote(std::string_view text) {
  std::string out = "'";
  for (size_t i = 0; i < text.size() && i < 40; ++i)
    out += (text[i] >= 0x20 && text[i] < 0x7F) ? text[i] : '?';
  if (text.size() > 40) out += "...";
  return out + "'";
}

// A JSON object from a base64url part, or nullopt.
std::optional<json::object> DecodeObject(std::string_view part) {
  const std::optional<std::string> text = Base64Decode(part, Base64Alphabet::kUrl);
  if (!text) return std::nullopt;
  json::error_code ec;
  json::value value = json::parse(*text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

std::optional<std::string_view> StringClaim(const json::object& claims, std::string_view name) {
  const json::value* v = claims.if_contains(name);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string_view(v->get_string());
}

// RFC 7519 NumericDate: seconds, possibly fractional; fractions are dropped.
std::optional<int64_t> TimeClaim(const json::object& claims, std::string_view name) {
  const json::value* v = claims.if_contains(name);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) {
    if (v->get_uint64() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return std::nullopt;
    return static_cast<int64_t>(v->get_uint64());
  }
  if (v->is_double()) {
    const double d = std::floor(v->get_double());
    // Beyond +-2^62 seconds is no date; keeps the cast defined.
    if (!std::isfinite(d) || std::fabs(d) > 4.6e18) return std::nullopt;
    return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

// A non-negative integer claim (no fractions: a version is not a time).
std::optional<uint64_t> CounterClaim(const json::object& claims, std::string_view name) {
  const json::value* v = claims.if_contains(name);
  if (v == nullptr) return std::nullopt;
  if (v->is_uint64()) return v->get_uint64();
  if (v->is_int64() && v->get_int64() >= 0) return static_cast<uint64_t>(v->get_int64());
  return std::nullopt;
}

std::optional<TokenType> ParseTokenType(std::string_view name) {
  if (name == "access") return TokenType::kAccess;
  if (name == "refresh") return TokenType::kRefresh;
  return std::nullopt;
}

// a <= b + c without overflow, for times from untrusted tokens.
bool AtMost(int64_t a, int64_t b, int64_t c) {
  int64_t sum;
  if (__builtin_add_overflow(b, c, &sum)) return true;  // b + c beyond int64: a is below
  return a <= sum;
}

}  // namespace

std::string_view TokenTypeName(TokenType type) {
  return type == TokenType::kRefresh ? "refresh" : "access";
}

std::string_view TokenRejectionName(TokenRejection rejection) {
  switch (rejection) {
    case TokenRejection::kNone:
      return "none";
    case TokenRejection::kMalformed:
      return "malformed";
    case TokenRejection::kUnsupportedAlgorithm:
      return "unsupported_algorithm";
    case TokenRejection::kBadSignature:
      return "bad_signature";
    case TokenRejection::kWrongIssuer:
      return "wrong_issuer";
    case TokenRejection::kExpired:
      return "expired";
    case TokenRejection::kNotYetValid:
      return "not_yet_valid";
    case TokenRejection::kWrongType:
      return "wrong_token_type";
  }
  return "unknown";
}

JwtCodec::JwtCodec(std::string secret, std::string issuer, const Clock* clock,
                   int64_t leeway_seconds)
    : secret_(std::move(secret)),
      issuer_(std::move(issuer)),
      clock_(clock),
      leeway_seconds_(leeway_seconds),
      verified_(std::make_shared<VerifiedTokens>()) {}

Result<JwtCodec> JwtCodec::Create(std::string secret, std::string issuer, const Clock* clock,
                                  int64_t leeway_seconds) {
  if (secret.size() < kMinSecretBytes) {
    return Status(ErrorCode::kInvalidArgument,
                  "the token signing secret has " + std::to_string(secret.size()) +
                      " bytes; HS256 needs at least " + std::to_string(kMinSecretBytes));
  }
  if (issuer.empty()) return Status(ErrorCode::kInvalidArgument, "the token issuer is empty");
  if (leeway_seconds < 0) {
    return Status(ErrorCode::kInvalidArgument, "the token clock leeway is negative");
  }
  return JwtCodec(std::move(secret), std::move(issuer), clock, leeway_seconds);
}

std::string JwtCodec::Mac(std::string_view signing_input) const {
  // Empty only on an OpenSSL allocation failure: the empty MAC then matches no signature.
  return HmacSha256(secret_, signing_input);
}

Result<std::string> JwtCodec::Sign(const TokenClaims& claims) const {
  if (claims.subject.empty()) {
    return Status(ErrorCode::kInvalidArgument, "a token needs a subject (user id)");
  }
  // Insertion order is the serialized order, so equal claims give equal tokens.
  json::object payload;
  payload["sub"] = claims.subject;
  payload["role"] = claims.role;
  payload["iss"] = claims.issuer;
  payload["iat"] = claims.issued_at;
  payload["exp"] = claims.expires_at;
  payload["jti"] = claims.token_id;
  payload["token_type"] = TokenTypeName(claims.type);
  payload["ver"] = claims.credentials_version;
  std::string token = Base64Encode(kHeader, Base64Alphabet::kUrl) + "." +
                      Base64Encode(json::serialize(payload), Base64Alphabet::kUrl);
  const std::string mac = Mac(token);
  if (mac.empty()) return Status(ErrorCode::kInternal, "HMAC-SHA256 failed");
  token += ".";
  token += Base64Encode(mac, Base64Alphabet::kUrl);
  return token;
}

Result<IssuedToken> JwtCodec::Issue(std::string_view subject, std::string_view role, TokenType type,
                                    int64_t ttl_seconds, uint64_t credentials_version) const {
  if (ttl_seconds <= 0) {
    return Status(ErrorCode::kInvalidArgument, "a token lifetime must be positive");
  }
  TDB_ASSIGN_OR_RETURN(const std::string id, SecureRandomBytes(kTokenIdBytes));
  IssuedToken issued;
  issued.claims.subject = std::string(subject);
  issued.claims.role = std::string(role);
  issued.claims.issuer = issuer_;
  issued.claims.issued_at = clock_->NowUnixSeconds();
  issued.claims.expires_at = issued.claims.issued_at + ttl_seconds;
  issued.claims.token_id = Base64Encode(id, Base64Alphabet::kUrl);
  issued.claims.type = type;
  issued.claims.credentials_version = credentials_version;
  TDB_ASSIGN_OR_RETURN(issued.token, Sign(issued.claims));
  return issued;
}

Result<TokenClaims> JwtCodec::Verify(std::string_view token, TokenType expected,
                                     TokenRejection* rejection) const {
  if (rejection != nullptr) *rejection = TokenRejection::kNone;
  const auto malformed = [&](std::string_view why) {
    return Refuse(TokenRejection::kMalformed, rejection, "token is malformed: " + std::string(why));
  };
  if (token.empty()) return malformed("it is empty");
  if (token.size() > kMaxTokenBytes) return malformed("it is too long");
  // A token verified before needs only its times checked again (a failing check goes
  // the whole way below, for the same message).
  if (std::optional<TokenClaims> known = verified_->Find(token); known && known->type == expected) {
    const int64_t now = clock_->NowUnixSeconds();
    if (AtMost(now + 1, known->expires_at, leeway_seconds_) &&
        AtMost(known->issued_at, now, leeway_seconds_)) {
      return *std::move(known);
    }
  }
  const size_t dot1 = token.find('.');
  const size_t dot2 = dot1 == token.npos ? token.npos : token.find('.', dot1 + 1);
  if (dot2 == token.npos || token.find('.', dot2 + 1) != token.npos) {
    return malformed("expected three dot-separated parts");
  }

  // 1. The header: only to learn that the algorithm is HS256.
  const std::optional<json::object> header = DecodeObject(token.substr(0, dot1));
  if (!header) return malformed("the header is not base64url-encoded JSON object");
  const json::value* alg = header->if_contains("alg");
  if (alg == nullptr || !alg->is_string()) return malformed("the header has no \"alg\"");
  if (alg->get_string() != "HS256") {
    return Refuse(TokenRejection::kUnsupportedAlgorithm, rejection,
                  "token algorithm " + Quote(alg->get_string()) + " is not accepted; only HS256");
  }
  if (const json::value* typ = header->if_contains("typ"); typ != nullptr) {
    // RFC 7519 section 5.1: "JWT", compared case-insensitively as a media type.
    if (!typ->is_string() || (typ->get_string() != "JWT" && typ->get_string() != "jwt")) {
      return malformed("the header \"typ\" is not \"JWT\"");
    }
  }
  // RFC 7515 section 4.1.11: a recipient must refuse critical extensions it does not know.
  if (header->contains("crit")) return malformed("the header has \"crit\" extensions");

  // 2. The signature, compared in constant time, before any claim is believed.
  const std::optional<std::string> signature =
      Base64Decode(token.substr(dot2 + 1), Base64Alphabet::kUrl);
  if (!signature) return malformed("the signature is not base64url");
  const std::string mac = Mac(token.substr(0, dot2));
  if (mac.empty() || signature->size() != mac.size() ||
      CRYPTO_memcmp(signature->data(), mac.data(), mac.size()) != 0) {
    return Refuse(TokenRejection::kBadSignature, rejection, "token signature does not match");
  }

  // 3. The claims.
  const std::optional<json::object> payload = DecodeObject(token.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!payload) return malformed("the claims are not a base64url-encoded JSON object");
  TokenClaims claims;
  const auto sub = StringClaim(*payload, "sub");
  const auto role = StringClaim(*payload, "role");
  const auto iss = StringClaim(*payload, "iss");
  const auto jti = StringClaim(*payload, "jti");
  const auto type_name = StringClaim(*payload, "token_type");
  const auto iat = TimeClaim(*payload, "iat");
  const auto exp = TimeClaim(*payload, "exp");
  const auto ver = CounterClaim(*payload, "ver");
  if (!sub || sub->empty()) return malformed("no \"sub\" claim");
  if (!role) return malformed("no \"role\" claim");
  if (!iss) return malformed("no \"iss\" claim");
  if (!jti) return malformed("no \"jti\" claim");
  if (!iat) return malformed("no numeric \"iat\" claim");
  if (!exp) return malformed("no numeric \"exp\" claim");
  if (!ver) return malformed("no \"ver\" claim (a non-negative integer)");
  const std::optional<TokenType> type = type_name ? ParseTokenType(*type_name) : std::nullopt;
  if (!type) return malformed("\"token_type\" is not \"access\" or \"refresh\"");
  std::optional<int64_t> nbf;
  if (payload->contains("nbf")) {
    nbf = TimeClaim(*payload, "nbf");
    if (!nbf) return malformed("\"nbf\" is not a number");
  }

  if (*iss != issuer_) {
    return Refuse(TokenRejection::kWrongIssuer, rejection,
                  "token issuer " + Quote(*iss) + " is not " + Quote(issuer_));
  }
  const int64_t now = clock_->NowUnixSeconds();
  // RFC 7519 section 4.1.4: the current time must be before exp.
  if (!AtMost(now + 1, *exp, leeway_seconds_)) {
    return Refuse(TokenRejection::kExpired, rejection,
                  "token has expired (exp " + std::to_string(*exp) + ", now " +
                      std::to_string(now) + "); log in again or refresh it");
  }
  if ((nbf && !AtMost(*nbf, now, leeway_seconds_)) || !AtMost(*iat, now, leeway_seconds_)) {
    return Refuse(TokenRejection::kNotYetValid, rejection,
                  "token is not valid yet (issued in the future; is this server's clock right?)");
  }
  if (*type != expected) {
    return Refuse(TokenRejection::kWrongType, rejection,
                  "token is a" + std::string(*type == TokenType::kAccess ? "n " : " ") +
                      std::string(TokenTypeName(*type)) + " token; " +
                      (expected == TokenType::kAccess ? "an " : "a ") +
                      std::string(TokenTypeName(expected)) + " token is required");
  }
  claims.subject = std::string(*sub);
  claims.role = std::string(*role);
  claims.issuer = std::string(*iss);
  claims.issued_at = *iat;
  claims.expires_at = *exp;
  claims.token_id = std::string(*jti);
  claims.type = *type;
  claims.credentials_version = *ver;
  // A token with "nbf" is not remembered: only "iat" and "exp" are checked on reuse.
  if (!nbf) verified_->Add(token, claims);
  return claims;
}

}  // namespace tenantdb::server
