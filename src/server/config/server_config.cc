#include "server/config/server_config.h"

#include <toml++/toml.h>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <variant>

extern char** environ;

namespace tenantdb::server {

namespace {

// How a key's value is written and checked.
enum class Kind : uint8_t {
  kString,    // any string
  kName,      // a non-empty string
  kSecret,    // empty, or at least 32 bytes
  kBool,      // true / false
  kInt,       // an integer in [min, max]
  kDuration,  // "5s" etc., in milliseconds in [min, max]
  kSize,      // "64MB" or bytes, in [min, max]
  kListen,    // "host:port"
  kLogLevel,  // trace, debug, info, warn, error, critical, off
  kOrigins,   // an array of "scheme://host[:port]" origins or "*"
};

using FieldRef = std::variant<std::string*, bool*, int64_t*, Milliseconds*, uint64_t*,
                              ListenAddress*, LogLevel*, std::vector<std::string>*>;

struct KeySpec {
  std::string_view section;
  std::string_view key;
  Kind kind;
  int64_t min;
  int64_t max;
  FieldRef (*field)(ServerConfig&);
};

constexpr int64_t kSecond = 1000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kKiB = 1024;
constexpr int64_t kMiB = 1024 * kKiB;
constexpr int64_t kGiB = 1024 * kMiB;
constexpr int64_t kTiB = 1024 * kGiB;

#define TDB_FIELD(path) [](ServerConfig& c) -> FieldRef { return &c.path; }

// Every key, in the order of tenantdb.example.toml. Ranges are sanity bounds: a value
// outside them is a typo (a missing unit, an extra digit), not a tuning choice.
const KeySpec kKeys[] = {
    {"server", "data_dir", Kind::kName, 0, 0, TDB_FIELD(server.data_dir)},
    {"server", "listen", Kind::kListen, 0, 0, TDB_FIELD(server.listen)},
    {"server", "worker_threads", Kind::kInt, 0, 1024, TDB_FIELD(server.worker_threads)},
    {"server", "io_threads", Kind::kInt, 0, 256, TDB_FIELD(server.io_threads)},
    {"server", "max_body_bytes", Kind::kSize, kKiB, kGiB, TDB_FIELD(server.max_body_bytes)},
    {"server", "max_concurrent_statements", Kind::kInt, 1, 100'000,
     TDB_FIELD(server.max_concurrent_statements)},
    {"server", "shutdown_timeout", Kind::kDuration, 0, kHour, TDB_FIELD(server.shutdown_timeout)},
    {"auth", "jwt_secret", Kind::kSecret, 0, 0, TDB_FIELD(auth.jwt_secret)},
    {"auth", "access_token_ttl", Kind::kDuration, kSecond, 7 * kDay,
     TDB_FIELD(auth.access_token_ttl)},
    {"auth", "refresh_token_ttl", Kind::kDuration, kMinute, 365 * kDay,
     TDB_FIELD(auth.refresh_token_ttl)},
    {"auth", "allow_basic", Kind::kBool, 0, 0, TDB_FIELD(auth.allow_basic)},
    {"auth", "issuer", Kind::kName, 0, 0, TDB_FIELD(auth.issuer)},
    {"auth", "min_password_length", Kind::kInt, 1, 1024, TDB_FIELD(auth.min_password_length)},
    {"auth", "login_attempts_per_minute", Kind::kInt, 1, 1'000'000,
     TDB_FIELD(auth.login_attempts_per_minute)},
    {"limits", "requests_per_second_per_user", Kind::kInt, 0, 1'000'000'000,
     TDB_FIELD(limits.requests_per_second_per_user)},
    {"limits", "statement_timeout", Kind::kDuration, 0, 7 * kDay,
     TDB_FIELD(limits.statement_timeout)},
    {"limits", "statement_mem", Kind::kSize, 0, kTiB, TDB_FIELD(limits.statement_mem)},
    {"logging", "level", Kind::kLogLevel, 0, 0, TDB_FIELD(logging.level)},
    {"logging", "slow_statement_ms", Kind::kInt, -1, 2'147'483'647,
     TDB_FIELD(logging.slow_statement_ms)},
    {"http", "idle_timeout", Kind::kDuration, 100, kDay, TDB_FIELD(http.idle_timeout)},
    {"http", "request_timeout", Kind::kDuration, 100, kHour, TDB_FIELD(http.request_timeout)},
    {"http", "write_timeout", Kind::kDuration, 100, kHour, TDB_FIELD(http.write_timeout)},
    {"http", "max_header_bytes", Kind::kSize, kKiB, kMiB, TDB_FIELD(http.max_header_bytes)},
    {"http", "cors_allowed_origins", Kind::kOrigins, 0, 0, TDB_FIELD(http.cors_allowed_origins)},
    {"ws", "max_queue_messages", Kind::kInt, 16, 10'000'000, TDB_FIELD(ws.max_queue_messages)},
    {"ws", "max_queue_bytes", Kind::kSize, 64 * kKiB, kGiB, TDB_FIELD(ws.max_queue_bytes)},
    {"ws", "max_subscriptions_per_connection", Kind::kInt, 1, 1'000'000,
     TDB_FIELD(ws.max_subscriptions_per_connection)},
    {"ws", "max_subscriptions_per_user", Kind::kInt, 1, 100'000'000,
     TDB_FIELD(ws.max_subscriptions_per_user)},
    {"ws", "max_message_bytes", Kind::kSize, kKiB, 64 * kMiB, TDB_FIELD(ws.max_message_bytes)},
    {"ws", "max_snapshot_rows", Kind::kInt, 1, 1'000'000'000, TDB_FIELD(ws.max_snapshot_rows)},
    {"pgwire", "enabled", Kind::kBool, 0, 0, TDB_FIELD(pgwire.enabled)},
    {"pgwire", "listen", Kind::kListen, 0, 0, TDB_FIELD(pgwire.listen)},
    {"pgwire", "allow_cleartext_password", Kind::kBool, 0, 0,
     TDB_FIELD(pgwire.allow_cleartext_password)},
    {"pgwire", "ssl_cert_file", Kind::kString, 0, 0, TDB_FIELD(pgwire.ssl_cert_file)},
    {"pgwire", "ssl_key_file", Kind::kString, 0, 0, TDB_FIELD(pgwire.ssl_key_file)},
    {"pgwire", "ssl_required", Kind::kBool, 0, 0, TDB_FIELD(pgwire.ssl_required)},
    {"pgwire", "max_connections", Kind::kInt, 1, 100'000, TDB_FIELD(pgwire.max_connections)},
    {"storage", "table_cache_entries", Kind::kInt, 16, 1'000'000'000,
     TDB_FIELD(storage.table_cache_entries)},
    {"storage", "row_cache", Kind::kSize, 0, kTiB, TDB_FIELD(storage.row_cache)},
    {"storage", "row_cache_max_user_rows", Kind::kInt, 0, 1'000'000'000,
     TDB_FIELD(storage.row_cache_max_user_rows)},
    {"storage", "catalog_block_cache", Kind::kSize, kMiB, kTiB,
     TDB_FIELD(storage.catalog_block_cache)},
    {"storage", "rows_block_cache", Kind::kSize, kMiB, kTiB, TDB_FIELD(storage.rows_block_cache)},
    {"storage", "compact_after_files", Kind::kInt, 0, 1'000'000,
     TDB_FIELD(storage.compact_after_files)},
    {"storage", "change_retention", Kind::kDuration, 0, 3650 * kDay,
     TDB_FIELD(storage.change_retention)},
    {"storage", "change_retention_count", Kind::kInt, 0, 1'000'000'000'000,
     TDB_FIELD(storage.change_retention_count)},
};

#undef TDB_FIELD

constexpr std::string_view kSections[] = {"server", "auth", "limits", "logging",
                                          "http",   "ws",   "pgwire", "storage"};

constexpr std::string_view kLogLevels[] = {"trace", "debug",    "info", "warn",
                                           "error", "critical", "off"};

constexpr size_t kMinSecretBytes = 32;  // JwtCodec::kMinSecretBytes (auth/ is not included here)

const KeySpec* FindKey(std::string_view section, std::string_view key) {
  for (const KeySpec& spec : kKeys)
    if (spec.section == section && spec.key == key) return &spec;
  return nullptr;
}

bool IsSection(std::string_view name) {
  return std::find(std::begin(kSections), std::end(kSections), name) != std::end(kSections);
}

std::string AllowedKeys(std::string_view section) {
  std::string out;
  for (const KeySpec& spec : kKeys) {
    if (spec.section != section) continue;
    if (!out.empty()) out += ", ";
    out += spec.key;
  }
  return out;
}

std::string AllowedSections() {
  std::string out;
  for (const std::string_view s : kSections) {
    if (!out.empty()) out += ", ";
    out += "[" + std::string(s) + "]";
  }
  return out;
}

// A value from the file or the environment, made printable for a message: at most 60
// characters, control characters replaced.
std::string Shown(std::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < 60; ++i)
    out += static_cast<unsigned char>(text[i]) < 0x20 ? '?' : text[i];
  if (text.size() > 60) out += "...";
  return out + "\"";
}

// --- value parsing -----------------------------------------------------------------

// A whole number at the front of `*text` (taken off), or nullopt.
std::optional<int64_t> TakeNumber(std::string_view* text) {
  size_t digits = 0;
  while (digits < text->size() && std::isdigit(static_cast<unsigned char>((*text)[digits])))
    ++digits;
  if (digits == 0) return std::nullopt;
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + digits, value);
  if (ec != std::errc() || end != text->data() + digits) return std::nullopt;
  text->remove_prefix(digits);
  while (!text->empty() && text->front() == ' ')
    text->remove_prefix(1);
  return value;
}

struct Unit {
  std::string_view name;
  int64_t factor;
};
constexpr Unit kDurationUnits[] = {
    {"ms", 1}, {"s", kSecond}, {"min", kMinute}, {"h", kHour}, {"d", kDay}};
constexpr Unit kSizeUnits[] = {{"B", 1}, {"kB", kKiB}, {"MB", kMiB}, {"GB", kGiB}, {"TB", kTiB}};

template <size_t N>
std::optional<int64_t> ParseWithUnit(std::string_view text, const Unit (&units)[N],
                                     bool unit_optional, std::string* error) {
  std::string_view rest = text;
  const std::optional<int64_t> number = TakeNumber(&rest);
  if (number) {
    if (rest.empty() && (unit_optional || *number == 0)) return *number;
    for (const Unit& unit : units) {
      if (rest != unit.name) continue;
      int64_t value;
      if (__builtin_mul_overflow(*number, unit.factor, &value)) break;
      return value;
    }
  }
  std::string unit_list;
  for (const Unit& unit : units)
    unit_list += (unit_list.empty() ? "" : ", ") + std::string(unit.name);
  *error = Shown(text) + " is not a " + (N == 5 && units[0].name == "ms" ? "duration" : "size") +
           "; write a whole number and a unit (" + unit_list + ")";
  return std::nullopt;
}

std::string FormatWithUnit(int64_t value, const Unit* units, size_t n) {
  if (value == 0) return "0";
  for (size_t i = n; i-- > 0;) {
    if (value % units[i].factor == 0) {
      return std::to_string(value / units[i].factor) + std::string(units[i].name);
    }
  }
  return std::to_string(value);
}

std::string FormatDuration(int64_t ms) {
  return FormatWithUnit(ms, kDurationUnits, std::size(kDurationUnits));
}
std::string FormatSize(int64_t bytes) {
  return FormatWithUnit(bytes, kSizeUnits, std::size(kSizeUnits));
}

std::optional<bool> ParseBoolWord(std::string_view text) {
  std::string lower(text);
  for (char& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "true" || lower == "on" || lower == "yes" || lower == "1") return true;
  if (lower == "false" || lower == "off" || lower == "no" || lower == "0") return false;
  return std::nullopt;
}

// "a, b,c" -> {"a", "b", "c"}; "" (or only blanks) -> {}.
std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = text.substr(start, end - start);
    while (!item.empty() && item.front() == ' ')
      item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ')
      item.remove_suffix(1);
    if (!item.empty() || end != text.size() || !out.empty()) out.emplace_back(item);
    start = end + 1;
  }
  return out;
}

// "*", or an origin as browsers send it in the Origin header: http or https, "://", a host
// (letters, digits, '.', '-', or an IPv6 address in brackets) and an optional ":port",
// with no path, not even a trailing '/'. Origins are compared byte for byte, so only
// lower case is accepted (browsers send them so).
bool IsOrigin(std::string_view text) {
  if (text == "*") return true;
  std::string_view rest;
  if (text.substr(0, 7) == "http://") {
    rest = text.substr(7);
  } else if (text.substr(0, 8) == "https://") {
    rest = text.substr(8);
  } else {
    return false;
  }
  size_t host_end;
  if (!rest.empty() && rest.front() == '[') {
    host_end = rest.find(']');
    if (host_end == std::string_view::npos || host_end == 1) return false;
    for (const char c : rest.substr(1, host_end - 1)) {
      const bool hex = std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
      if (!hex && c != ':' && c != '.') return false;
    }
    ++host_end;
  } else {
    host_end = 0;
    while (host_end < rest.size() && rest[host_end] != ':') {
      const char c = rest[host_end];
      if (!(std::islower(static_cast<unsigned char>(c)) ||
            std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-')) {
        return false;
      }
      ++host_end;
    }
    if (host_end == 0) return false;
  }
  const std::string_view port = rest.substr(host_end);
  if (port.empty()) return true;
  if (port.front() != ':' || port.size() < 2 || port.size() > 6) return false;
  for (const char c : port.substr(1))
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// A value as read, before its key's kind is applied.
struct RawValue {
  std::variant<std::monostate, std::string, int64_t, bool, double> value;
  // An array's elements when every one is a string (TOML); nullopt for other arrays.
  std::optional<std::vector<std::string>> strings;
  std::string_view toml_type;  // for messages: "a string", "an integer", ...
  bool from_environment = false;
};

std::string RangeText(const KeySpec& spec) {
  switch (spec.kind) {
    case Kind::kDuration:
      return "from " + FormatDuration(spec.min) + " to " + FormatDuration(spec.max);
    case Kind::kSize:
      return "from " + FormatSize(spec.min) + " to " + FormatSize(spec.max);
    default:
      return "from " + std::to_string(spec.min) + " to " + std::to_string(spec.max);
  }
}

// What `spec` accepts, for "expected ..." messages.
std::string Expected(const KeySpec& spec) {
  switch (spec.kind) {
    case Kind::kString:
      return "a string";
    case Kind::kName:
      return "a non-empty string";
    case Kind::kSecret:
      return "a string of at least " + std::to_string(kMinSecretBytes) + " bytes, or \"\"";
    case Kind::kBool:
      return "true or false";
    case Kind::kInt:
      return "an integer " + RangeText(spec);
    case Kind::kDuration:
      return "a duration such as \"5s\", \"500ms\" or \"2min\", " + RangeText(spec);
    case Kind::kSize:
      return "a size such as \"64MB\", " + RangeText(spec);
    case Kind::kListen:
      return "\"host:port\", e.g. \"127.0.0.1:8080\"";
    case Kind::kOrigins:
      return "an array of origins such as [\"https://app.example.com\"] (scheme://host[:port], "
             "no path), or [\"*\"] for any";
    case Kind::kLogLevel: {
      std::string levels;
      for (const std::string_view l : kLogLevels)
        levels += (levels.empty() ? "" : ", ") + std::string(l);
      return "one of " + levels;
    }
  }
  return "";
}

// Applies `raw` to `spec`'s field of `config`; on failure returns false with `*error`
// saying what was wrong (without the location, which the caller knows).
bool Assign(const KeySpec& spec, const RawValue& raw, ServerConfig* config, std::string* error) {
  const std::string* text = std::get_if<std::string>(&raw.value);
  const auto wrong_type = [&] {
    *error = "expected " + Expected(spec) + ", got " +
             (text != nullptr ? Shown(*text) + " (" + std::string(raw.toml_type) + ")"
                              : std::string(raw.toml_type));
    return false;
  };
  const auto out_of_range = [&](const std::string& shown) {
    *error = shown + " is out of range; expected " + Expected(spec);
    return false;
  };
  FieldRef field = spec.field(*config);
  switch (spec.kind) {
    case Kind::kString:
    case Kind::kName:
    case Kind::kSecret: {
      if (text == nullptr) return wrong_type();
      if (spec.kind == Kind::kName && text->empty()) return wrong_type();
      if (spec.kind == Kind::kSecret && !text->empty() && text->size() < kMinSecretBytes) {
        // Never echo a secret.
        *error = "the secret has " + std::to_string(text->size()) + " bytes; use at least " +
                 std::to_string(kMinSecretBytes) +
                 " (e.g. `openssl rand -hex 32`), or \"\" to generate one into the data "
                 "directory";
        return false;
      }
      *std::get<std::string*>(field) = *text;
      return true;
    }
    case Kind::kBool: {
      std::optional<bool> value;
      if (const bool* b = std::get_if<bool>(&raw.value)) value = *b;
      if (text != nullptr && raw.from_environment) value = ParseBoolWord(*text);
      if (!value) return wrong_type();
      *std::get<bool*>(field) = *value;
      return true;
    }
    case Kind::kInt: {
      std::optional<int64_t> value;
      if (const int64_t* i = std::get_if<int64_t>(&raw.value)) value = *i;
      if (text != nullptr && raw.from_environment) {
        int64_t parsed;
        const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), parsed);
        if (ec == std::errc() && end == text->data() + text->size()) value = parsed;
      }
      if (!value) return wrong_type();
      if (*value < spec.min || *value > spec.max) return out_of_range(std::to_string(*value));
      *std::get<int64_t*>(field) = *value;
      return true;
    }
    case Kind::kDuration:
    case Kind::kSize: {
      const bool duration = spec.kind == Kind::kDuration;
      std::optional<int64_t> value;
      if (const int64_t* i = std::get_if<int64_t>(&raw.value)) {
        // A bare number of bytes is unambiguous; a bare duration is not (ms? s?).
        if (duration && *i != 0) {
          *error = std::to_string(*i) + " has no unit; write it as a string with one, e.g. \"" +
                   std::to_string(*i) + "s\" or \"" + std::to_string(*i) + "ms\"";
          return false;
        }
        value = *i;
      } else if (text != nullptr) {
        value = duration ? ParseWithUnit(*text, kDurationUnits, false, error)
                         : ParseWithUnit(*text, kSizeUnits, true, error);
        if (!value) return false;
      } else {
        return wrong_type();
      }
      if (*value < spec.min || *value > spec.max) {
        return out_of_range(duration ? FormatDuration(*value) : FormatSize(*value));
      }
      if (duration) {
        *std::get<Milliseconds*>(field) = Milliseconds(*value);
      } else {
        *std::get<uint64_t*>(field) = static_cast<uint64_t>(*value);
      }
      return true;
    }
    case Kind::kListen: {
      if (text == nullptr) return wrong_type();
      Result<ListenAddress> address = ParseListenAddress(*text);
      if (!address.ok()) {
        *error = std::string(address.status().message());
        return false;
      }
      *std::get<ListenAddress*>(field) = std::move(*address);
      return true;
    }
    case Kind::kOrigins: {
      std::vector<std::string> origins;
      if (raw.strings) {
        origins = *raw.strings;
      } else if (text != nullptr && raw.from_environment) {
        origins = SplitList(*text);
      } else {
        return wrong_type();
      }
      for (const std::string& origin : origins) {
        if (!IsOrigin(origin)) {
          *error = Shown(origin) + " is not an origin; expected " + Expected(spec);
          return false;
        }
      }
      *std::get<std::vector<std::string>*>(field) = std::move(origins);
      return true;
    }
    case Kind::kLogLevel: {
      if (text == nullptr) return wrong_type();
      for (size_t i = 0; i < std::size(kLogLevels); ++i) {
        if (*text == kLogLevels[i]) {
          *std::get<LogLevel*>(field) = static_cast<LogLevel>(i);
          return true;
        }
      }
      return wrong_type();
    }
  }
  return wrong_type();
}

RawValue FromToml(const toml::node& node) {
  RawValue raw;
  if (const auto* s = node.as_string()) {
    raw.value = s->get();
    raw.toml_type = "a string";
  } else if (const auto* i = node.as_integer()) {
    raw.value = i->get();
    raw.toml_type = "an integer";
  } else if (const auto* b = node.as_boolean()) {
    raw.value = b->get();
    raw.toml_type = "a boolean";
  } else if (const auto* f = node.as_floating_point()) {
    raw.value = f->get();
    raw.toml_type = "a float";
  } else if (node.is_table()) {
    raw.toml_type = "a table";
  } else if (const auto* a = node.as_array()) {
    raw.toml_type = "an array";
    std::vector<std::string> strings;
    for (const toml::node& element : *a) {
      const auto* s = element.as_string();
      if (s == nullptr) return raw;  // not all strings: no `strings`, a type error
      strings.push_back(s->get());
    }
    raw.strings = std::move(strings);
  } else {
    raw.toml_type = "a date or time";
  }
  return raw;
}

Status ConfigError(std::string message) {
  return Status(ErrorCode::kConfigFileError, std::move(message));
}

std::string At(std::string_view source, const toml::source_region& where) {
  return std::string(source) + ":" + std::to_string(where.begin.line) + ": ";
}

std::string EnvName(std::string_view section, std::string_view key) {
  std::string name = "TENANTDB_";
  for (const char c : section)
    name += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  name += '_';
  for (const char c : key)
    name += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

// Checks that need more than one key.
Status Validate(const ServerConfig& config) {
  if (config.pgwire.enabled && config.pgwire.listen.port != 0 &&
      config.pgwire.listen == config.server.listen) {
    return ConfigError("[pgwire] listen and [server] listen are both " +
                       config.server.listen.ToString() +
                       "; give the PostgreSQL protocol its own port or set [pgwire] enabled = "
                       "false");
  }
  if (config.pgwire.ssl_cert_file.empty() != config.pgwire.ssl_key_file.empty()) {
    return ConfigError(
        "[pgwire] ssl_cert_file and ssl_key_file go together: set both (PEM files) or neither");
  }
  if (config.pgwire.ssl_required && config.pgwire.ssl_cert_file.empty()) {
    return ConfigError("[pgwire] ssl_required = true needs ssl_cert_file and ssl_key_file");
  }
  return Status::Ok();
}

}  // namespace

std::string ListenAddress::ToString() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  const auto bad = [&](std::string_view why) {
    return Status(ErrorCode::kInvalidArgument, Shown(text) + " is not a listen address (" +
                                                   std::string(why) +
                                                   "); write \"host:port\", e.g. "
                                                   "\"127.0.0.1:8080\" or \"[::1]:8080\"");
  };
  ListenAddress address;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos) return bad("no closing ]");
    address.host = std::string(text.substr(1, close - 1));
    if (close + 1 >= text.size() || text[close + 1] != ':') return bad("no port");
    port = text.substr(close + 2);
    if (address.host.find(':') == std::string::npos) return bad("brackets are for IPv6 hosts");
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return bad("no port");
    address.host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
    if (address.host.find(':') != std::string::npos) return bad("put an IPv6 host in brackets");
  }
  if (address.host.empty()) return bad("no host; use 0.0.0.0 for every interface");
  for (const char c : address.host) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != ':' &&
        c != '_' && c != '%') {
      return bad("the host has a character hosts do not have");
    }
  }
  uint32_t value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || port.size() > 5 || ec != std::errc() || end != port.data() + port.size() ||
      value > 65535) {
    return bad("the port must be a number from 0 to 65535");
  }
  address.port = static_cast<uint16_t>(value);
  return address;
}

std::string_view LogLevelName(LogLevel level) {
  const size_t i = static_cast<size_t>(level);
  return i < std::size(kLogLevels) ? kLogLevels[i] : "info";
}

const std::vector<ConfigKeyInfo>& ServerConfigKeys() {
  static const std::vector<ConfigKeyInfo> keys = [] {
    std::vector<ConfigKeyInfo> out;
    for (const KeySpec& spec : kKeys)
      out.push_back({spec.section, spec.key});
    return out;
  }();
  return keys;
}

std::string ServerConfigValueAsToml(const ServerConfig& config, std::string_view section,
                                    std::string_view key) {
  const KeySpec* spec = FindKey(section, key);
  if (spec == nullptr) return "";
  ServerConfig copy = config;  // the field accessors take a mutable config
  const FieldRef field = spec->field(copy);
  // A TOML basic string: "..." with \ escapes.
  const auto quoted = [](std::string_view s) {
    std::string out = "\"";
    for (const char c : s) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
        char escape[8];
        std::snprintf(escape, sizeof(escape), "\\u%04X", static_cast<unsigned char>(c));
        out += escape;
      } else {
        out += c;
      }
    }
    return out + "\"";
  };
  std::ostringstream out;
  switch (spec->kind) {
    case Kind::kString:
    case Kind::kName:
    case Kind::kSecret:
      out << quoted(*std::get<std::string*>(field));
      break;
    case Kind::kBool:
      out << (*std::get<bool*>(field) ? "true" : "false");
      break;
    case Kind::kInt:
      out << *std::get<int64_t*>(field);
      break;
    case Kind::kDuration:
      out << quoted(FormatDuration(std::get<Milliseconds*>(field)->count()));
      break;
    case Kind::kSize:
      out << quoted(FormatSize(static_cast<int64_t>(*std::get<uint64_t*>(field))));
      break;
    case Kind::kListen:
      out << quoted(std::get<ListenAddress*>(field)->ToString());
      break;
    case Kind::kLogLevel:
      out << quoted(LogLevelName(*std::get<LogLevel*>(field)));
      break;
    case Kind::kOrigins: {
      out << "[";
      const std::vector<std::string>& list = *std::get<std::vector<std::string>*>(field);
      for (size_t i = 0; i < list.size(); ++i)
        out << (i > 0 ? ", " : "") << quoted(list[i]);
      out << "]";
      break;
    }
  }
  return out.str();
}

Result<ServerConfig> ParseServerConfig(std::string_view toml_text, std::string_view source_name) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    // toml++ reports errors as exceptions; they stop here, as a Status.
    return ConfigError(std::string(source_name) + ":" + std::to_string(e.source().begin.line) +
                       ":" + std::to_string(e.source().begin.column) + ": " +
                       std::string(e.description()));
  }
  ServerConfig config;
  for (const auto& [section_key, section_node] : root) {
    const std::string_view section = section_key.str();
    if (!section_node.is_table()) {
      if (IsSection(section)) {
        return ConfigError(At(source_name, section_node.source()) + "[" + std::string(section) +
                           "] must be a table of keys");
      }
      return ConfigError(At(source_name, section_key.source()) + "key '" + std::string(section) +
                         "' is outside any section; allowed sections: " + AllowedSections());
    }
    if (!IsSection(section)) {
      return ConfigError(At(source_name, section_key.source()) + "unknown section [" +
                         std::string(section) + "]; allowed: " + AllowedSections());
    }
    for (const auto& [key_name, value] : *section_node.as_table()) {
      const std::string_view key = key_name.str();
      const KeySpec* spec = FindKey(section, key);
      if (spec == nullptr) {
        return ConfigError(At(source_name, key_name.source()) + "unknown key '" + std::string(key) +
                           "' in [" + std::string(section) + "]; allowed: " + AllowedKeys(section));
      }
      std::string error;
      if (!Assign(*spec, FromToml(value), &config, &error)) {
        return ConfigError(At(source_name, value.source()) + "[" + std::string(section) + "] " +
                           std::string(key) + ": " + error);
      }
    }
  }
  TDB_RETURN_IF_ERROR(Validate(config));
  return config;
}

Result<ServerConfig> LoadServerConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return ConfigError("cannot read configuration file " + path + ": " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return ConfigError("cannot read configuration file " + path);
  return ParseServerConfig(text.str(), path);
}

EnvironmentMap TenantdbEnvironment() {
  EnvironmentMap env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    if (entry.substr(0, 9) != "TENANTDB_") continue;
    const size_t eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return env;
}

Status ApplyEnvironmentOverrides(const EnvironmentMap& env, ServerConfig* config) {
  for (const auto& [name, value] : env) {
    for (const std::string_view section : kSections) {
      const std::string prefix = EnvName(section, "");
      if (name.compare(0, prefix.size(), prefix) != 0) continue;
      const KeySpec* spec = nullptr;
      for (const KeySpec& candidate : kKeys) {
        if (candidate.section == section && EnvName(section, candidate.key) == name) {
          spec = &candidate;
        }
      }
      if (spec == nullptr) {
        std::string allowed;
        for (const KeySpec& candidate : kKeys) {
          if (candidate.section == section)
            allowed += (allowed.empty() ? "" : ", ") + EnvName(section, candidate.key);
        }
        return ConfigError("environment variable " + name + " names no key of [" +
                           std::string(section) + "]; allowed: " + allowed);
      }
      RawValue raw;
      raw.value = value;
      raw.toml_type = "a string";
      raw.from_environment = true;
      std::string error;
      if (!Assign(*spec, raw, config, &error)) {
        return ConfigError("environment variable " + name + ": " + error);
      }
    }
  }
  return Validate(*config);
}

Result<ServerConfig> LoadServerConfig(const std::optional<std::string>& path,
                                      const EnvironmentMap& env) {
  ServerConfig config;
  if (path) {
    TDB_ASSIGN_OR_RETURN(config, LoadServerConfigFile(*path));
  }
  TDB_RETURN_IF_ERROR(ApplyEnvironmentOverrides(env, &config));
  return config;
}

}  // namespace tenantdb::server
