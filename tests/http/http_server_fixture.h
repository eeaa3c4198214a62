// HttpServerTest: the HTTP server in-process over real sockets on 127.0.0.1 (an
// ephemeral port), with a real Database in a temporary directory (users alice, bob,
// carol; chat.messages, a USER table; chat.big, 400 SHARED rows), the real
// Authenticator and ServerMetrics, and a Boost.Beast client. Shared by the http_tests
// files; each test starts the server with Start() after adjusting options_.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "http_test_client.h"
#include "server/auth/authenticator.h"
#include "server/http/http_server.h"
#include "server/metrics/server_metrics.h"
#include "tenantdb/database.h"

namespace tenantdb::server::http {

using testing::BasicAuth;
using testing::HttpResult;
using testing::TestClient;
namespace json = boost::json;

inline const std::string kRootPassword = "root-password-for-tests";

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tdb_http_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Database::Options options;
    options.background_jobs = false;
    db_ = std::move(Database::Open(dir_.string(), options)).value();
    ASSERT_TRUE(EnsureRootPassword(db_.get(), kRootPassword).ok());
    {
      auto root = std::move(db_->Connect("root", Role::kSystem)).value();
      for (const char* sql : {
               "CREATE USER alice WITH PASSWORD 'alice-password-1' ROLE user",
               "CREATE USER bob WITH PASSWORD 'bob-password-1' ROLE user",
               "CREATE USER carol WITH PASSWORD 'carol-password-1' ROLE dba",
               "CREATE NAMESPACE chat",
               "CREATE TABLE chat.messages (id BIGINT PRIMARY KEY, body TEXT) WITH (TYPE = 'USER')",
               "CREATE TABLE chat.big (id BIGINT PRIMARY KEY) WITH (TYPE = 'SHARED', "
               "ACCESS_LEVEL = 'PUBLIC')",
           }) {
        auto r = root->Execute(sql);
        ASSERT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
      }
      // 400 rows: a three-way cross join of them is a statement that runs for minutes.
      std::string insert = "INSERT INTO chat.big VALUES (0)";
      for (int i = 1; i < 400; ++i)
        insert += ",(" + std::to_string(i) + ")";
      ASSERT_TRUE(root->Execute(insert).ok());
    }
    config_.server.data_dir = dir_.string();
    authenticator_ = std::move(Authenticator::Create(db_.get(), config_)).value();
    log_ =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
    options_.listen = {"127.0.0.1", 0};
    options_.worker_threads = 4;
    options_.io_threads = 1;
    options_.max_concurrent_statements = 16;
    options_.shutdown_timeout = std::chrono::seconds(10);
  }

  void TearDown() override {
    server_.reset();
    authenticator_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Start() {
    HttpServer::Services services{db_.get(), authenticator_.get(), &metrics_, log_};
    auto server = HttpServer::Start(options_, services);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
  }

  // options_ as `tenantdb serve` builds them from a configuration whose [http] section
  // is `http_section` (on an ephemeral port, with few threads).
  void Configure(const std::string& http_section) {
    const Result<ServerConfig> config = ParseServerConfig(
        "[server]\nlisten = \"127.0.0.1:0\"\nworker_threads = 4\n[http]\n" + http_section,
        "test.toml");
    ASSERT_TRUE(config.ok()) << config.status().ToString();
    options_ = HttpServerOptions::FromConfig(*config);
    options_.io_threads = 1;
  }

  HttpResult Sql(const std::string& auth, const std::string& body) {
    TestClient client(server_->port());
    return client.Request("POST", "/v1/api/sql", body, auth);
  }
  HttpResult SqlAs(const std::string& user, const std::string& sql) {
    json::object body{{"sql", sql}};
    return Sql(BasicAuth(user, user == "root" ? kRootPassword : user + "-password-1"),
               json::serialize(body));
  }
  // "Bearer <access token>" for `user`: requests with it cost no password hash, so tests
  // that measure time or rates do not measure argon2 on a loaded machine.
  std::string BearerFor(const std::string& user) {
    TestClient client(server_->port());
    json::object body{{"username", user}, {"password", user + "-password-1"}};
    HttpResult login = client.Request("POST", "/v1/api/auth/login", json::serialize(body));
    EXPECT_EQ(login.status, 200) << login.body;
    if (login.status != 200) return "";
    return "Bearer " + std::string(Parse(login).at("access_token").as_string());
  }

  static json::value Parse(const HttpResult& r) {
    boost::system::error_code ec;
    json::value v = json::parse(r.body, ec);
    EXPECT_FALSE(ec) << "not JSON: " << r.body.substr(0, 300);
    return v;
  }
  static std::string Code(const HttpResult& r) {
    json::value v = Parse(r);
    if (!v.is_object() || !v.as_object().contains("error")) return "";
    return std::string(v.at("error").at("code").as_string());
  }
  bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
  }

  static constexpr const char* kLongQuery =
      "SELECT count(*) FROM chat.big a, chat.big b, chat.big c";

  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
  ServerConfig config_;
  std::unique_ptr<Authenticator> authenticator_;
  ServerMetrics metrics_;
  std::shared_ptr<spdlog::logger> log_;
  HttpServerOptions options_;
  std::unique_ptr<HttpServer> server_;
};

}  // namespace tenantdb::server::http
