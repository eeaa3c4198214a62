// CORS over real sockets (HttpServerTest, http_server_fixture.h): preflights, the
// Access-Control headers on replies, errors and streams, "*" and no list.
#include "http_server_fixture.h"

namespace tenantdb::server::http {
namespace {

TEST_F(HttpServerTest, PreflightsAnswerAllowedOriginsOnly) {
  Configure("cors_allowed_origins = [\"https://app.example\", \"http://localhost:5173\"]\n");
  Start();
  TestClient client(server_->port());
  HttpResult allowed = client.Request("OPTIONS", "/v1/api/sql", {}, {},
                                      {{"Origin", "https://app.example"},
                                       {"Access-Control-Request-Method", "POST"},
                                       {"Access-Control-Request-Headers", "authorization"}});
  EXPECT_EQ(allowed.status, 204);
  EXPECT_EQ(allowed.body, "");
  EXPECT_EQ(allowed.header("access-control-allow-origin"), "https://app.example");
  EXPECT_EQ(allowed.header("access-control-allow-methods"), "POST");
  EXPECT_EQ(allowed.header("access-control-allow-headers"), "Authorization, Content-Type");
  EXPECT_EQ(allowed.header("access-control-max-age"), "3600");
  EXPECT_EQ(allowed.header("vary"), "Origin");
  EXPECT_EQ(allowed.header("allow"), "POST, OPTIONS");
  HttpResult get_route =
      client.Request("OPTIONS", "/v1/api/auth/me", {}, {}, {{"Origin", "http://localhost:5173"}});
  EXPECT_EQ(get_route.status, 204);
  EXPECT_EQ(get_route.header("access-control-allow-origin"), "http://localhost:5173");
  EXPECT_EQ(get_route.header("access-control-allow-methods"), "GET, HEAD");
  for (const char* origin : {"https://evil.example", "https://app.example.evil", "null"}) {
    HttpResult other =
        client.Request("OPTIONS", "/v1/api/sql", {}, {},
                       {{"Origin", origin}, {"Access-Control-Request-Method", "POST"}});
    EXPECT_EQ(other.status, 204) << origin;
    for (const char* h : {"access-control-allow-origin", "access-control-allow-methods",
                          "access-control-allow-headers", "access-control-max-age"}) {
      EXPECT_EQ(other.header(h), "") << origin << " " << h;
    }
  }
  // An unknown path is still 404; the connection serves on.
  EXPECT_EQ(
      client.Request("OPTIONS", "/nowhere", {}, {}, {{"Origin", "https://app.example"}}).status,
      404);
  EXPECT_EQ(client.Request("GET", "/health").status, 200);
}

TEST_F(HttpServerTest, ResponsesToAllowedOriginsCarryCorsHeadersAlsoErrorsAndStreams) {
  Configure("cors_allowed_origins = [\"https://app.example\"]\n");
  options_.chunk_bytes = 256;  // so a few hundred rows stream
  Start();
  const std::map<std::string, std::string> from_app = {{"Origin", "https://app.example"}};
  const std::string alice = BasicAuth("alice", "alice-password-1");
  TestClient client(server_->port());
  const auto expect_cors = [](const HttpResult& r, const std::string& what) {
    EXPECT_EQ(r.header("access-control-allow-origin"), "https://app.example") << what;
    EXPECT_EQ(r.header("vary"), "Origin") << what;
    EXPECT_NE(r.header("access-control-expose-headers").find("X-Request-Id"), std::string::npos)
        << what;
  };
  HttpResult ok = client.Request("POST", "/v1/api/sql", R"({"sql":"SELECT 1"})", alice, from_app);
  EXPECT_EQ(ok.status, 200);
  expect_cors(ok, "200");
  HttpResult bad_sql =
      client.Request("POST", "/v1/api/sql", R"({"sql":"SELEC 1"})", alice, from_app);
  EXPECT_EQ(bad_sql.status, 400);
  expect_cors(bad_sql, "400");
  HttpResult unauthorized = client.Request("POST", "/v1/api/sql", R"({"sql":"SELECT 1"})",
                                           BasicAuth("alice", "wrong-password"), from_app);
  EXPECT_EQ(unauthorized.status, 401);
  expect_cors(unauthorized, "401");
  HttpResult missing = client.Request("GET", "/nowhere", {}, {}, from_app);
  EXPECT_EQ(missing.status, 404);
  expect_cors(missing, "404");
  HttpResult streamed = client.Request(
      "POST", "/v1/api/sql", R"({"sql":"SELECT id FROM chat.big ORDER BY id"})", alice, from_app);
  EXPECT_EQ(streamed.status, 200);
  EXPECT_TRUE(streamed.chunked);
  expect_cors(streamed, "streamed");
  EXPECT_EQ(Parse(streamed).at("results").at(0).at("row_count").as_int64(), 400);
  HttpResult health = client.Request("GET", "/health", {}, {}, from_app);
  expect_cors(health, "health");
  // Another origin, or none: served, without CORS headers (Vary still says why).
  HttpResult other = client.Request("POST", "/v1/api/sql", R"({"sql":"SELECT 1"})", alice,
                                    {{"Origin", "https://evil.example"}});
  EXPECT_EQ(other.status, 200);
  EXPECT_EQ(other.header("access-control-allow-origin"), "");
  EXPECT_EQ(other.header("vary"), "Origin");
  EXPECT_EQ(client.Request("GET", "/health").header("access-control-allow-origin"), "");
}

TEST_F(HttpServerTest, AStarAllowsAnyOriginAndNoListAllowsNone) {
  Configure("cors_allowed_origins = [\"*\"]\n");
  Start();
  TestClient client(server_->port());
  HttpResult r = client.Request("GET", "/health", {}, {}, {{"Origin", "https://any.example"}});
  EXPECT_EQ(r.header("access-control-allow-origin"), "https://any.example");
  server_.reset();
  Configure("");
  Start();
  TestClient plain(server_->port());
  HttpResult none =
      plain.Request("OPTIONS", "/v1/api/sql", {}, {},
                    {{"Origin", "https://any.example"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(none.status, 204);
  EXPECT_EQ(none.header("access-control-allow-origin"), "");
  EXPECT_EQ(none.header("vary"), "");
  EXPECT_EQ(none.header("allow"), "POST, OPTIONS");
}

}  // namespace
}  // namespace tenantdb::server::http
