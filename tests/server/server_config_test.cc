#include "server/config/server_config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <toml++/toml.h>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tenantdb/database.h"

namespace tenantdb::server {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// The error message of parsing `text` as "tenantdb.toml" (empty when it parses).
std::string ParseError(std::string_view text) {
  const Result<ServerConfig> r = ParseServerConfig(text, "tenantdb.toml");
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), ErrorCode::kConfigFileError);
  EXPECT_EQ(r.status().sqlstate(), "F0000");
  return std::string(r.status().message());
}

ServerConfig Parse(std::string_view text) {
  const Result<ServerConfig> r = ParseServerConfig(text, "tenantdb.toml");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : ServerConfig();
}

std::string EnvError(const EnvironmentMap& env) {
  ServerConfig config;
  const Status s = ApplyEnvironmentOverrides(env, &config);
  return s.ok() ? "" : std::string(s.message());
}

TEST(ServerConfig, DefaultsMatchIssue11) {
  const ServerConfig c;
  EXPECT_EQ(c.server.data_dir, "./data");
  EXPECT_EQ(c.server.listen.ToString(), "127.0.0.1:8080");
  EXPECT_TRUE(c.auth.allow_basic);
  EXPECT_TRUE(c.auth.jwt_secret.empty());  // generated into the data directory
  EXPECT_TRUE(c.pgwire.enabled);
  EXPECT_EQ(c.pgwire.listen.ToString(), "127.0.0.1:5433");
  EXPECT_EQ(c.server.max_body_bytes, 10u << 20);
  EXPECT_EQ(c.limits.statement_timeout, seconds(30));
  EXPECT_EQ(c.logging.level, LogLevel::kInfo);
}

// A server with no [storage] section sizes its caches as an embedded Database does.
TEST(ServerConfig, StorageDefaultsAreTheDatabases) {
  const ServerConfig::Storage c;
  const Database::Options d;
  EXPECT_EQ(static_cast<size_t>(c.table_cache_entries), d.cache_capacity);
  EXPECT_EQ(c.row_cache, d.user_cache_bytes);
  EXPECT_EQ(static_cast<size_t>(c.row_cache_max_user_rows), d.user_cache_max_earned_rows);
  EXPECT_EQ(c.catalog_block_cache, d.catalog_block_cache_bytes);
  EXPECT_EQ(c.rows_block_cache, d.rows_block_cache_bytes);
  EXPECT_EQ(static_cast<size_t>(c.compact_after_files), d.compact_after_files);
  EXPECT_EQ(static_cast<uint64_t>(std::chrono::duration_cast<seconds>(c.change_retention).count()),
            d.change_retention_seconds);
  EXPECT_EQ(static_cast<uint64_t>(c.change_retention_count), d.change_retention_count);
}

TEST(ServerConfig, EmptyFileGivesTheDefaults) {
  EXPECT_EQ(Parse(""), ServerConfig());
  EXPECT_EQ(Parse("# nothing but a comment\n[server]\n"), ServerConfig());
}

std::string ReadExample() {
  std::ifstream in(std::string(TENANTDB_SOURCE_DIR) + "/tenantdb.example.toml");
  EXPECT_TRUE(in.good()) << "tenantdb.example.toml is missing";
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(ServerConfig, ExampleFileParsesToTheDefaults) {
  const std::string example = ReadExample();
  const Result<ServerConfig> r = ParseServerConfig(example, "tenantdb.example.toml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, ServerConfig()) << "tenantdb.example.toml and the defaults in server_config.h "
                                   "disagree";
}

TEST(ServerConfig, ExampleFileDocumentsEveryKeyWithItsDefaultSpelling) {
  const toml::table example = toml::parse(ReadExample());
  const ServerConfig defaults;
  size_t keys = 0;
  for (const ConfigKeyInfo& info : ServerConfigKeys()) {
    const toml::node* node =
        example.at_path(std::string(info.section) + "." + std::string(info.key)).node();
    ASSERT_NE(node, nullptr) << "tenantdb.example.toml lacks [" << info.section << "] " << info.key;
    std::ostringstream written;
    if (const auto* s = node->as_string()) {
      written << '"' << s->get() << '"';
    } else if (const auto* i = node->as_integer()) {
      written << i->get();
    } else if (const auto* b = node->as_boolean()) {
      written << (b->get() ? "true" : "false");
    } else if (const auto* a = node->as_array()) {
      written << '[';
      for (size_t i = 0; i < a->size(); ++i)
        written << (i > 0 ? ", " : "") << '"' << a->at(i).as_string()->get() << '"';
      written << ']';
    }
    EXPECT_EQ(written.str(), ServerConfigValueAsToml(defaults, info.section, info.key))
        << "[" << info.section << "] " << info.key;
    ++keys;
  }
  // And nothing else: every key in the example is a real key.
  size_t example_keys = 0;
  for (const auto& [section, table] : example)
    example_keys += table.as_table()->size();
  EXPECT_EQ(example_keys, keys);
  EXPECT_EQ(keys, 45u);
}

TEST(ServerConfig, EveryKeyCanBeSet) {
  const ServerConfig c = Parse(R"(
[server]
data_dir = "/var/lib/tenantdb"
listen = "0.0.0.0:9000"
worker_threads = 8
io_threads = 3
max_body_bytes = "64MB"
max_concurrent_statements = 32
shutdown_timeout = "2min"

[auth]
jwt_secret = "0123456789abcdef0123456789abcdef"
access_token_ttl = "15min"
refresh_token_ttl = "30d"
allow_basic = false
issuer = "chat-prod"
min_password_length = 12
login_attempts_per_minute = 5

[limits]
requests_per_second_per_user = 200
statement_timeout = "500ms"
statement_mem = "1GB"

[logging]
level = "debug"
slow_statement_ms = -1

[http]
idle_timeout = "5s"
request_timeout = "2s"
write_timeout = "10s"
max_header_bytes = "32kB"
cors_allowed_origins = ["https://app.example.com", "http://localhost:5173"]

[pgwire]
enabled = false
listen = "[::1]:6432"
ssl_cert_file = "certs/server.crt"
ssl_key_file = "certs/server.key"
ssl_required = true
max_connections = 20

[storage]
table_cache_entries = 2000000
row_cache = "1GB"
row_cache_max_user_rows = 4096
catalog_block_cache = "8MB"
rows_block_cache = "2GB"
compact_after_files = 0
change_retention = "7d"
change_retention_count = 0
)");
  EXPECT_EQ(c.server.data_dir, "/var/lib/tenantdb");
  EXPECT_EQ(c.server.listen, (ListenAddress{"0.0.0.0", 9000}));
  EXPECT_EQ(c.server.worker_threads, 8);
  EXPECT_EQ(c.server.io_threads, 3);
  EXPECT_EQ(c.server.max_body_bytes, 64u << 20);
  EXPECT_EQ(c.server.max_concurrent_statements, 32);
  EXPECT_EQ(c.server.shutdown_timeout, minutes(2));
  EXPECT_EQ(c.auth.jwt_secret, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(c.auth.access_token_ttl, minutes(15));
  EXPECT_EQ(c.auth.refresh_token_ttl, hours(24 * 30));
  EXPECT_FALSE(c.auth.allow_basic);
  EXPECT_EQ(c.auth.issuer, "chat-prod");
  EXPECT_EQ(c.auth.min_password_length, 12);
  EXPECT_EQ(c.auth.login_attempts_per_minute, 5);
  EXPECT_EQ(c.limits.requests_per_second_per_user, 200);
  EXPECT_EQ(c.limits.statement_timeout, Milliseconds(500));
  EXPECT_EQ(c.limits.statement_mem, 1ull << 30);
  EXPECT_EQ(c.logging.level, LogLevel::kDebug);
  EXPECT_EQ(c.logging.slow_statement_ms, -1);
  EXPECT_EQ(c.http.idle_timeout, seconds(5));
  EXPECT_EQ(c.http.request_timeout, seconds(2));
  EXPECT_EQ(c.http.write_timeout, seconds(10));
  EXPECT_EQ(c.http.max_header_bytes, 32u << 10);
  EXPECT_EQ(c.http.cors_allowed_origins,
            (std::vector<std::string>{"https://app.example.com", "http://localhost:5173"}));
  EXPECT_FALSE(c.pgwire.enabled);
  EXPECT_EQ(c.pgwire.listen, (ListenAddress{"::1", 6432}));
  EXPECT_EQ(c.pgwire.listen.ToString(), "[::1]:6432");
  EXPECT_EQ(c.pgwire.ssl_cert_file, "certs/server.crt");
  EXPECT_EQ(c.pgwire.ssl_key_file, "certs/server.key");
  EXPECT_TRUE(c.pgwire.ssl_required);
  EXPECT_EQ(c.pgwire.max_connections, 20);
  EXPECT_EQ(c.storage.table_cache_entries, 2'000'000);
  EXPECT_EQ(c.storage.row_cache, 1ull << 30);
  EXPECT_EQ(c.storage.row_cache_max_user_rows, 4096);
  EXPECT_EQ(c.storage.catalog_block_cache, 8ull << 20);
  EXPECT_EQ(c.storage.rows_block_cache, 2ull << 30);
  EXPECT_EQ(c.storage.compact_after_files, 0);
  EXPECT_EQ(c.storage.change_retention, hours(24 * 7));
  EXPECT_EQ(c.storage.change_retention_count, 0);
}

TEST(ServerConfig, TlsFilesGoTogether) {
  EXPECT_NE(ParseError("[pgwire]\nssl_cert_file = \"a.crt\"\n").find("go together"),
            std::string::npos);
  EXPECT_NE(ParseError("[pgwire]\nssl_key_file = \"a.key\"\n").find("go together"),
            std::string::npos);
  EXPECT_NE(ParseError("[pgwire]\nssl_required = true\n").find("needs ssl_cert_file"),
            std::string::npos);
  EXPECT_EQ(ParseError("[pgwire]\nssl_cert_file = \"a.crt\"\nssl_key_file = \"a.key\"\n"), "");
}

TEST(ServerConfig, ValuesRoundTripThroughTheirTomlSpelling) {
  ServerConfig c = Parse(R"(
[server]
shutdown_timeout = "90s"
max_body_bytes = 1536
[limits]
statement_mem = "3kB"
)");
  EXPECT_EQ(ServerConfigValueAsToml(c, "server", "shutdown_timeout"), "\"90s\"");
  EXPECT_EQ(ServerConfigValueAsToml(c, "server", "max_body_bytes"), "\"1536B\"");
  EXPECT_EQ(ServerConfigValueAsToml(c, "limits", "statement_mem"), "\"3kB\"");
  std::string all;
  std::string_view section;
  for (const ConfigKeyInfo& info : ServerConfigKeys()) {
    if (info.section != section) all += "[" + std::string(section = info.section) + "]\n";
    all +=
        std::string(info.key) + " = " + ServerConfigValueAsToml(c, info.section, info.key) + "\n";
  }
  EXPECT_EQ(Parse(all), c) << all;
  EXPECT_EQ(ServerConfigValueAsToml(c, "server", "nope"), "");
  c.server.data_dir = "a \"quoted\" \\ path\n";
  EXPECT_EQ(ServerConfigValueAsToml(c, "server", "data_dir"), R"("a \"quoted\" \\ path\u000A")");
  EXPECT_EQ(Parse("[server]\ndata_dir = " + ServerConfigValueAsToml(c, "server", "data_dir"))
                .server.data_dir,
            c.server.data_dir);
}

TEST(ServerConfig, DurationsTakeUnits) {
  const auto timeout = [](std::string_view value) {
    return Parse("[limits]\nstatement_timeout = " + std::string(value) + "\n")
        .limits.statement_timeout;
  };
  EXPECT_EQ(timeout("\"5s\""), seconds(5));
  EXPECT_EQ(timeout("\"500ms\""), Milliseconds(500));
  EXPECT_EQ(timeout("\"2min\""), minutes(2));
  EXPECT_EQ(timeout("\"3h\""), hours(3));
  EXPECT_EQ(timeout("\"1d\""), hours(24));
  EXPECT_EQ(timeout("\"10 s\""), seconds(10));
  EXPECT_EQ(timeout("\"0\""), Milliseconds(0));
  EXPECT_EQ(timeout("0"), Milliseconds(0));
}

TEST(ServerConfig, BadDurationsSayWhatIsAllowed) {
  for (const char* value : {"\"5\"", "\"5m\"", "\"5 sec\"", "\"1.5s\"", "\"-5s\"", "\"s\"", "\"\"",
                            "\"5s \"", "\"99999999999999999999s\"", "\"9999999999999d\""}) {
    const std::string error =
        ParseError("[limits]\nstatement_timeout = " + std::string(value) + "\n");
    EXPECT_NE(error.find("tenantdb.toml:2: [limits] statement_timeout: "), std::string::npos)
        << value << ": " << error;
    EXPECT_TRUE(error.find("ms, s, min, h, d") != std::string::npos ||
                error.find("out of range") != std::string::npos)
        << value << ": " << error;
  }
  EXPECT_NE(ParseError("[limits]\nstatement_timeout = 5\n").find("has no unit"), std::string::npos);
  EXPECT_NE(ParseError("[limits]\nstatement_timeout = true\n").find("got a boolean"),
            std::string::npos);
}

TEST(ServerConfig, SizesTakeUnitsOrBytes) {
  const auto mem = [](std::string_view value) {
    return Parse("[limits]\nstatement_mem = " + std::string(value) + "\n").limits.statement_mem;
  };
  EXPECT_EQ(mem("\"64MB\""), 64ull << 20);
  EXPECT_EQ(mem("\"512kB\""), 512ull << 10);
  EXPECT_EQ(mem("\"2GB\""), 2ull << 30);
  EXPECT_EQ(mem("\"1TB\""), 1ull << 40);
  EXPECT_EQ(mem("\"100B\""), 100u);
  EXPECT_EQ(mem("4096"), 4096u);
  EXPECT_EQ(mem("\"4096\""), 4096u);
  const std::string error = ParseError("[limits]\nstatement_mem = \"64mb\"\n");
  EXPECT_NE(error.find("tenantdb.toml:2: [limits] statement_mem: \"64mb\" is not a size; write a "
                       "whole number and a unit (B, kB, MB, GB, TB)"),
            std::string::npos)
      << error;
  EXPECT_NE(ParseError("[limits]\nstatement_mem = \"2TB\"\n").find("out of range"),
            std::string::npos);
  EXPECT_NE(ParseError("[server]\nmax_body_bytes = 10\n").find("from 1kB to 1GB"),
            std::string::npos);
}

TEST(ServerConfig, UnknownKeyNamesFileLineAndAllowedKeys) {
  const std::string error = ParseError(R"(# comment
[server]
data_dir = "d"

listn = "127.0.0.1:1"
)");
  EXPECT_EQ(
      error,
      "tenantdb.toml:5: unknown key 'listn' in [server]; allowed: data_dir, listen, "
      "worker_threads, io_threads, max_body_bytes, max_concurrent_statements, shutdown_timeout");
}

TEST(ServerConfig, UnknownSectionNamesAllowedSections) {
  EXPECT_EQ(ParseError("\n\n[sever]\nlisten = \"x:1\"\n"),
            "tenantdb.toml:3: unknown section [sever]; allowed: [server], [auth], [limits], "
            "[logging], [http], [ws], [pgwire], [storage]");
  EXPECT_NE(ParseError("listen = \"127.0.0.1:1\"\n")
                .find("tenantdb.toml:1: key 'listen' is outside any section"),
            std::string::npos);
  EXPECT_NE(ParseError("[server.tls]\ncert = \"x\"\n").find("unknown key 'tls' in [server]"),
            std::string::npos);
  EXPECT_NE(ParseError("[[server]]\n").find("[server] must be a table"), std::string::npos);
}

TEST(ServerConfig, WrongTypesSayWhatIsExpected) {
  EXPECT_EQ(ParseError("[server]\nworker_threads = \"4\"\n"),
            "tenantdb.toml:2: [server] worker_threads: expected an integer from 0 to 1024, got "
            "\"4\" (a string)");
  EXPECT_EQ(ParseError("[auth]\n\nallow_basic = \"yes\"\n"),
            "tenantdb.toml:3: [auth] allow_basic: expected true or false, got \"yes\" (a string)");
  EXPECT_EQ(ParseError("[server]\nworker_threads = 2000\n"),
            "tenantdb.toml:2: [server] worker_threads: 2000 is out of range; expected an integer "
            "from 0 to 1024");
  EXPECT_NE(ParseError("[logging]\nlevel = \"verbose\"\n")
                .find("expected one of trace, debug, info, warn, error, critical, off"),
            std::string::npos);
  EXPECT_NE(ParseError("[server]\ndata_dir = \"\"\n").find("non-empty"), std::string::npos);
  EXPECT_NE(ParseError("[server]\ndata_dir = 3\n").find("got an integer"), std::string::npos);
  EXPECT_NE(ParseError("[server]\nworker_threads = 1.5\n").find("got a float"), std::string::npos);
  EXPECT_NE(ParseError("[server]\nworker_threads = [1]\n").find("got an array"), std::string::npos);
  EXPECT_NE(ParseError("[server]\nworker_threads = 1979-05-27\n").find("got a date"),
            std::string::npos);
  EXPECT_NE(ParseError("[auth]\nmin_password_length = 0\n").find("out of range"),
            std::string::npos);
  EXPECT_NE(ParseError("[logging]\nslow_statement_ms = -2\n").find("out of range"),
            std::string::npos);
  EXPECT_NE(ParseError("[storage]\nrow_cache_max_user_rows = -1\n").find("out of range"),
            std::string::npos);
}

TEST(ServerConfig, ShortSecretIsRefusedWithoutEchoingIt) {
  const std::string error = ParseError("[auth]\njwt_secret = \"hunter2\"\n");
  EXPECT_NE(error.find("tenantdb.toml:2: [auth] jwt_secret: the secret has 7 bytes"),
            std::string::npos)
      << error;
  EXPECT_EQ(error.find("hunter2"), std::string::npos);
}

TEST(ServerConfig, ListenAddressesAreChecked) {
  EXPECT_EQ(ParseListenAddress("localhost:0").value(), (ListenAddress{"localhost", 0}));
  EXPECT_EQ(ParseListenAddress("[::]:443").value(), (ListenAddress{"::", 443}));
  for (const char* bad :
       {"", "127.0.0.1", "127.0.0.1:", ":8080", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:80a",
        "::1:8080", "[::1]8080", "[::1:8080", "[localhost]:80", "a b:80", "host/x:80"}) {
    EXPECT_FALSE(ParseListenAddress(bad).ok()) << bad;
  }
  const std::string error = ParseError("[server]\nlisten = \"8080\"\n");
  EXPECT_NE(error.find("tenantdb.toml:2: [server] listen: \"8080\" is not a listen address (no "
                       "port); write \"host:port\""),
            std::string::npos)
      << error;
}

TEST(ServerConfig, PgwireAndHttpCannotShareAnAddress) {
  EXPECT_NE(ParseError("[pgwire]\nlisten = \"127.0.0.1:8080\"\n")
                .find("give the PostgreSQL protocol its own port"),
            std::string::npos);
  EXPECT_EQ(ParseError("[pgwire]\nenabled = false\nlisten = \"127.0.0.1:8080\"\n"), "");
  // Port 0 (chosen by the system) never collides.
  EXPECT_EQ(ParseError("[server]\nlisten = \"127.0.0.1:0\"\n[pgwire]\nlisten = \"127.0.0.1:0\"\n"),
            "");
}

TEST(ServerConfig, TomlSyntaxErrorsNameLineAndColumn) {
  const std::string error = ParseError("[server]\nlisten = \"unterminated\n");
  EXPECT_EQ(error.rfind("tenantdb.toml:2:", 0), 0u) << error;
  const std::string duplicate = ParseError("[server]\nworker_threads = 1\nworker_threads = 2\n");
  EXPECT_EQ(duplicate.rfind("tenantdb.toml:3:", 0), 0u) << duplicate;
}

TEST(ServerConfig, EnvironmentOverridesWinOverTheFile) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("tdb_config_" + std::to_string(::getpid()) + ".toml"))
                               .string();
  { std::ofstream(path) << "[server]\nlisten = \"127.0.0.1:9000\"\nworker_threads = 2\n"; }
  const EnvironmentMap env = {{"TENANTDB_SERVER_LISTEN", "0.0.0.0:9001"},
                              {"TENANTDB_AUTH_ALLOW_BASIC", "off"},
                              {"TENANTDB_LIMITS_STATEMENT_TIMEOUT", "5s"},
                              {"TENANTDB_LIMITS_STATEMENT_MEM", "64MB"},
                              {"TENANTDB_LOGGING_SLOW_STATEMENT_MS", "250"},
                              {"TENANTDB_ROOT_PASSWORD", "not configuration"},
                              {"TENANTDB_PASSWORD", "neither"}};
  const Result<ServerConfig> r = LoadServerConfig(path, env);
  std::filesystem::remove(path);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->server.listen, (ListenAddress{"0.0.0.0", 9001}));
  EXPECT_EQ(r->server.worker_threads, 2);  // from the file
  EXPECT_FALSE(r->auth.allow_basic);
  EXPECT_EQ(r->limits.statement_timeout, seconds(5));
  EXPECT_EQ(r->limits.statement_mem, 64u << 20);
  EXPECT_EQ(r->logging.slow_statement_ms, 250);
}

TEST(ServerConfig, EveryKeyHasAnEnvironmentVariable) {
  ServerConfig expected;
  expected.pgwire.enabled = false;  // so that both listens may be anything
  expected.pgwire.allow_cleartext_password = true;
  expected.pgwire.ssl_cert_file = "/etc/tenantdb/server.crt";
  expected.pgwire.ssl_key_file = "/etc/tenantdb/server.key";
  expected.pgwire.ssl_required = true;
  expected.pgwire.max_connections = 7;
  expected.http.cors_allowed_origins = {"https://a.example", "http://b.example:8080"};
  EnvironmentMap env;
  for (const ConfigKeyInfo& info : ServerConfigKeys()) {
    std::string name = "TENANTDB_" + std::string(info.section) + "_" + std::string(info.key);
    for (char& c : name)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::string value = ServerConfigValueAsToml(expected, info.section, info.key);
    if (value.front() == '"') value = value.substr(1, value.size() - 2);
    if (value.front() == '[') {  // a list: comma-separated in the environment
      std::string list;
      for (const char c : value)
        if (c != '[' && c != ']' && c != '"' && c != ' ') list += c;
      value = list;
    }
    env[name] = value;
  }
  EXPECT_EQ(env.size(), 45u);
  ServerConfig c;
  c.server.worker_threads = 99;  // every key is overwritten, back to `expected`
  c.auth.issuer = "x";
  ASSERT_TRUE(ApplyEnvironmentOverrides(env, &c).ok());
  EXPECT_EQ(c, expected);
}

TEST(ServerConfig, BadEnvironmentValuesNameTheVariable) {
  EXPECT_EQ(EnvError({{"TENANTDB_SERVER_WORKER_THREADS", "four"}}),
            "environment variable TENANTDB_SERVER_WORKER_THREADS: expected an integer from 0 to "
            "1024, got \"four\" (a string)");
  EXPECT_NE(EnvError({{"TENANTDB_AUTH_ALLOW_BASIC", "maybe"}}).find("expected true or false"),
            std::string::npos);
  EXPECT_NE(EnvError({{"TENANTDB_LIMITS_STATEMENT_TIMEOUT", "5"}}).find("is not a duration"),
            std::string::npos);
  EXPECT_NE(EnvError({{"TENANTDB_SERVER_LISTN", "x:1"}})
                .find("environment variable TENANTDB_SERVER_LISTN names no key of [server]; "
                      "allowed: TENANTDB_SERVER_DATA_DIR, TENANTDB_SERVER_LISTEN"),
            std::string::npos);
  EXPECT_EQ(EnvError({{"TENANTDB_SOURCE_DIR", "/src"}, {"TENANTDB_ROOT_PASSWORD", "pw"}}), "");
  for (const char* word : {"true", "on", "yes", "1", "TRUE"}) {
    ServerConfig c;
    c.auth.allow_basic = false;
    ASSERT_TRUE(ApplyEnvironmentOverrides({{"TENANTDB_AUTH_ALLOW_BASIC", word}}, &c).ok());
    EXPECT_TRUE(c.auth.allow_basic) << word;
  }
}

TEST(ServerConfig, HttpTimeoutsAreDurationsWithinBounds) {
  const ServerConfig c = Parse("[http]\nidle_timeout = \"500ms\"\nrequest_timeout = \"1s\"\n");
  EXPECT_EQ(c.http.idle_timeout, Milliseconds(500));
  EXPECT_EQ(c.http.request_timeout, seconds(1));
  EXPECT_EQ(c.http.write_timeout, seconds(30));  // the default
  EXPECT_EQ(ParseError("[http]\n\nidle_timeout = \"0\"\n"),
            "tenantdb.toml:3: [http] idle_timeout: 0 is out of range; expected a duration such "
            "as \"5s\", \"500ms\" or \"2min\", from 100ms to 1d");
  EXPECT_NE(ParseError("[http]\nrequest_timeout = 30\n")
                .find("tenantdb.toml:2: [http] "
                      "request_timeout: 30 has no unit"),
            std::string::npos);
  EXPECT_NE(ParseError("[http]\nwrite_timeout = \"2h\"\n").find("out of range"), std::string::npos);
  EXPECT_NE(ParseError("[http]\nmax_header_bytes = \"2MB\"\n").find("from 1kB to 1MB"),
            std::string::npos);
  EXPECT_NE(ParseError("[http]\nread_timeout = \"1s\"\n")
                .find("unknown key 'read_timeout' in [http]; allowed: idle_timeout, "
                      "request_timeout, write_timeout, max_header_bytes, cors_allowed_origins"),
            std::string::npos);
  ServerConfig env;
  ASSERT_TRUE(
      ApplyEnvironmentOverrides(
          {{"TENANTDB_HTTP_IDLE_TIMEOUT", "2s"}, {"TENANTDB_HTTP_REQUEST_TIMEOUT", "750ms"}}, &env)
          .ok());
  EXPECT_EQ(env.http.idle_timeout, seconds(2));
  EXPECT_EQ(env.http.request_timeout, Milliseconds(750));
  EXPECT_EQ(EnvError({{"TENANTDB_HTTP_WRITE_TIMEOUT", "soon"}}),
            "environment variable TENANTDB_HTTP_WRITE_TIMEOUT: \"soon\" is not a duration; write "
            "a whole number and a unit (ms, s, min, h, d)");
}

TEST(ServerConfig, CorsOriginsAreExactOriginsOrAStar) {
  EXPECT_TRUE(ServerConfig().http.cors_allowed_origins.empty());
  EXPECT_EQ(Parse("[http]\ncors_allowed_origins = [\"*\"]\n").http.cors_allowed_origins,
            std::vector<std::string>{"*"});
  EXPECT_EQ(
      Parse("[http]\ncors_allowed_origins = [\"http://[::1]:3000\", \"https://a-b.example\"]\n")
          .http.cors_allowed_origins,
      (std::vector<std::string>{"http://[::1]:3000", "https://a-b.example"}));
  for (const char* bad :
       {"\"https://app.example.com/\"", "\"app.example.com\"", "\"ftp://a.example\"",
        "\"https://App.example\"", "\"https://a:80x\"", "\"https://\"", "\"null\"", "\"\""}) {
    const std::string error =
        ParseError("[http]\ncors_allowed_origins = [" + std::string(bad) + "]\n");
    EXPECT_NE(error.find("tenantdb.toml:2: [http] cors_allowed_origins: "), std::string::npos)
        << bad << ": " << error;
    EXPECT_NE(error.find("is not an origin; expected an array of origins"), std::string::npos)
        << bad << ": " << error;
  }
  EXPECT_NE(ParseError("[http]\ncors_allowed_origins = \"*\"\n")
                .find("expected an array of origins such as [\"https://app.example.com\"]"),
            std::string::npos);
  EXPECT_NE(ParseError("[http]\ncors_allowed_origins = [1]\n").find("got an array"),
            std::string::npos);
  ServerConfig c;
  ASSERT_TRUE(
      ApplyEnvironmentOverrides(
          {{"TENANTDB_HTTP_CORS_ALLOWED_ORIGINS", "https://a.example, http://b.example:8"}}, &c)
          .ok());
  EXPECT_EQ(c.http.cors_allowed_origins,
            (std::vector<std::string>{"https://a.example", "http://b.example:8"}));
  EXPECT_EQ(ServerConfigValueAsToml(c, "http", "cors_allowed_origins"),
            R"(["https://a.example", "http://b.example:8"])");
  ASSERT_TRUE(ApplyEnvironmentOverrides({{"TENANTDB_HTTP_CORS_ALLOWED_ORIGINS", ""}}, &c).ok());
  EXPECT_TRUE(c.http.cors_allowed_origins.empty());
  EXPECT_NE(EnvError({{"TENANTDB_HTTP_CORS_ALLOWED_ORIGINS", "https://a.example,"}})
                .find("environment variable TENANTDB_HTTP_CORS_ALLOWED_ORIGINS: \"\" is not an "
                      "origin"),
            std::string::npos);
}

TEST(ServerConfig, MissingFileIsAClearError) {
  const Result<ServerConfig> r = LoadServerConfigFile("/nonexistent/tenantdb.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kConfigFileError);
  EXPECT_NE(r.status().message().find("/nonexistent/tenantdb.toml"), std::string_view::npos);
}

TEST(ServerConfig, LoadWithoutAFileUsesDefaultsAndEnvironment) {
  const Result<ServerConfig> r =
      LoadServerConfig(std::nullopt, {{"TENANTDB_SERVER_DATA_DIR", "/tmp/x"}});
  ASSERT_TRUE(r.ok());
  ServerConfig expected;
  expected.server.data_dir = "/tmp/x";
  EXPECT_EQ(*r, expected);
}

TEST(ServerConfig, NewErrorCodesFollowPostgres) {
  EXPECT_EQ(ErrorCodeSqlState(ErrorCode::kConfigFileError), "F0000");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kConfigFileError), "config_file_error");
  EXPECT_EQ(ErrorCodeSqlState(ErrorCode::kInvalidPassword), "28P01");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kInvalidPassword), "invalid_password");
  EXPECT_EQ(ErrorCodeSqlState(ErrorCode::kInvalidAuthorization), "28000");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kInvalidAuthorization), "invalid_authorization_specification");
}

}  // namespace
}  // namespace tenantdb::server
