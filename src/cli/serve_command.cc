// `tenantdb serve [--data DIR] [--listen HOST:PORT] [--pg-listen HOST:PORT] [--config FILE]`:
// opens the data directory and serves the HTTP API (server/http/http_server.h) and the
// PostgreSQL wire protocol (server/pgwire/pg_server.h; unless [pgwire] enabled = false)
// until SIGTERM or SIGINT.
//
// Configuration: the defaults (./data, 127.0.0.1:8080), then the TOML file, then
// TENANTDB_<SECTION>_<KEY> variables, then --data / --listen. Logs go to stderr (spdlog,
// one line per request). Standard output gets two kinds of line a script can read: the
// root password when one was generated ("root password: ...", once, on first start), and
// "listening on http://HOST:PORT" (the real port when --listen asked for port 0) once the
// server accepts connections, after "pgwire listening on HOST:PORT" when the PostgreSQL
// protocol is on. Exit status: 0 after a graceful shutdown, 1 when startup
// fails (bad configuration, directory in use, address in use).
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <thread>

#include <spdlog/spdlog.h>

#include "CLI/CLI.hpp"
#include "cli/commands.h"
#include "cli/server_url.h"
#include "server/auth/authenticator.h"
#include "server/config/server_config.h"
#include "server/http/http_server.h"
#include "server/logging/buffered_fd_sink.h"
#include "server/metrics/server_metrics.h"
#include "server/pgwire/pg_server.h"
#include "tenantdb/database.h"

namespace tenantdb::cli {

namespace {

struct ServeOptions {
  std::string data;
  std::string listen;
  std::string pg_listen;
  std::string config;
};

spdlog::level::level_enum SpdlogLevel(server::LogLevel level) {
  switch (level) {
    case server::LogLevel::kTrace:
      return spdlog::level::trace;
    case server::LogLevel::kDebug:
      return spdlog::level::debug;
    case server::LogLevel::kInfo:
      return spdlog::level::info;
    case server::LogLevel::kWarn:
      return spdlog::level::warn;
    case server::LogLevel::kError:
      return spdlog::level::err;
    case server::LogLevel::kCritical:
      return spdlog::level::critical;
    case server::LogLevel::kOff:
      return spdlog::level::off;
  }
  return spdlog::level::info;
}

constexpr std::chrono::seconds kLogFlushPeriod{1};  // spdlog counts it in seconds

int Fail(const Status& status) {
  std::fprintf(stderr, "tenantdb serve: %s\n", status.ToString().c_str());
  return 1;
}

int RunServe(const ServeOptions& options) {
  std::optional<std::string> config_path;
  if (!options.config.empty()) config_path = options.config;
  Result<server::ServerConfig> loaded =
      server::LoadServerConfig(config_path, server::TenantdbEnvironment());
  if (!loaded.ok()) return Fail(loaded.status());
  server::ServerConfig config = std::move(*loaded);
  if (!options.data.empty()) config.server.data_dir = options.data;
  if (!options.listen.empty()) {
    Result<server::ListenAddress> listen = server::ParseListenAddress(options.listen);
    if (!listen.ok()) return Fail(listen.status());
    config.server.listen = *listen;
  }
  if (!options.pg_listen.empty()) {
    Result<server::ListenAddress> listen = server::ParseListenAddress(options.pg_listen);
    if (!listen.ok()) return Fail(listen.status());
    config.pgwire.listen = *listen;
  }

  // Request lines are batched (server/logging/buffered_fd_sink.h): written within
  // kLogFlushPeriod, warnings and errors at once.
  auto log = std::make_shared<spdlog::logger>(
      "tenantdb", std::make_shared<server::BufferedFdSink>(STDERR_FILENO));
  log->set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %l %v", spdlog::pattern_time_type::utc);
  log->set_level(SpdlogLevel(config.logging.level));
  log->flush_on(spdlog::level::warn);
  spdlog::register_logger(log);
  struct FlushAtExit {
    std::shared_ptr<spdlog::logger> log;
    ~FlushAtExit() { log->flush(); }
  } flush_at_exit{log};

  // Every thread started from here on inherits the blocked signals; this thread takes
  // them with sigwait, so no handler runs inside the server's threads.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  spdlog::flush_every(kLogFlushPeriod);  // its thread too must not take the signals
  // A client that disconnects must not kill the server (writes get EPIPE instead).
  signal(SIGPIPE, SIG_IGN);

  const std::string& data_dir = config.server.data_dir;
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  if (error) {
    return Fail(Status(ErrorCode::kIoError,
                       "cannot create data directory '" + data_dir + "': " + error.message()));
  }
  Database::Options db_options;
  db_options.statement_timeout_ms = static_cast<uint64_t>(config.limits.statement_timeout.count());
  db_options.statement_mem = config.limits.statement_mem;
  db_options.min_password_length = static_cast<size_t>(config.auth.min_password_length);
  db_options.cache_capacity = static_cast<size_t>(config.storage.table_cache_entries);
  db_options.user_cache_bytes = config.storage.row_cache;
  db_options.user_cache_max_earned_rows =
      static_cast<size_t>(config.storage.row_cache_max_user_rows);
  db_options.catalog_block_cache_bytes = config.storage.catalog_block_cache;
  db_options.rows_block_cache_bytes = config.storage.rows_block_cache;
  db_options.compact_after_files = static_cast<size_t>(config.storage.compact_after_files);
  // Whole seconds, rounded up: a retention under a second must not become 0 (no limit).
  db_options.change_retention_seconds =
      static_cast<uint64_t>((config.storage.change_retention.count() + 999) / 1000);
  db_options.change_retention_count = static_cast<uint64_t>(config.storage.change_retention_count);
  Result<std::unique_ptr<Database>> db = Database::Open(data_dir, db_options);
  if (!db.ok()) return Fail(ExplainDirectoryInUse(db.status(), data_dir));

  Result<std::unique_ptr<server::Authenticator>> authenticator =
      server::Authenticator::Create(db->get(), config);
  if (!authenticator.ok()) return Fail(authenticator.status());
  const char* root_password = std::getenv("TENANTDB_ROOT_PASSWORD");
  Result<std::optional<std::string>> generated =
      server::EnsureRootPassword(db->get(), root_password != nullptr ? root_password : "");
  if (!generated.ok()) return Fail(generated.status());
  if (generated->has_value()) {
    std::printf(
        "root password: %s\n(generated on first start and shown only once; set "
        "TENANTDB_ROOT_PASSWORD or run `tenantdb user set-password root` to choose one)\n",
        (*generated)->c_str());
  }

  server::ServerMetrics metrics;
  server::http::HttpServer::Services services;
  services.db = db->get();
  services.authenticator = authenticator->get();
  services.metrics = &metrics;
  services.log = log;
  Result<std::unique_ptr<server::http::HttpServer>> http = server::http::HttpServer::Start(
      server::http::HttpServerOptions::FromConfig(config), services);
  if (!http.ok()) return Fail(http.status());
  std::unique_ptr<server::pgwire::PgServer> pg;
  if (config.pgwire.enabled) {
    Result<std::unique_ptr<server::pgwire::PgServer>> started =
        server::pgwire::PgServer::Start(server::pgwire::PgServerOptions::FromConfig(config),
                                        {db->get(), authenticator->get(), log});
    if (!started.ok()) return Fail(started.status());
    pg = std::move(*started);
    log->info("serving pgwire address={}", pg->address());
    std::printf("pgwire listening on %s\n", pg->address().c_str());
  }
  const std::string url = (*http)->url();
  if (Status written = WriteServerUrl(data_dir, url); !written.ok()) {
    log->warn("server_url_not_written error=\"{}\"", written.ToString());
  }
  log->info("serving data_dir={} url={}", data_dir, url);
  std::printf("listening on %s\n", url.c_str());
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  log->info("signal {} received: shutting down (shutdown_timeout {} ms)", signal_number,
            config.server.shutdown_timeout.count());
  // Both drain at once: HTTP in its own thread, the PostgreSQL listener here.
  std::thread http_shutdown([&http] { (*http)->Shutdown(); });
  if (pg != nullptr) pg->Shutdown();
  http_shutdown.join();
  pg.reset();
  http->reset();
  RemoveServerUrl(data_dir);
  authenticator->reset();
  db->reset();
  log->info("stopped");
  return 0;
}

}  // namespace

void RegisterServeCommand(CLI::App& app) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* serve = app.add_subcommand("serve", "Serve the HTTP SQL API over a data directory");
  serve->add_option("--data", options->data, "Data directory (default ./data)");
  serve->add_option("--listen", options->listen,
                    "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 picks one)");
  serve->add_option("--pg-listen", options->pg_listen,
                    "HOST:PORT for the PostgreSQL protocol (default 127.0.0.1:5433; port 0 "
                    "picks one; [pgwire] enabled = false turns it off)");
  serve->add_option("--config", options->config, "TOML configuration file");
  serve->callback([options] { SetExitCode(RunServe(*options)); });
}

}  // namespace tenantdb::cli
