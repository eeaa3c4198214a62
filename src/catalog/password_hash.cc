#include "catalog/password_hash.h"

#include <argon2.h>
#include <sys/random.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>

namespace tenantdb {

namespace {

// ---- PHC's base64: the standard alphabet without padding, decoded strictly (no
// padding, nothing outside the alphabet, zero unused bits) so a stored hash has one
// spelling. (server/auth/base64.h has the same codec for tokens; the catalog cannot
// use server code.)
constexpr std::string_view kBase64Chars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<uint8_t, 256> MakeReverse() {
  std::array<uint8_t, 256> table{};
  for (auto& v : table)
    v = 0xFF;
  for (size_t i = 0; i < kBase64Chars.size(); ++i)
    table[static_cast<uint8_t>(kBase64Chars[i])] = static_cast<uint8_t>(i);
  return table;
}
constexpr std::array<uint8_t, 256> kBase64Reverse = MakeReverse();

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  uint32_t acc = 0;
  int bits = 0;
  for (const char c : bytes) {
    acc = (acc << 8) | static_cast<uint8_t>(c);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kBase64Chars[(acc >> bits) & 63];
    }
  }
  if (bits > 0) out += kBase64Chars[(acc << (6 - bits)) & 63];
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;  // 6 leftover bits end no byte
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (const char c : text) {
    const uint8_t v = kBase64Reverse[static_cast<uint8_t>(c)];
    if (v == 0xFF) return std::nullopt;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  if ((acc & ((1u << bits) - 1)) != 0) return std::nullopt;  // non-zero unused bits
  return out;
}

// Salt bytes from the kernel's generator (blocks only until it is seeded at boot).
Result<std::string> RandomBytes(size_t n) {
  std::string bytes(n, '\0');
  size_t filled = 0;
  while (filled < n) {
    const ssize_t got = getrandom(bytes.data() + filled, n - filled, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return Status(ErrorCode::kInternal, std::string("getrandom failed: ") + std::strerror(errno));
    }
    filled += static_cast<size_t>(got);
  }
  return bytes;
}

// Constant time: how many leading bytes match must not show in the timing.
bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  volatile uint8_t diff = 0;
  for (size_t i = 0; i < a.size(); ++i)
    diff = diff | (static_cast<uint8_t>(a[i]) ^ static_cast<uint8_t>(b[i]));
  return diff == 0;
}

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
  std::optional<std::string> salt = Base64Decode(rest.substr(0, salt_end));
  std::optional<std::string> hash = Base64Decode(rest.substr(salt_end + 1));
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
    return Status(ErrorCode::kInvalidPassword, "password is too long; the maximum is " +
                                                   std::to_string(kMaxLengthBytes) + " bytes");
  }
  if (CodePoints(password) < min_length_) {
    return Status(ErrorCode::kInvalidPassword, "password is too short; it needs at least " +
                                                   std::to_string(min_length_) + " characters");
  }
  return Status::Ok();
}

Result<std::string> PasswordHasher::Hash(std::string_view password) const {
  TDB_RETURN_IF_ERROR(CheckPolicy(password));
  TDB_ASSIGN_OR_RETURN(const std::string salt, RandomBytes(kSaltBytes));
  TDB_ASSIGN_OR_RETURN(const std::string hash, Argon2id(password, salt, params_, kHashBytes));
  return std::string(kPrefix) + "m=" + std::to_string(params_.memory_kib) +
         ",t=" + std::to_string(params_.iterations) + ",p=" + std::to_string(params_.parallelism) +
         "$" + Base64Encode(salt) + "$" + Base64Encode(hash);
}

Result<bool> PasswordHasher::Verify(std::string_view password, std::string_view stored) const {
  TDB_ASSIGN_OR_RETURN(const ParsedHash parsed, Parse(stored));
  // Over-long passwords cannot have been set through Hash; refusing them here keeps a
  // login request from buying a long hash.
  if (password.size() > kMaxLengthBytes) return false;
  TDB_ASSIGN_OR_RETURN(const std::string computed,
                       Argon2id(password, parsed.salt, parsed.params, parsed.hash.size()));
  return ConstantTimeEqual(computed, parsed.hash);
}

bool PasswordHasher::NeedsRehash(std::string_view stored) const {
  const Result<ParsedHash> parsed = Parse(stored);
  return !parsed.ok() || !(parsed->params == params_) || parsed->salt.size() != kSaltBytes ||
         parsed->hash.size() != kHashBytes;
}

}  // namespace tenantdb
