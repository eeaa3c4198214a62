#include "server/auth/scram_exchange.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "common/sha256.h"
#include "server/auth/base64.h"
#include "server/auth/secure_random.h"

namespace tenantdb::server {

namespace {

Status Malformed(std::string_view why) {
  return Status(ErrorCode::kInvalidRequest, "malformed SCRAM message (" + std::string(why) + ")");
}

// The value of attribute `name` ("r" in "r=abc") at the front of `*message`, which
// then starts after the following comma.
std::optional<std::string_view> TakeAttribute(std::string_view* message, char name) {
  if (message->size() < 2 || (*message)[0] != name || (*message)[1] != '=') return std::nullopt;
  const size_t comma = message->find(',');
  std::string_view value =
      message->substr(2, comma == std::string_view::npos ? std::string_view::npos : comma - 2);
  message->remove_prefix(comma == std::string_view::npos ? message->size() : comma + 1);
  return value;
}

Status LoginFailed() {
  return Status(ErrorCode::kInvalidPassword, "invalid user name or password");
}

}  // namespace

std::string ScramBase64(std::string_view bytes) {
  std::string out = Base64Encode(bytes, Base64Alphabet::kStandard);
  while (out.size() % 4 != 0)
    out.push_back('=');
  return out;
}

std::optional<std::string> ScramUnbase64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  size_t pads = 0;
  while (!text.empty() && text.back() == '=' && pads < 2) {
    text.remove_suffix(1);
    ++pads;
  }
  return Base64Decode(text, Base64Alphabet::kStandard);
}

ScramExchange::ScramExchange(std::optional<ScramCredentials> credentials, std::string_view user,
                             std::string server_nonce)
    : credentials_(std::move(credentials)), server_nonce_(std::move(server_nonce)) {
  if (!credentials_.has_value()) {
    // The same fake salt for the same name on every attempt, as a real one would be.
    fake_salt_ = Sha256("tenantdb-scram-mock:" + std::string(user)).substr(0, 16);
  }
}

Result<std::string> ScramExchange::ClientFirst(std::string_view message) {
  if (first_done_) return Malformed("client-first-message sent twice");
  first_done_ = true;
  // gs2-header: "n,," (no channel binding), "y,," (client could, server cannot), or
  // "p=..." (channel binding: needs TLS).
  if (message.starts_with("p=")) {
    return Malformed("channel binding is not supported without TLS; use SCRAM-SHA-256");
  }
  if (!message.starts_with("n,") && !message.starts_with("y,")) {
    return Malformed("expected a gs2 header n,, or y,,");
  }
  const size_t second = message.find(',', 2);
  if (second == std::string_view::npos) return Malformed("gs2 header not terminated");
  if (second != 2) return Malformed("authorization identities are not supported");
  gs2_header_ = std::string(message.substr(0, second + 1));
  std::string_view bare = message.substr(second + 1);
  client_first_bare_ = std::string(bare);
  if (bare.starts_with("m=")) return Malformed("mandatory extensions are not supported");
  if (!TakeAttribute(&bare, 'n').has_value()) return Malformed("expected n= (user name)");
  const std::optional<std::string_view> client_nonce = TakeAttribute(&bare, 'r');
  if (!client_nonce.has_value() || client_nonce->empty()) {
    return Malformed("expected r= (client nonce)");
  }
  for (char c : *client_nonce) {
    if (c < 0x21 || c > 0x7e || c == ',')
      return Malformed("nonce has a character outside printable ASCII");
  }
  if (server_nonce_.empty()) {
    TDB_ASSIGN_OR_RETURN(std::string random, SecureRandomBytes(18));
    server_nonce_ = ScramBase64(random);
  }
  nonce_ = std::string(*client_nonce) + server_nonce_;
  const std::string& salt = credentials_ ? credentials_->salt : fake_salt_;
  const uint32_t iterations = credentials_ ? credentials_->iterations : 4096;
  server_first_ = "r=" + nonce_ + ",s=" + ScramBase64(salt) + ",i=" + std::to_string(iterations);
  return server_first_;
}

Result<std::string> ScramExchange::ClientFinal(std::string_view message) {
  if (!first_done_ || final_done_ || server_first_.empty()) {
    return Malformed("client-final-message out of order");
  }
  final_done_ = true;
  std::string_view rest = message;
  const std::optional<std::string_view> binding = TakeAttribute(&rest, 'c');
  if (!binding.has_value() || ScramUnbase64(*binding) != gs2_header_) {
    return Malformed("channel binding data does not match the gs2 header");
  }
  const std::optional<std::string_view> nonce = TakeAttribute(&rest, 'r');
  if (!nonce.has_value() || *nonce != nonce_) return Malformed("nonce does not match");
  // Extensions before the proof are ignored; the proof is last.
  const size_t proof_at = message.rfind(",p=");
  if (proof_at == std::string_view::npos) return Malformed("expected p= (client proof)");
  const std::string_view without_proof = message.substr(0, proof_at);
  const std::optional<std::string> proof = ScramUnbase64(message.substr(proof_at + 3));
  if (!proof.has_value() || proof->size() != SHA256_DIGEST_LENGTH) {
    return Malformed("client proof is not 32 bytes of base64");
  }
  if (!credentials_.has_value()) return LoginFailed();
  const std::string auth_message =
      client_first_bare_ + "," + server_first_ + "," + std::string(without_proof);
  const std::string client_signature = HmacSha256(credentials_->stored_key, auth_message);
  std::string client_key = *proof;
  for (size_t i = 0; i < client_key.size(); ++i)
    client_key[i] = static_cast<char>(client_key[i] ^ client_signature[i]);
  const std::string stored = Sha256(client_key);
  if (stored.size() != credentials_->stored_key.size() ||
      CRYPTO_memcmp(stored.data(), credentials_->stored_key.data(), stored.size()) != 0) {
    return LoginFailed();
  }
  return "v=" + ScramBase64(HmacSha256(credentials_->server_key, auth_message));
}

}  // namespace tenantdb::server
