#include "server/auth/password_hash.h"

#include <argon2.h>
#include <openssl/crypto.h>

#include <charconv>
#include <optional>

#include "server/auth/base64.h"
#include "server/auth/secure_random.h"

namespace tenantdb::server {

namespace {

constexpr std::string_view kPrefix = "$argon2id$v=19$";

// Bounds on what a stored string may ask for. Hash never writes anything outside them;
// a string outside them is corrupt or planted, and honouring it would let one login
// allocate up to 4 TiB or loop for hours.
constexpr uint32_t kMaxMemoryKib = 1024 * 1024;  // 1 GiB
constexpr uint32_t kMaxIterations = 64;
constexpr uint32_t kMaxParallelism = 16;
constexpr size_t kMinSaltBytes = 8;  // ARGON2_MIN_SALT_LENGTH
constexpr size_t kMaxSaltBytes = 64;
constexpr size_t kMinHashBytes = 16;
constexpr size_t kMaxHashBytes = 64;

struct ParsedHash {
  PasswordHashParams params;
  std::string salt;
  std::string hash;
};

Status Malformed(std::string_view why) {
  return Status(ErrorCode::kCorruption,
                "stored password hash is not a valid argon2id hash (" + std::string(why) + ")");
}

// A PHC decimal: digits only, no sign, no leading zero.
std::optional<uint32_t> ParseDecimal(std::string_view text) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  uint32_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Takes "<name>=<decimal>" off the front of `text`, up to `separator` (or the end).
std::optional<uint32_t> TakeParam(std::string_view* text, char name, char separator) {
  if (text->size() < 2 || (*text)[0] != name || (*text)[1] != '=') return std::nullopt;
  const size_t end = text->find(separator);
  const std::optional<uint32_t> value =
      ParseDecimal(text->substr(2, end == std::string_view::npos ? text->npos : end - 2));
  *text = end == std::string_view::npos ? std::string_view() : text->substr(end + 1);
  return value;
}

Result<ParsedHash> Parse(std::string_view stored) {
  if (stored.substr(0, kPrefix.size()) != kPrefix) {
    return Malformed("expected it to start with \"" + std::string(kPrefix) + "\"");
  }
  std::string_view rest = stored.substr(kPrefix.size());
  const size_t params_end = rest.find('$');
  if (params_end == std::string_view::npos) return Malformed("no salt");
  std::string_view params = rest.substr(0, params_end);
  rest = rest.substr(params_end + 1);
  ParsedHash parsed;
  const auto m = TakeParam(&params, 'm', ',');
  const auto t = TakeParam(&params, 't', ',');
  const auto p = TakeParam(&params, 'p', ',');
  if (!m || !t || !p || !params.empty()) return Malformed("parameters are not m=<n>,t=<n>,p=<n>");
  parsed.params = {*m, *t, *p};
  if (*p < 1 || *p > kMaxParallelism) return Malformed("parallelism out of range");
  if (*t < 1 || *t > kMaxIterations) return Malformed("iterations out of range");
  if (*m < 8 * *p || *m > kMaxMemoryKib) return Malformed("memory out of range");

  const size_t salt_end = rest.find('$');
  if (salt_end == std::string_view::npos) return Malformed("no hash");
  std::optional<std::string> salt =
      Base64Decode(rest.substr(0, salt_end), Base64Alphabet::kStandard);
  std::optional<std::string> hash =
      Base64Decode(rest.substr(salt_end + 1), Base64Alphabet::kStandard);
  if (!salt || !hash) return Malformed("salt or hash is not base64");
  if (salt->size() < kMinSaltBytes || salt->size() > kMaxSaltBytes) {
    return Malformed("salt length out of range");
  }
  if (hash->size() < kMinHashBytes || hash->size() > kMaxHashBytes) {
    return Malformed("hash length out of range");
  }
  parsed.salt = std::move(*salt);
  parsed.hash = std::move(*hash);
  return parsed;
}

Result<std::string> Argon2id(std::string_view password, std::string_view salt,
                             const PasswordHashParams& params, size_t hash_bytes) {
  std::string out(hash_bytes, '\0');
  const int rc =
      argon2id_hash_raw(params.iterations, params.memory_kib, params.parallelism, password.data(),
                        password.size(), salt.data(), salt.size(), out.data(), out.size());
  if (rc != ARGON2_OK) {
    // Only resource failures remain once the inputs are validated (e.g. no memory).
    return Status(ErrorCode::kInternal,
                  std::string("argon2id failed: ") + argon2_error_message(rc));
  }
  return out;
}

size_t CodePoints(std::string_view text) {
  size_t n = 0;
  for (const char c : text)
    n += (static_cast<uint8_t>(c) & 0xC0) != 0x80;  // count every byte but continuations
  return n;
}

}  // namespace

PasswordHasher::PasswordHasher(PasswordHashParams params, size_t min_length)
    : params_(params), min_length_(min_length) {}

Status PasswordHasher::CheckPolicy(std::string_view password) const {
  if (password.size() > kMaxLengthBytes) {
    return Status(ErrorCode::kInvalidArgument, "password is too long; the maximum is " +
                                                   std::to_string(kMaxLengthBytes) + " bytes");
  }
  if (CodePoints(password) < min_length_) {
    return Status(ErrorCode::kInvalidArgument, "password is too short; it needs at least " +
                                                   std::to_string(min_length_) + " characters");
  }
  return Status::Ok();
}

Result<std::string> PasswordHasher::Hash(std::string_view password) const {
  TDB_RETURN_IF_ERROR(CheckPolicy(password));
  TDB_ASSIGN_OR_RETURN(const std::string salt, SecureRandomBytes(kSaltBytes));
  TDB_ASSIGN_OR_RETURN(const std::string hash, Argon2id(password, salt, params_, kHashBytes));
  return std::string(kPrefix) + "m=" + std::to_string(params_.memory_kib) +
         ",t=" + std::to_string(params_.iterations) + ",p=" + std::to_string(params_.parallelism) +
         "$" + Base64Encode(salt, Base64Alphabet::kStandard) + "$" +
         Base64Encode(hash, Base64Alphabet::kStandard);
}

Result<bool> PasswordHasher::Verify(std::string_view password, std::string_view stored) const {
  TDB_ASSIGN_OR_RETURN(const ParsedHash parsed, Parse(stored));
  // Over-long passwords cannot have been set through Hash; refusing them here keeps a
  // login request from buying a long hash.
  if (password.size() > kMaxLengthBytes) return false;
  TDB_ASSIGN_OR_RETURN(const std::string computed,
                       Argon2id(password, parsed.salt, parsed.params, parsed.hash.size()));
  // Constant time: how many leading bytes matched must not show in the timing.
  return CRYPTO_memcmp(computed.data(), parsed.hash.data(), computed.size()) == 0;
}

bool PasswordHasher::NeedsRehash(std::string_view stored) const {
  const Result<ParsedHash> parsed = Parse(stored);
  return !parsed.ok() || !(parsed->params == params_) || parsed->salt.size() != kSaltBytes ||
         parsed->hash.size() != kHashBytes;
}

}  // namespace tenantdb::server
