#include "catalog/scram_verifier.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <charconv>
#include <vector>

#include "common/sha256.h"

namespace tenantdb {

namespace {

constexpr std::string_view kMechanism = "SCRAM-SHA-256";
constexpr uint32_t kMaxIterations = 1'000'000;
constexpr size_t kMaxSaltBytes = 1024;
constexpr size_t kKeyBytes = 32;

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<std::string> Unbase64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0 || text.size() > 4 * kMaxSaltBytes) {
    return std::nullopt;
  }
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock keeps the zero bytes the padding stands for: drop them.
  size_t length = static_cast<size_t>(n);
  if (text.back() == '=') --length;
  if (text[text.size() - 2] == '=') --length;
  out.resize(length);
  return out;
}

}  // namespace

ScramSecret DeriveScramSecret(std::string_view password, std::string_view salt,
                              uint32_t iterations) {
  std::string salted(kKeyBytes, '\0');
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()),
                    static_cast<int>(salt.size()), static_cast<int>(iterations), EVP_sha256(),
                    static_cast<int>(kKeyBytes), reinterpret_cast<unsigned char*>(salted.data()));
  ScramSecret secret;
  secret.salt = std::string(salt);
  secret.iterations = iterations;
  secret.stored_key = Sha256(HmacSha256(salted, "Client Key"));
  secret.server_key = HmacSha256(salted, "Server Key");
  return secret;
}

Result<std::string> MakeScramVerifier(std::string_view password, uint32_t iterations) {
  std::string salt(16, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), static_cast<int>(salt.size())) !=
      1) {
    return Status(ErrorCode::kInternal, "the random generator failed to make a SCRAM salt");
  }
  return FormatScramVerifier(DeriveScramSecret(password, salt, iterations));
}

std::string FormatScramVerifier(const ScramSecret& secret) {
  return std::string(kMechanism) + "$" + std::to_string(secret.iterations) + ":" +
         Base64(secret.salt) + "$" + Base64(secret.stored_key) + ":" + Base64(secret.server_key);
}

std::optional<ScramSecret> ParseScramVerifier(std::string_view text) {
  if (text.substr(0, kMechanism.size() + 1) != std::string(kMechanism) + "$") return std::nullopt;
  text.remove_prefix(kMechanism.size() + 1);
  const size_t colon = text.find(':');
  const size_t dollar = text.find('$');
  if (colon == std::string_view::npos || dollar == std::string_view::npos || colon > dollar) {
    return std::nullopt;
  }
  ScramSecret secret;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + colon, secret.iterations);
  if (ec != std::errc() || end != text.data() + colon || secret.iterations == 0 ||
      secret.iterations > kMaxIterations) {
    return std::nullopt;
  }
  std::optional<std::string> salt = Unbase64(text.substr(colon + 1, dollar - colon - 1));
  const std::string_view keys = text.substr(dollar + 1);
  const size_t key_colon = keys.find(':');
  if (!salt || key_colon == std::string_view::npos) return std::nullopt;
  std::optional<std::string> stored = Unbase64(keys.substr(0, key_colon));
  std::optional<std::string> server = Unbase64(keys.substr(key_colon + 1));
  if (!stored || !server || stored->size() != kKeyBytes || server->size() != kKeyBytes) {
    return std::nullopt;
  }
  secret.salt = std::move(*salt);
  secret.stored_key = std::move(*stored);
  secret.server_key = std::move(*server);
  return secret;
}

}  // namespace tenantdb
