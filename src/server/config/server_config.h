// ServerConfig: everything `tenantdb serve` can be told, read from a TOML file
// (tenantdb.example.toml at the repository root documents every key with its default)
// and then from TENANTDB_<SECTION>_<KEY> environment variables, which win over the file
// (e.g. TENANTDB_SERVER_LISTEN=0.0.0.0:8080). Command-line flags (--data, --listen) are
// applied by the caller after both.
//
// Nothing is guessed: an unknown section or key, a value of the wrong type, a duration
// or size without a unit, or a value out of range stops startup with an error naming
// the file and line (or the environment variable) and what is allowed, e.g.
//   tenantdb.toml:7: unknown key 'listn' in [server]; allowed: data_dir, listen, ...
// All such errors are config_file_error (SQLSTATE F0000, as PostgreSQL reports errors in
// postgresql.conf).
//
// Values: durations are strings of a whole number and a unit, us, ms, s, min, h or d
// ("5s", "500ms", "2min"; "0" alone means zero); sizes are a whole number and B, kB, MB,
// GB or TB, 1024-based as in PostgreSQL ("64MB"), or an integer number of bytes; lists
// (cors_allowed_origins) are TOML arrays of strings, and comma-separated in the
// environment (TENANTDB_HTTP_CORS_ALLOWED_ORIGINS="https://a.example,https://b.example").
//
// Thread safety: ServerConfig is a plain value; the functions keep no state.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace tenantdb::server {

using Milliseconds = std::chrono::milliseconds;

// "host:port"; an IPv6 host is written in brackets: "[::1]:8080". Port 0 lets the
// operating system choose (tests).
struct ListenAddress {
  std::string host;
  uint16_t port = 0;

  bool operator==(const ListenAddress&) const = default;
  // "127.0.0.1:8080" / "[::1]:8080".
  std::string ToString() const;
};

// Parses "host:port". Error: invalid_argument saying what is wrong.
Result<ListenAddress> ParseListenAddress(std::string_view text);

enum class LogLevel : uint8_t { kTrace, kDebug, kInfo, kWarn, kError, kCritical, kOff };
std::string_view LogLevelName(LogLevel level);  // "info", as written in the file

struct ServerConfig {
  struct Server {
    // Where the database keeps its files; created on first start.
    std::string data_dir = "./data";
    // The HTTP API's address. Loopback by default: opening it to the network is a choice.
    ListenAddress listen = {"127.0.0.1", 8080};
    // Threads running statements; 0 = four per hardware thread, at least 16 (commits mostly
    // wait for the WAL sync, and commits waiting at once share one sync).
    int64_t worker_threads = 0;
    // Event-loop threads serving the HTTP/WebSocket connections (a short statement runs
    // on one of them); 0 = two per hardware thread, plus two.
    int64_t io_threads = 0;
    // Largest request body accepted (HTTP 413 above it).
    uint64_t max_body_bytes = 10ull << 20;
    // Statements running at once across all connections; more wait (HTTP 503 when the
    // queue is full).
    int64_t max_concurrent_statements = 256;
    // On SIGTERM/SIGINT: how long in-flight statements may finish before they are
    // cancelled.
    Milliseconds shutdown_timeout = std::chrono::seconds(30);
    bool operator==(const Server&) const = default;
  } server;

  struct Auth {
    // The HS256 signing secret (at least 32 bytes). Empty: generated on first start into
    // <data_dir>/jwt_secret (mode 0600). Set it to share tokens between servers.
    std::string jwt_secret;
    Milliseconds access_token_ttl = std::chrono::hours(1);
    Milliseconds refresh_token_ttl = std::chrono::hours(24 * 7);
    // Accept `Authorization: Basic` (user and password on every request) besides bearer
    // tokens: handy for curl and scripts, costs a password hash per request.
    bool allow_basic = true;
    // The "iss" claim written into and required of every token.
    std::string issuer = "tenantdb";
    // Minimum password length in characters, for CREATE/ALTER USER.
    int64_t min_password_length = 8;
    // Failed logins allowed per minute, per user name and per client address.
    int64_t login_attempts_per_minute = 10;
    bool operator==(const Auth&) const = default;
  } auth;

  struct Limits {
    // Requests per second per user (HTTP 429 above it); 0 = no limit.
    int64_t requests_per_second_per_user = 0;
    // A statement running longer is cancelled (SQLSTATE 57014); 0 = no limit.
    Milliseconds statement_timeout = std::chrono::seconds(30);
    // Memory one statement may use (SQLSTATE 53200 above it); 0 = no limit.
    uint64_t statement_mem = 256ull << 20;
    bool operator==(const Limits&) const = default;
  } limits;

  struct Logging {
    LogLevel level = LogLevel::kInfo;
    // Statements slower than this many milliseconds are logged with their duration;
    // 0 logs every statement, -1 none (as PostgreSQL's log_min_duration_statement).
    int64_t slow_statement_ms = 1000;
    bool operator==(const Logging&) const = default;
  } logging;

  struct Http {
    // A keep-alive connection with no request for this long is closed (an idle connection
    // costs memory, ~1 kB, not a thread; this bounds how long a client may hold one).
    Milliseconds idle_timeout = std::chrono::seconds(60);
    // The read timeout: once a request's first byte arrived, the whole request (line,
    // headers, body) must arrive within this, else the connection is dropped (a slow or
    // stalled client cannot hold a connection slot; nobody else waits for it).
    Milliseconds request_timeout = std::chrono::seconds(30);
    // A response write that makes no progress for this long (the client stopped reading)
    // drops the connection and cancels its statement.
    Milliseconds write_timeout = std::chrono::seconds(30);
    // Largest request line plus headers (HTTP 431 above it).
    uint64_t max_header_bytes = 16 << 10;
    // Origins whose browser pages may call the API (CORS): exact origins such as
    // "https://app.example.com", or "*" for any. Empty: no CORS headers (browsers then
    // refuse cross-origin calls; curl and servers are unaffected).
    std::vector<std::string> cors_allowed_origins;
    bool operator==(const Http&) const = default;
  } http;

  struct Ws {
    // The live-query WebSocket (GET /v1/ws). Messages (and changes) waiting for one
    // slow client, by count and by bytes; past either it is told "slow_consumer" and
    // disconnected (writers and other clients never wait for it).
    int64_t max_queue_messages = 4096;
    uint64_t max_queue_bytes = 16ull << 20;
    // Subscriptions open at once per connection and per user (all connections).
    int64_t max_subscriptions_per_connection = 100;
    int64_t max_subscriptions_per_user = 1000;
    // Largest message a client may send.
    uint64_t max_message_bytes = 64ull << 10;
    // Most rows a subscription's initial data may hold.
    int64_t max_snapshot_rows = 100'000;
    bool operator==(const Ws&) const = default;
  } ws;

  struct PgWire {
    // Serve the PostgreSQL wire protocol (psql, drivers) besides HTTP.
    bool enabled = true;
    ListenAddress listen = {"127.0.0.1", 5433};
    // Ask clients for the password in clear text instead of SCRAM-SHA-256. The
    // connection has no TLS: turn it on only for clients that cannot do SCRAM, on a
    // trusted network.
    bool allow_cleartext_password = false;
    // TLS: the server's certificate (then any intermediates) and its unencrypted private
    // key, PEM files (paths relative to the working directory). Both set: SSLRequests are
    // answered 'S' and the TLS handshake follows; empty: TLS is declined.
    std::string ssl_cert_file;
    std::string ssl_key_file;
    // Refuse clients that did not negotiate TLS (needs the two files above).
    bool ssl_required = false;
    // Connections open at once; each has a thread of its own (as PostgreSQL's backend
    // process). One more is refused with FATAL 53300, as PostgreSQL's max_connections.
    int64_t max_connections = 100;
    bool operator==(const PgWire&) const = default;
  } pgwire;
  struct Storage {
    // Tables whose definition, schema and provider stay in memory (a miss reads the
    // catalog again). Raise it when more tables than this are in use at once.
    int64_t table_cache_entries = 100'000;
    // Memory for the recently read rows of USER tables: a user's repeated reads are
    // answered without RocksDB. 0 turns the cache off.
    uint64_t row_cache = 64ull << 20;
    // The most rows of one user that point reads may bring into the row cache whole
    // (Database::Options::user_cache_max_earned_rows).
    int64_t row_cache_max_user_rows = 65536;
    // RocksDB's block caches (upper bounds, filled as blocks are read): the catalog's and
    // the rows'.
    uint64_t catalog_block_cache = 32ull << 20;
    uint64_t rows_block_cache = 128ull << 20;
    // A flush that leaves more than this many Parquet files in a table's (a user's)
    // folder compacts them into one; 0 never compacts on its own.
    int64_t compact_after_files = 8;
    // The change log live queries resume from: changes older than this are trimmed
    // (0: no age limit), and each user's slice keeps at most change_retention_count of
    // them (0: no count limit).
    Milliseconds change_retention = std::chrono::hours(24);
    int64_t change_retention_count = 100'000;
    bool operator==(const Storage&) const = default;
  } storage;

  bool operator==(const ServerConfig&) const = default;
};

// One configuration key, for documentation checks and error messages.
struct ConfigKeyInfo {
  std::string_view section;
  std::string_view key;
};

// Every key in file order: [server], [auth], [limits], [logging], [http], [ws], [pgwire].
const std::vector<ConfigKeyInfo>& ServerConfigKeys();

// The value of `section`.`key` in `config` as it would be written in TOML, e.g. "\"5s\"",
// "true", "8". Empty for an unknown key. Prints [auth] jwt_secret as it is: never log it.
std::string ServerConfigValueAsToml(const ServerConfig& config, std::string_view section,
                                    std::string_view key);

// Parses TOML text over the defaults (absent keys keep their default). `source_name` is
// what error messages call the text, e.g. "tenantdb.toml".
Result<ServerConfig> ParseServerConfig(std::string_view toml_text, std::string_view source_name);

// Reads and parses the file at `path`. Errors also for a missing or unreadable file.
Result<ServerConfig> LoadServerConfigFile(const std::string& path);

// Environment variables, name -> value.
using EnvironmentMap = std::map<std::string, std::string, std::less<>>;

// The process's environment variables whose names start with TENANTDB_.
EnvironmentMap TenantdbEnvironment();

// Applies TENANTDB_<SECTION>_<KEY> variables from `env` to `config` (SECTION and KEY in
// upper case, e.g. TENANTDB_LIMITS_STATEMENT_TIMEOUT=5s; a list is comma-separated). A variable
// naming a known section but an unknown key is an error (a typo would otherwise be silently
// ignored); other TENANTDB_ variables (TENANTDB_ROOT_PASSWORD, ...) are not configuration and are
// left alone. Booleans accept true/false, on/off, yes/no, 1/0.
Status ApplyEnvironmentOverrides(const EnvironmentMap& env, ServerConfig* config);

// The whole startup sequence: defaults, then the file at `path` (when given), then `env`.
Result<ServerConfig> LoadServerConfig(const std::optional<std::string>& path,
                                      const EnvironmentMap& env);

}  // namespace tenantdb::server
