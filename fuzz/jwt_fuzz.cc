// libFuzzer target: bearer tokens as a client sends them (server/auth/jwt.h).
// The input is checked twice: as a whole token, and, from its second byte on, as a claims
// object that is given a valid HS256 header and signature, so the fuzzer also reaches
// the claims parser behind the signature check. The first byte picks the expected token
// type. Nothing may crash; a token that verifies must re-sign to a token that verifies to
// the same claims.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "server/auth/base64.h"
#include "server/auth/jwt.h"
#include "server/clock.h"

namespace {

using namespace tenantdb;
using namespace tenantdb::server;

const std::string kSecret = "fuzzing secret of at least 32 bytes!";

const JwtCodec& Codec() {
  static ManualClock clock(1'700'000'000'000'000);
  static const JwtCodec codec = JwtCodec::Create(kSecret, "tenantdb", &clock).value();
  return codec;
}

void Check(std::string_view token, TokenType expected) {
  TokenRejection why = TokenRejection::kNone;
  const Result<TokenClaims> claims = Codec().Verify(token, expected, &why);
  if (claims.ok() != (why == TokenRejection::kNone)) std::abort();
  if (!claims.ok()) return;
  const Result<std::string> again = Codec().Sign(*claims);
  if (!again.ok()) std::abort();
  const Result<TokenClaims> claims2 = Codec().Verify(*again, expected);
  if (!claims2.ok() || !(*claims2 == *claims)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const TokenType expected = size > 0 && (data[0] & 1) ? TokenType::kRefresh : TokenType::kAccess;
  Check(input, expected);
  if (size == 0) return 0;
  const std::string signing_input =
      Base64Encode(R"({"alg":"HS256","typ":"JWT"})", Base64Alphabet::kUrl) + "." +
      Base64Encode(input.substr(1), Base64Alphabet::kUrl);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), kSecret.data(), static_cast<int>(kSecret.size()),
       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac,
       &mac_len);
  Check(signing_input + "." +
            Base64Encode(std::string_view(reinterpret_cast<const char*>(mac), mac_len),
                         Base64Alphabet::kUrl),
        expected);
  return 0;
}
