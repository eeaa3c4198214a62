#include "server/auth/jwt.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "server/auth/base64.h"

namespace tenantdb::server {
namespace {

const std::string kSecret = "0123456789abcdef0123456789abcdef";  // 32 bytes
constexpr int64_t kNow = 1'700'000'000;

std::string B64(std::string_view s) {
  return Base64Encode(s, Base64Alphabet::kUrl);
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len);
  return std::string(reinterpret_cast<const char*>(mac), len);
}

// A token built by hand: any header and claims, signed with `key`.
std::string Forge(std::string_view header, std::string_view claims,
                  std::string_view key = kSecret) {
  const std::string input = B64(header) + "." + B64(claims);
  return input + "." + B64(HmacSha256(key, input));
}

std::string Claims(std::string_view iss = "tenantdb", int64_t iat = kNow, int64_t exp = kNow + 60,
                   std::string_view type = "access") {
  return R"({"sub":"alice","role":"user","iss":")" + std::string(iss) + R"(","iat":)" +
         std::to_string(iat) + R"(,"exp":)" + std::to_string(exp) +
         R"(,"jti":"id1","token_type":")" + std::string(type) + R"(","ver":3})";
}
constexpr std::string_view kHs256Header = R"({"alg":"HS256","typ":"JWT"})";

class JwtTest : public ::testing::Test {
 protected:
  JwtTest()
      : clock_(kNow * 1'000'000),
        codec_(JwtCodec::Create(kSecret, "tenantdb", &clock_, 30).value()) {}

  // The rejection for `token` checked as an access token (kNone when accepted).
  TokenRejection RejectionOf(std::string_view token, TokenType expected = TokenType::kAccess) {
    TokenRejection why = TokenRejection::kMalformed;
    const Result<TokenClaims> r = codec_.Verify(token, expected, &why);
    if (r.ok()) {
      EXPECT_EQ(why, TokenRejection::kNone);
    } else {
      EXPECT_EQ(r.status().code(), ErrorCode::kInvalidAuthorization);
      EXPECT_EQ(r.status().sqlstate(), "28000");
      EXPECT_NE(why, TokenRejection::kNone);
    }
    return why;
  }

  ManualClock clock_;
  JwtCodec codec_;
};

TEST_F(JwtTest, IssuedTokenVerifiesWithItsClaims) {
  const IssuedToken issued = codec_.Issue("alice", "dba", TokenType::kAccess, 900, 42).value();
  EXPECT_EQ(issued.claims.credentials_version, 42u);
  EXPECT_EQ(issued.claims.subject, "alice");
  EXPECT_EQ(issued.claims.role, "dba");
  EXPECT_EQ(issued.claims.issuer, "tenantdb");
  EXPECT_EQ(issued.claims.issued_at, kNow);
  EXPECT_EQ(issued.claims.expires_at, kNow + 900);
  EXPECT_EQ(issued.claims.token_id.size(), 22u);  // 16 random bytes, base64url
  const TokenClaims verified = codec_.Verify(issued.token, TokenType::kAccess).value();
  EXPECT_EQ(verified, issued.claims);
}

TEST_F(JwtTest, TokenHasTheStandardHeaderAndBase64urlParts) {
  const std::string token = codec_.Issue("alice", "user", TokenType::kAccess, 60).value().token;
  const size_t dot1 = token.find('.');
  const size_t dot2 = token.find('.', dot1 + 1);
  ASSERT_NE(dot2, std::string::npos);
  EXPECT_EQ(Base64Decode(token.substr(0, dot1), Base64Alphabet::kUrl), kHs256Header);
  const std::string claims =
      Base64Decode(token.substr(dot1 + 1, dot2 - dot1 - 1), Base64Alphabet::kUrl).value();
  EXPECT_EQ(claims.rfind(R"({"sub":"alice","role":"user","iss":"tenantdb","iat":1700000000,)", 0),
            0u)
      << claims;
  EXPECT_NE(claims.find(R"("token_type":"access","ver":0})"), std::string::npos) << claims;
  EXPECT_EQ(token.find('='), std::string::npos);
  EXPECT_EQ(token.find('+'), std::string::npos);
  EXPECT_EQ(token.find('/'), std::string::npos);
  // The signature is HMAC-SHA256 of the first two parts: the same as OpenSSL computes.
  EXPECT_EQ(token.substr(dot2 + 1), B64(HmacSha256(kSecret, token.substr(0, dot2))));
}

TEST_F(JwtTest, HandBuiltTokenWithTheRightSecretVerifies) {
  EXPECT_EQ(RejectionOf(Forge(kHs256Header, Claims())), TokenRejection::kNone);
  // No "typ" is fine too (RFC 7515: optional).
  EXPECT_EQ(RejectionOf(Forge(R"({"alg":"HS256"})", Claims())), TokenRejection::kNone);
}

TEST_F(JwtTest, EveryTamperedByteIsRefused) {
  const std::string token = codec_.Issue("alice", "user", TokenType::kAccess, 60).value().token;
  for (size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '.') continue;
    std::string tampered = token;
    tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
    const TokenRejection why = RejectionOf(tampered);
    EXPECT_NE(why, TokenRejection::kNone) << "byte " << i;
  }
}

TEST_F(JwtTest, ChangedClaimsWithTheOldSignatureAreABadSignature) {
  const std::string token = codec_.Issue("alice", "user", TokenType::kAccess, 60).value().token;
  const size_t dot1 = token.find('.');
  const size_t dot2 = token.find('.', dot1 + 1);
  // alice promotes herself to system, keeping her signature.
  std::string claims =
      Base64Decode(token.substr(dot1 + 1, dot2 - dot1 - 1), Base64Alphabet::kUrl).value();
  claims.replace(claims.find("\"user\""), 6, "\"system\"");
  const std::string forged = token.substr(0, dot1 + 1) + B64(claims) + token.substr(dot2);
  EXPECT_EQ(RejectionOf(forged), TokenRejection::kBadSignature);
}

TEST_F(JwtTest, TokenSignedWithAnotherSecretIsABadSignature) {
  EXPECT_EQ(RejectionOf(Forge(kHs256Header, Claims(), "another secret of 32 bytes or more!")),
            TokenRejection::kBadSignature);
  const JwtCodec other =
      JwtCodec::Create("another secret of 32 bytes or more!", "tenantdb", &clock_).value();
  const std::string token = other.Issue("alice", "user", TokenType::kAccess, 60).value().token;
  EXPECT_EQ(RejectionOf(token), TokenRejection::kBadSignature);
}

TEST_F(JwtTest, AlgNoneIsRefused) {
  const std::string unsigned_token =
      B64(R"({"alg":"none","typ":"JWT"})") + "." + B64(Claims()) + ".";
  EXPECT_EQ(RejectionOf(unsigned_token), TokenRejection::kUnsupportedAlgorithm);
  // Even with a valid HS256 signature attached, and in any spelling.
  EXPECT_EQ(RejectionOf(Forge(R"({"alg":"none"})", Claims())),
            TokenRejection::kUnsupportedAlgorithm);
  EXPECT_EQ(RejectionOf(Forge(R"({"alg":"None"})", Claims())),
            TokenRejection::kUnsupportedAlgorithm);
  const Result<TokenClaims> r = codec_.Verify(unsigned_token, TokenType::kAccess);
  EXPECT_NE(r.status().message().find("'none' is not accepted; only HS256"), std::string_view::npos)
      << r.status().message();
}

TEST_F(JwtTest, OtherAlgorithmsAreRefused) {
  for (const char* alg : {"HS512", "HS384", "RS256", "ES256", "hs256", ""}) {
    const std::string header = std::string(R"({"alg":")") + alg + R"("})";
    EXPECT_EQ(RejectionOf(Forge(header, Claims())), TokenRejection::kUnsupportedAlgorithm) << alg;
  }
  // No alg at all, or not a string: malformed.
  EXPECT_EQ(RejectionOf(Forge(R"({"typ":"JWT"})", Claims())), TokenRejection::kMalformed);
  EXPECT_EQ(RejectionOf(Forge(R"({"alg":256})", Claims())), TokenRejection::kMalformed);
}

TEST_F(JwtTest, WrongIssuerIsRefused) {
  EXPECT_EQ(RejectionOf(Forge(kHs256Header, Claims("someone-else"))), TokenRejection::kWrongIssuer);
  const JwtCodec staging = JwtCodec::Create(kSecret, "staging", &clock_).value();
  const std::string token = staging.Issue("alice", "user", TokenType::kAccess, 60).value().token;
  EXPECT_EQ(RejectionOf(token), TokenRejection::kWrongIssuer);
}

TEST_F(JwtTest, ExpiredTokenIsRefusedAfterTheLeeway) {
  const std::string token = codec_.Issue("alice", "user", TokenType::kAccess, 60).value().token;
  clock_.AdvanceSeconds(60);  // at exp: expired but within the 30 s leeway
  EXPECT_EQ(RejectionOf(token), TokenRejection::kNone);
  clock_.AdvanceSeconds(29);
  EXPECT_EQ(RejectionOf(token), TokenRejection::kNone);
  clock_.AdvanceSeconds(1);  // exp + leeway
  EXPECT_EQ(RejectionOf(token), TokenRejection::kExpired);
  const Result<TokenClaims> r = codec_.Verify(token, TokenType::kAccess);
  EXPECT_NE(r.status().message().find("expired"), std::string_view::npos);
}

TEST_F(JwtTest, ZeroLeewayExpiresExactlyAtExp) {
  const JwtCodec strict = JwtCodec::Create(kSecret, "tenantdb", &clock_, 0).value();
  const std::string token = strict.Issue("alice", "user", TokenType::kAccess, 10).value().token;
  clock_.AdvanceSeconds(9);
  EXPECT_TRUE(strict.Verify(token, TokenType::kAccess).ok());
  clock_.AdvanceSeconds(1);
  TokenRejection why = TokenRejection::kNone;
  EXPECT_FALSE(strict.Verify(token, TokenType::kAccess, &why).ok());
  EXPECT_EQ(why, TokenRejection::kExpired);
}

TEST_F(JwtTest, TokenFromTheFutureIsNotYetValid) {
  EXPECT_EQ(RejectionOf(Forge(kHs256Header, Claims("tenantdb", kNow + 3600, kNow + 7200))),
            TokenRejection::kNotYetValid);
  // Within the leeway, a little skew between servers is accepted.
  EXPECT_EQ(RejectionOf(Forge(kHs256Header, Claims("tenantdb", kNow + 20, kNow + 80))),
            TokenRejection::kNone);
  // nbf is honoured when present.
  const std::string nbf = R"({"sub":"a","role":"user","iss":"tenantdb","iat":)" +
                          std::to_string(kNow) + R"(,"exp":)" + std::to_string(kNow + 600) +
                          R"(,"nbf":)" + std::to_string(kNow + 300) +
                          R"(,"jti":"x","token_type":"access","ver":0})";
  EXPECT_EQ(RejectionOf(Forge(kHs256Header, nbf)), TokenRejection::kNotYetValid);
  clock_.AdvanceSeconds(290);
  EXPECT_EQ(RejectionOf(Forge(kHs256Header, nbf)), TokenRejection::kNone);
}

TEST_F(JwtTest, ARememberedTokenHasItsTimesAndTypeCheckedOnEveryUse) {
  // Verified once (and remembered), a token is still refused when the wall clock is set
  // back before it was issued, when it expires, and as the wrong type.
  const std::string token = codec_.Issue("alice", "user", TokenType::kAccess, 60).value().token;
  EXPECT_EQ(RejectionOf(token), TokenRejection::kNone);
  EXPECT_EQ(RejectionOf(token), TokenRejection::kNone);
  EXPECT_EQ(RejectionOf(token, TokenType::kRefresh), TokenRejection::kWrongType);
  clock_.SetUnixMicros((kNow - 31) * 1'000'000);
  EXPECT_EQ(RejectionOf(token), TokenRejection::kNotYetValid);
  clock_.SetUnixMicros((kNow + 90) * 1'000'000);
  EXPECT_EQ(RejectionOf(token), TokenRejection::kExpired);
  // A copy of the codec shares what it remembered and checks the same way.
  const JwtCodec copy = codec_;
  TokenRejection why = TokenRejection::kNone;
  EXPECT_FALSE(copy.Verify(token, TokenType::kAccess, &why).ok());
  EXPECT_EQ(why, TokenRejection::kExpired);
  // One changed byte is a different token: verified afresh, refused.
  std::string tampered = token;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  clock_.SetUnixMicros(kNow * 1'000'000);
  EXPECT_NE(RejectionOf(tampered), TokenRejection::kNone);
  EXPECT_EQ(RejectionOf(token), TokenRejection::kNone);
}

TEST_F(JwtTest, WrongTokenTypeIsRefused) {
  const std::string refresh = codec_.Issue("alice", "user", TokenType::kRefresh, 600).value().token;
  const std::string access = codec_.Issue("alice", "user", TokenType::kAccess, 600).value().token;
  EXPECT_EQ(RejectionOf(refresh, TokenType::kAccess), TokenRejection::kWrongType);
  EXPECT_EQ(RejectionOf(access, TokenType::kRefresh), TokenRejection::kWrongType);
  EXPECT_EQ(RejectionOf(refresh, TokenType::kRefresh), TokenRejection::kNone);
  const Result<TokenClaims> r = codec_.Verify(refresh, TokenType::kAccess);
  EXPECT_NE(r.status().message().find("is a refresh token; an access token is required"),
            std::string_view::npos)
      << r.status().message();
}

TEST_F(JwtTest, MalformedTokensAreRefused) {
  const std::string good = Forge(kHs256Header, Claims());
  const std::string cases[] = {
      "",
      "abc",
      "a.b",
      good + ".extra",
      "..",
      "!!!." + good.substr(good.find('.') + 1),  // header not base64url
      B64("not json") + good.substr(good.find('.')),
      B64("[1,2]") + good.substr(good.find('.')),  // header not an object
      good.substr(0, good.rfind('.') + 1) + "*",   // signature not base64url
      std::string(JwtCodec::kMaxTokenBytes + 1, 'a'),
  };
  for (const std::string& token : cases)
    EXPECT_EQ(RejectionOf(token), TokenRejection::kMalformed) << token;
}

TEST_F(JwtTest, SignedButIncompleteClaimsAreMalformed) {
  const char* cases[] = {
      R"([1])",
      R"({"role":"user","iss":"tenantdb","iat":1700000000,"exp":1700000060,"jti":"x","token_type":"access"})",
      R"({"sub":"","role":"user","iss":"tenantdb","iat":1700000000,"exp":1700000060,"jti":"x","token_type":"access"})",
      R"({"sub":"a","iss":"tenantdb","iat":1700000000,"exp":1700000060,"jti":"x","token_type":"access"})",
      R"({"sub":"a","role":"user","iat":1700000000,"exp":1700000060,"jti":"x","token_type":"access"})",
      R"({"sub":"a","role":"user","iss":"tenantdb","exp":1700000060,"jti":"x","token_type":"access"})",
      R"({"sub":"a","role":"user","iss":"tenantdb","iat":1700000000,"jti":"x","token_type":"access"})",
      R"({"sub":"a","role":"user","iss":"tenantdb","iat":1700000000,"exp":"soon","jti":"x","token_type":"access"})",
      R"({"sub":"a","role":"user","iss":"tenantdb","iat":1700000000,"exp":1700000060,"token_type":"access"})",
      R"({"sub":"a","role":"user","iss":"tenantdb","iat":1700000000,"exp":1700000060,"jti":"x"})",
      R"({"sub":"a","role":"user","iss":"tenantdb","iat":1700000000,"exp":1700000060,"jti":"x","token_type":"id"})",
      R"({"sub":7,"role":"user","iss":"tenantdb","iat":1700000000,"exp":1700000060,"jti":"x","token_type":"access","ver":1})",
      // The credentials version: required, a non-negative integer.
      R"({"sub":"a","role":"user","iss":"tenantdb","iat":1700000000,"exp":1700000060,"jti":"x","token_type":"access"})",
      R"({"sub":"a","role":"user","iss":"tenantdb","iat":1700000000,"exp":1700000060,"jti":"x","token_type":"access","ver":-1})",
      R"({"sub":"a","role":"user","iss":"tenantdb","iat":1700000000,"exp":1700000060,"jti":"x","token_type":"access","ver":1.5})",
      R"({"sub":"a","role":"user","iss":"tenantdb","iat":1700000000,"exp":1700000060,"jti":"x","token_type":"access","ver":"1"})",
  };
  for (const char* claims : cases)
    EXPECT_EQ(RejectionOf(Forge(kHs256Header, claims)), TokenRejection::kMalformed) << claims;
  EXPECT_EQ(RejectionOf(Forge(R"({"alg":"HS256","crit":["exp"]})", Claims())),
            TokenRejection::kMalformed);
  EXPECT_EQ(RejectionOf(Forge(R"({"alg":"HS256","typ":"JOSE+JSON"})", Claims())),
            TokenRejection::kMalformed);
}

TEST_F(JwtTest, ExtremeTimesDoNotOverflow) {
  const std::string far =
      R"({"sub":"a","role":"user","iss":"tenantdb","iat":-9223372036854775808,"exp":9223372036854775807,"jti":"x","token_type":"access","ver":18446744073709551615})";
  EXPECT_EQ(RejectionOf(Forge(kHs256Header, far)), TokenRejection::kNone);
  const std::string past =
      R"({"sub":"a","role":"user","iss":"tenantdb","iat":0,"exp":-9223372036854775808,"jti":"x","token_type":"access","ver":0})";
  EXPECT_EQ(RejectionOf(Forge(kHs256Header, past)), TokenRejection::kExpired);
  const std::string huge =
      R"({"sub":"a","role":"user","iss":"tenantdb","iat":0,"exp":1e300,"jti":"x","token_type":"access","ver":0})";
  EXPECT_EQ(RejectionOf(Forge(kHs256Header, huge)), TokenRejection::kMalformed);
  const std::string fractional =
      R"({"sub":"a","role":"user","iss":"tenantdb","iat":1700000000.5,"exp":1700000060.9,"jti":"x","token_type":"access","ver":0})";
  EXPECT_EQ(RejectionOf(Forge(kHs256Header, fractional)), TokenRejection::kNone);
}

TEST_F(JwtTest, RejectionNamesAreStable) {
  EXPECT_EQ(TokenRejectionName(TokenRejection::kMalformed), "malformed");
  EXPECT_EQ(TokenRejectionName(TokenRejection::kUnsupportedAlgorithm), "unsupported_algorithm");
  EXPECT_EQ(TokenRejectionName(TokenRejection::kBadSignature), "bad_signature");
  EXPECT_EQ(TokenRejectionName(TokenRejection::kWrongIssuer), "wrong_issuer");
  EXPECT_EQ(TokenRejectionName(TokenRejection::kExpired), "expired");
  EXPECT_EQ(TokenRejectionName(TokenRejection::kNotYetValid), "not_yet_valid");
  EXPECT_EQ(TokenRejectionName(TokenRejection::kWrongType), "wrong_token_type");
}

TEST(JwtCodec, RefusesShortSecretsEmptyIssuerAndBadLifetimes) {
  const Result<JwtCodec> short_secret = JwtCodec::Create(std::string(31, 'k'), "tenantdb");
  ASSERT_FALSE(short_secret.ok());
  EXPECT_NE(short_secret.status().message().find("at least 32"), std::string_view::npos);
  EXPECT_FALSE(JwtCodec::Create(kSecret, "").ok());
  EXPECT_FALSE(JwtCodec::Create(kSecret, "tenantdb", &Clock::System(), -1).ok());
  const JwtCodec codec = JwtCodec::Create(kSecret, "tenantdb").value();
  EXPECT_FALSE(codec.Issue("alice", "user", TokenType::kAccess, 0).ok());
  EXPECT_FALSE(codec.Issue("", "user", TokenType::kAccess, 60).ok());
}

TEST(JwtCodec, TokenIdsAreUnique) {
  const JwtCodec codec = JwtCodec::Create(kSecret, "tenantdb").value();
  const auto a = codec.Issue("alice", "user", TokenType::kRefresh, 60).value();
  const auto b = codec.Issue("alice", "user", TokenType::kRefresh, 60).value();
  EXPECT_NE(a.claims.token_id, b.claims.token_id);
  EXPECT_NE(a.token, b.token);
}

}  // namespace
}  // namespace tenantdb::server
