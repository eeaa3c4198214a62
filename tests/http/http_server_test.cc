// The HTTP server in-process over real sockets on 127.0.0.1 (ephemeral ports), with a
// real Database in a temporary directory, the real Authenticator and ServerMetrics, and
// a Boost.Beast client: every route, every error status, malformed input, streaming,
// max_rows, cancellation on disconnect, isolation, limits and graceful shutdown.
#include "http_server_fixture.h"

#include <regex>

namespace tenantdb::server::http {
namespace {

TEST_F(HttpServerTest, HealthReadyAndMetricsAnswer) {
  Start();
  TestClient client(server_->port());
  HttpResult health = client.Request("GET", "/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(Parse(health).at("status").as_string(), "ok");
  EXPECT_EQ(health.header("x-request-id").size(), 16u);
  HttpResult ready = client.Request("GET", "/ready");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(Parse(ready).at("status").as_string(), "ready");
  ASSERT_EQ(SqlAs("alice", "SELECT 1").status, 200);
  HttpResult metrics = client.Request("GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(metrics.body.find("/v1/api/sql"), std::string::npos) << metrics.body;
}

TEST_F(HttpServerTest, UnknownRoutesAre404AndWrongMethods405) {
  Start();
  TestClient client(server_->port());
  HttpResult missing = client.Request("GET", "/v1/api/nothing");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(Code(missing), "not_found");
  HttpResult wrong = client.Request("GET", "/v1/api/sql");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.header("allow"), "POST, OPTIONS");
  // The connection stays usable after both.
  EXPECT_EQ(client.Request("GET", "/health").status, 200);
}

TEST_F(HttpServerTest, SqlAnswersInKalamDbsShape) {
  Start();
  HttpResult r = SqlAs("alice",
                       "INSERT INTO chat.messages VALUES (1, 'hi'); "
                       "SELECT id, body FROM chat.messages");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(r.chunked);
  json::value v = Parse(r);
  EXPECT_EQ(v.at("status").as_string(), "success");
  EXPECT_TRUE(v.at("took").is_number());
  const json::array& results = v.at("results").as_array();
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].at("message").as_string(), "INSERT 0 1");
  EXPECT_EQ(results[0].at("row_count").as_int64(), 1);
  const json::array& schema = results[1].at("schema").as_array();
  ASSERT_EQ(schema.size(), 2u);
  EXPECT_EQ(schema[0].at("name").as_string(), "id");
  EXPECT_EQ(schema[0].at("data_type").as_string(), "BIGINT");
  EXPECT_EQ(schema[1].at("index").as_int64(), 1);
  EXPECT_EQ(json::serialize(results[1].at("rows")), R"([[1,"hi"]])");
  EXPECT_EQ(results[1].at("message").as_string(), "SELECT 1");
}

TEST_F(HttpServerTest, ValuesAreTypedForJavaScriptClients) {
  Start();
  ASSERT_EQ(SqlAs("root",
                  "CREATE TABLE chat.types (id BIGINT PRIMARY KEY, j JSON, b BYTEA, ts TIMESTAMP, "
                  "tz TIMESTAMPTZ, d DATE, r REAL, small BIGINT) WITH (TYPE = 'USER')")
                .status,
            200);
  HttpResult insert = Sql(BasicAuth("alice", "alice-password-1"), R"js({
    "sql": "INSERT INTO chat.types VALUES ($1, $2, $3::BYTEA, $4::TIMESTAMP, $5::TIMESTAMPTZ, $6::DATE, $7, $8)",
    "params": [9007199254740993, {"a": [1, 2]}, "\\x0001ff", "2024-01-31 12:00:00.5",
               "2024-01-31 12:00:00+00", "2024-01-31", 0.1, -9007199254740991]})js");
  ASSERT_EQ(insert.status, 200) << insert.body;
  HttpResult r = SqlAs("alice", "SELECT * FROM chat.types");
  ASSERT_EQ(r.status, 200) << r.body;
  const json::value row = Parse(r).at("results").at(0).at("rows").at(0);
  EXPECT_EQ(row.at(0), json::value("9007199254740993"));    // past 2^53 - 1: a string
  EXPECT_EQ(json::serialize(row.at(1)), R"({"a":[1,2]})");  // JSON as JSON
  EXPECT_EQ(row.at(2), json::value("AAH/"));                // BYTEA as base64
  EXPECT_EQ(row.at(3), json::value("2024-01-31T12:00:00.500"));
  EXPECT_EQ(row.at(4), json::value("2024-01-31T12:00:00Z"));
  EXPECT_EQ(row.at(5), json::value("2024-01-31"));
  EXPECT_NE(r.body.find(",0.1,"), std::string::npos);  // REAL printed as the float it is
  EXPECT_EQ(row.at(7).as_int64(), -9007199254740991);  // within ±(2^53 - 1): a number
}

TEST_F(HttpServerTest, ErrorsCarryTheirHttpStatusCodeAndSqlstate) {
  Start();
  HttpResult syntax = SqlAs("alice", "SELECT 1; SELEC 2");
  EXPECT_EQ(syntax.status, 400);
  json::value v = Parse(syntax);
  EXPECT_EQ(v.at("status").as_string(), "error");
  EXPECT_EQ(v.at("error").at("code").as_string(), "syntax_error");
  EXPECT_EQ(v.at("error").at("sqlstate").as_string(), "42601");
  EXPECT_EQ(v.at("error").at("position").as_int64(), 11);  // in the request's "sql"
  // A binder error names its position too: the unknown column's, in the request's "sql".
  HttpResult column = SqlAs("alice", "SELECT 1; SELECT nosuch");
  EXPECT_EQ(column.status, 400);
  v = Parse(column);
  EXPECT_EQ(v.at("error").at("code").as_string(), "undefined_column");
  EXPECT_EQ(v.at("error").at("sqlstate").as_string(), "42703");
  EXPECT_EQ(v.at("error").at("position").as_int64(), 18);

  EXPECT_EQ(Sql("", R"({"sql":"SELECT 1"})").status, 401);
  HttpResult wrong = Sql(BasicAuth("alice", "not-her-password"), R"({"sql":"SELECT 1"})");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(Code(wrong), "invalid_password");
  HttpResult bad_token = Sql("Bearer not.a.token", R"({"sql":"SELECT 1"})");
  EXPECT_EQ(bad_token.status, 401);
  EXPECT_EQ(Code(bad_token), "invalid_authorization_specification");

  HttpResult ddl = SqlAs("alice", "CREATE TABLE chat.x (id BIGINT PRIMARY KEY)");
  EXPECT_EQ(ddl.status, 403);
  EXPECT_EQ(Code(ddl), "insufficient_privilege");

  HttpResult missing = SqlAs("alice", "SELECT * FROM chat.nothing");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(Code(missing), "undefined_table");

  ASSERT_EQ(SqlAs("alice", "INSERT INTO chat.messages VALUES (7, 'a')").status, 200);
  HttpResult duplicate = SqlAs("alice", "INSERT INTO chat.messages VALUES (7, 'b')");
  EXPECT_EQ(duplicate.status, 409);
  EXPECT_EQ(Code(duplicate), "unique_violation");

  HttpResult zero = SqlAs("alice", "SELECT 1 / 0");
  EXPECT_EQ(zero.status, 400);
  EXPECT_EQ(Code(zero), "division_by_zero");
}

TEST_F(HttpServerTest, MalformedBodiesAreInvalidRequests) {
  Start();
  const std::string alice = BasicAuth("alice", "alice-password-1");
  for (const char* body :
       {"", "not json", "[1,2]", R"({"sql": 5})", R"({"params": []})",
        R"({"sql":"SELECT 1","params":{"a":1}})", R"({"sql":"SELECT 1","max_rows":-1})",
        R"({"sql":"SELECT 1","namespace_id":"a;DROP"})",
        R"({"sql":"SELECT 1","params":[18446744073709551615]})", R"({"sql":"SELECT 1"  trailing)",
        R"({"sql":"   "})"}) {
    HttpResult r = Sql(alice, body);
    EXPECT_EQ(r.status, 400) << body << " -> " << r.body;
    EXPECT_EQ(Code(r), "invalid_request") << body << " -> " << r.body;
  }
  // Too deep to be anything but an attack: refused, not recursed into.
  std::string deep =
      R"({"sql":"SELECT 1","params":[)" + std::string(10000, '[') + std::string(10000, ']') + "]}";
  EXPECT_EQ(Sql(alice, deep).status, 400);
  // Parameters bind.
  HttpResult bound = Sql(alice, R"({"sql":"SELECT $1 + 1, $2, $3","params":[41,"x",null]})");
  ASSERT_EQ(bound.status, 200) << bound.body;
  EXPECT_EQ(json::serialize(Parse(bound).at("results").at(0).at("rows")), R"([[42,"x",null]])");
}

TEST_F(HttpServerTest, NothingInTheBodyChangesWhoYouAre) {
  Start();
  const std::string alice = BasicAuth("alice", "alice-password-1");
  for (const char* body : {R"({"sql":"CREATE NAMESPACE evil","role":"system"})",
                           R"({"sql":"CREATE NAMESPACE evil","user":"root"})",
                           R"({"sql":"CREATE NAMESPACE evil","as_user":"root"})"}) {
    HttpResult r = Sql(alice, body);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(Code(r), "invalid_request");
  }
  HttpResult as_root =
      Sql(alice, R"js({"sql":"EXECUTE AS USER 'bob' (SELECT * FROM chat.messages)"})js");
  EXPECT_EQ(as_root.status, 403) << as_root.body;
  HttpResult me = TestClient(server_->port()).Request("GET", "/v1/api/auth/me", "", alice);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(json::serialize(Parse(me)), R"({"user":{"id":"alice","role":"user"}})");
  // The namespace still does not exist.
  HttpResult check = SqlAs("root", "SHOW NAMESPACES");
  EXPECT_EQ(check.body.find("evil"), std::string::npos);
}

TEST_F(HttpServerTest, TwoUsersSeeOnlyTheirOwnRows) {
  Start();
  ASSERT_EQ(SqlAs("alice", "INSERT INTO chat.messages VALUES (1, 'alice secret')").status, 200);
  ASSERT_EQ(SqlAs("bob", "INSERT INTO chat.messages VALUES (1, 'bob secret')").status, 200);
  HttpResult alice = SqlAs("alice", "SELECT body FROM chat.messages");
  HttpResult bob = SqlAs("bob", "SELECT body FROM chat.messages");
  EXPECT_EQ(json::serialize(Parse(alice).at("results").at(0).at("rows")), R"([["alice secret"]])");
  EXPECT_EQ(json::serialize(Parse(bob).at("results").at(0).at("rows")), R"([["bob secret"]])");
}

// HTTP sessions commit without waiting for the WAL sync (Session::DeferCommitSync); a
// reply waits instead, for everything it could tell of: its own writes, and others'
// deferred commits that its reads saw.
TEST_F(HttpServerTest, RepliesWaitUntilWhatTheyTellIsDurable) {
  Start();
  const std::string bearer = BearerFor("alice");
  HttpResult inserted = Sql(
      bearer, json::serialize(json::object{{"sql", "INSERT INTO chat.messages VALUES (1, 'x')"}}));
  ASSERT_EQ(inserted.status, 200) << inserted.body;
  EXPECT_TRUE(db_->IsDurable(db_->WritePosition()));
  EXPECT_EQ(db_->Stats().deferred_wal_syncs, 1u) << "the insert's commit was synced by the syncer";

  auto writer = std::move(db_->Connect("alice", Role::kUser)).value();
  writer->DeferCommitSync(true);
  ASSERT_TRUE(writer->Execute("INSERT INTO chat.messages VALUES (2, 'deferred')").ok());
  const uint64_t position = db_->WritePosition();
  ASSERT_FALSE(db_->IsDurable(position)) << "nobody has waited for that commit yet";
  HttpResult read =
      Sql(bearer, json::serialize(json::object{{"sql", "SELECT count(*) FROM chat.messages"}}));
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(json::serialize(Parse(read).at("results").at(0).at("rows")), "[[2]]");
  EXPECT_TRUE(db_->IsDurable(position)) << "the reply went out before the row it shows was synced";

  // Basic credentials run on the worker pool: the same rule.
  ASSERT_TRUE(writer->Execute("INSERT INTO chat.messages VALUES (3, 'deferred')").ok());
  const uint64_t third = db_->WritePosition();
  ASSERT_FALSE(db_->IsDurable(third));
  HttpResult basic = SqlAs("alice", "SELECT count(*) FROM chat.messages");
  EXPECT_EQ(json::serialize(Parse(basic).at("results").at(0).at("rows")), "[[3]]");
  EXPECT_TRUE(db_->IsDurable(third));
}

TEST_F(HttpServerTest, ARequestStartingWithBeginIsOneTransaction) {
  Start();
  HttpResult failed = SqlAs("alice",
                            "BEGIN; INSERT INTO chat.messages VALUES (1, 'a'); "
                            "INSERT INTO chat.messages VALUES (1, 'dup'); COMMIT");
  EXPECT_EQ(failed.status, 409);
  HttpResult open = SqlAs("alice", "BEGIN; INSERT INTO chat.messages VALUES (2, 'b')");
  EXPECT_EQ(open.status, 400);
  EXPECT_EQ(Code(open), "invalid_transaction_state");
  HttpResult none = SqlAs("alice", "SELECT count(*) FROM chat.messages");
  EXPECT_EQ(json::serialize(Parse(none).at("results").at(0).at("rows")), "[[0]]");
  HttpResult ok = SqlAs("alice",
                        "BEGIN; INSERT INTO chat.messages VALUES (1, 'a'); "
                        "INSERT INTO chat.messages VALUES (2, 'b'); COMMIT");
  ASSERT_EQ(ok.status, 200) << ok.body;
  HttpResult two = SqlAs("alice", "SELECT count(*) FROM chat.messages");
  EXPECT_EQ(json::serialize(Parse(two).at("results").at(0).at("rows")), "[[2]]");
}

TEST_F(HttpServerTest, LargeResultsStreamChunkedAndMaxRowsTruncates) {
  options_.chunk_bytes = 1024;
  Start();
  HttpResult all = SqlAs("alice", "SELECT a.id, b.id FROM chat.big a, chat.big b WHERE b.id < 10");
  ASSERT_EQ(all.status, 200);
  EXPECT_TRUE(all.chunked);
  json::value v = Parse(all);
  EXPECT_EQ(v.at("status").as_string(), "success");
  EXPECT_EQ(v.at("results").at(0).at("rows").as_array().size(), 4000u);
  EXPECT_EQ(v.at("results").at(0).at("row_count").as_int64(), 4000);
  EXPECT_FALSE(v.at("results").at(0).as_object().contains("truncated"));

  // An error after streaming began is reported in the JSON, status last.
  // (The zero comes in the cross join's last row, batches after the first slice left.)
  HttpResult late = SqlAs(
      "alice", "SELECT a.id, 10 / (159999 - (a.id * 400 + b.id)) FROM chat.big a, chat.big b");
  ASSERT_EQ(late.status, 200);
  EXPECT_TRUE(late.chunked);
  json::value e = Parse(late);
  EXPECT_EQ(e.at("status").as_string(), "error");
  EXPECT_EQ(e.at("error").at("code").as_string(), "division_by_zero");

  HttpResult capped = Sql(BasicAuth("alice", "alice-password-1"),
                          R"({"sql":"SELECT id FROM chat.big; SELECT 1","max_rows":5})");
  ASSERT_EQ(capped.status, 200);
  json::value c = Parse(capped);
  EXPECT_EQ(c.at("results").at(0).at("rows").as_array().size(), 5u);
  EXPECT_EQ(c.at("results").at(0).at("truncated"), json::value(true));
  EXPECT_FALSE(c.at("results").at(1).as_object().contains("truncated"));
  HttpResult exact = Sql(BasicAuth("alice", "alice-password-1"),
                         R"({"sql":"SELECT id FROM chat.big WHERE id < 5","max_rows":5})");
  EXPECT_FALSE(Parse(exact).at("results").at(0).as_object().contains("truncated"));
}

TEST_F(HttpServerTest, AClientThatDisconnectsCancelsItsStatement) {
  Start();
  TestClient client(server_->port());
  ASSERT_TRUE(client.Send("POST", "/v1/api/sql", std::string(R"({"sql":")") + kLongQuery + "\"}",
                          BasicAuth("alice", "alice-password-1")));
  ASSERT_TRUE(
      WaitUntil([&] { return server_->requests_in_flight() == 1; }, std::chrono::seconds(5)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(server_->requests_in_flight(), 1);  // still running: it takes minutes
  client.Close();
  EXPECT_TRUE(
      WaitUntil([&] { return server_->requests_in_flight() == 0; }, std::chrono::seconds(5)));
  // The worker is free again.
  EXPECT_EQ(SqlAs("alice", "SELECT 1").status, 200);
}

TEST_F(HttpServerTest, ALongReadOnItsLoopDoesNotHoldUpTheLoopsOtherConnections) {
  // One event loop: a bearer-authenticated read runs on it; the loop gets a rescue
  // thread, so other requests are answered meanwhile, and a client that leaves still
  // cancels the long read.
  Start();
  const std::string alice = BearerFor("alice");
  TestClient slow(server_->port());
  ASSERT_TRUE(
      slow.Send("POST", "/v1/api/sql", std::string(R"({"sql":")") + kLongQuery + "\"}", alice));
  ASSERT_TRUE(
      WaitUntil([&] { return server_->requests_in_flight() == 1; }, std::chrono::seconds(5)));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  for (int i = 0; i < 5; ++i) {
    const auto start = std::chrono::steady_clock::now();
    HttpResult r = Sql(alice, R"({"sql":"SELECT 41 + 1 AS answer"})");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("42"), std::string::npos) << r.body;
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  }
  // The long read still runs (the last quick request leaves the count just after its
  // client has the reply).
  EXPECT_TRUE(
      WaitUntil([&] { return server_->requests_in_flight() == 1; }, std::chrono::seconds(5)));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(server_->requests_in_flight(), 1);
  slow.Close();
  EXPECT_TRUE(
      WaitUntil([&] { return server_->requests_in_flight() == 0; }, std::chrono::seconds(5)));
}

TEST_F(HttpServerTest, BodiesOverTheLimitAre413) {
  options_.max_body_bytes = 1024;
  Start();
  const std::string big = R"({"sql":"SELECT ')" + std::string(4096, 'x') + "'\"}";
  TestClient client(server_->port());
  HttpResult r = client.Request("POST", "/v1/api/sql", big, BasicAuth("alice", "alice-password-1"));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(Code(r), "request_too_large");
  TestClient expecting(server_->port());
  HttpResult e =
      expecting.Request("POST", "/v1/api/sql", big, BasicAuth("alice", "alice-password-1"),
                        {{"Expect", "100-continue"}});
  EXPECT_EQ(e.status, 413);
}

TEST_F(HttpServerTest, RequestsOverTheUsersRateAre429) {
  options_.requests_per_second_per_user = 2;
  Start();
  const std::string alice = BearerFor("alice");
  int limited = 0;
  HttpResult last;
  for (int i = 0; i < 6; ++i) {
    HttpResult r = Sql(alice, R"({"sql":"SELECT 1"})");
    if (r.status == 429) {
      ++limited;
      last = r;
    }
  }
  EXPECT_GE(limited, 3);
  EXPECT_EQ(Code(last), "rate_limited");
  EXPECT_FALSE(last.header("retry-after").empty());
  EXPECT_EQ(SqlAs("bob", "SELECT 1").status, 200);  // another user's budget
}

TEST_F(HttpServerTest, StatementsOverTheQueueAre503) {
  options_.max_concurrent_statements = 1;  // one runs, one waits, the third is refused
  Start();
  std::vector<std::unique_ptr<TestClient>> long_ones;
  for (int i = 0; i < 2; ++i) {
    long_ones.push_back(std::make_unique<TestClient>(server_->port()));
    ASSERT_TRUE(long_ones.back()->Send("POST", "/v1/api/sql",
                                       std::string(R"({"sql":")") + kLongQuery + "\"}",
                                       BasicAuth("alice", "alice-password-1")));
  }
  ASSERT_TRUE(
      WaitUntil([&] { return server_->requests_in_flight() == 2; }, std::chrono::seconds(5)));
  HttpResult refused = SqlAs("bob", "SELECT 1");
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(Code(refused), "too_many_connections");
  EXPECT_FALSE(refused.header("retry-after").empty());
  for (auto& c : long_ones)
    c->Close();
  EXPECT_TRUE(
      WaitUntil([&] { return server_->requests_in_flight() == 0; }, std::chrono::seconds(5)));
  // The cancelled statements give their slots back within moments.
  EXPECT_TRUE(
      WaitUntil([&] { return SqlAs("bob", "SELECT 1").status == 200; }, std::chrono::seconds(5)));
}

TEST_F(HttpServerTest, BadHttpIs400AndSlowClientsDoNotHoldOthers) {
  options_.request_timeout = std::chrono::milliseconds(500);
  Start();
  const std::string alice = BearerFor("alice");
  TestClient garbage(server_->port());
  ASSERT_TRUE(garbage.WriteRaw("GARBAGE\r\n\r\n"));
  EXPECT_EQ(garbage.Read().status, 400);

  std::vector<std::unique_ptr<TestClient>> slow;
  for (int i = 0; i < 20; ++i) {
    slow.push_back(std::make_unique<TestClient>(server_->port()));
    ASSERT_TRUE(slow.back()->WriteRaw("POST /v1/api/sql HTTP/1.1\r\nHost: x\r\nContent-Le"));
  }
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Sql(alice, R"({"sql":"SELECT 1"})").status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(450));
  // The slow ones are dropped after request_timeout.
  HttpResult dropped = slow.front()->Read();
  EXPECT_FALSE(dropped.error.empty());
}

TEST_F(HttpServerTest, PipelinedAndPiecewiseRequestsAreEachAnswered) {
  Start();
  const std::string alice = BearerFor("alice");
  const std::string body = R"({"sql":"SELECT 41 + 1 AS n"})";
  const std::string request =
      "POST /v1/api/sql HTTP/1.1\r\nHost: x\r\nAuthorization: " + alice +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\n\r\n" + body;
  TestClient client(server_->port());
  // Two requests in one write (the second is already buffered when the first is
  // parsed): both answered, in order, on the one connection.
  ASSERT_TRUE(client.WriteRaw(request + request));
  for (int i = 0; i < 2; ++i) {
    HttpResult r = client.Read();
    EXPECT_EQ(r.status, 200) << r.body << r.error;
    EXPECT_NE(r.body.find("[[42]]"), std::string::npos) << r.body;
  }
  // One request in pieces, cut in the request line, in the header and in the body: the
  // server waits for each (none is taken for a whole request).
  const size_t body_at = request.size() - body.size();
  const std::vector<size_t> cuts = {0, 10, 40, body_at - 2, body_at + 5, request.size()};
  for (size_t i = 0; i + 1 < cuts.size(); ++i) {
    ASSERT_TRUE(client.WriteRaw(request.substr(cuts[i], cuts[i + 1] - cuts[i])));
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  HttpResult r = client.Read();
  EXPECT_EQ(r.status, 200) << r.body << r.error;
  EXPECT_NE(r.body.find("[[42]]"), std::string::npos) << r.body;
  EXPECT_EQ(r.header("content-length"), std::to_string(r.body.size()));
}

int ThreadCount() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  }
  return -1;
}

TEST_F(HttpServerTest, AThousandIdleConnectionsCostNoThreads) {
  Start();
  ASSERT_EQ(SqlAs("alice", "SELECT 1").status, 200);  // every thread has started
  const int threads = ThreadCount();
  std::vector<std::unique_ptr<TestClient>> idle;
  for (int i = 0; i < 1000; ++i) {
    idle.push_back(std::make_unique<TestClient>(server_->port()));
    ASSERT_TRUE(idle.back()->connected()) << i;
  }
  ASSERT_TRUE(WaitUntil([&] { return server_->connections() >= 1000; }, std::chrono::seconds(10)));
  EXPECT_EQ(ThreadCount(), threads);
  // Every one of them is still served, and so is a newcomer.
  for (int i = 0; i < 1000; i += 97) {
    EXPECT_EQ(idle[i]->Request("GET", "/health").status, 200) << i;
  }
  EXPECT_EQ(SqlAs("bob", "SELECT 2").status, 200);
  for (auto& c : idle)
    c->Close();
  EXPECT_TRUE(WaitUntil([&] { return server_->connections() == 0; }, std::chrono::seconds(10)));
}

TEST_F(HttpServerTest, LogsHaveRequestIdsAndSlowStatementsButNoSecrets) {
  std::ostringstream captured;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  log_ = std::make_shared<spdlog::logger>("captured", sink);
  options_.slow_statement_ms = 0;  // every statement is "slow"
  Start();
  TestClient client(server_->port());
  HttpResult login = client.Request("POST", "/v1/api/auth/login",
                                    R"({"username":"alice","password":"alice-password-1"})");
  ASSERT_EQ(login.status, 200);
  const std::string token(Parse(login).at("access_token").as_string());
  HttpResult r = client.Request("POST", "/v1/api/sql?secret=query-string-secret",
                                R"({"sql":"SELECT 42 AS answer"})", "Bearer " + token);
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(SqlAs("root", "CREATE USER dave WITH PASSWORD 'dave-secret-password' ROLE user").status,
            200);
  server_->Shutdown();
  const std::string logs = captured.str();
  EXPECT_NE(logs.find("id=" + r.header("x-request-id")), std::string::npos) << logs;
  EXPECT_NE(logs.find("slow_statement request_id=" + r.header("x-request-id")), std::string::npos);
  EXPECT_NE(logs.find("SELECT 42 AS answer"), std::string::npos);
  EXPECT_NE(logs.find("route=/v1/api/auth/login status=200 user=alice"), std::string::npos) << logs;
  // The SQL request's whole access line: every field, the path without its query string.
  const std::regex access_line("request id=" + r.header("x-request-id") +
                               " client=127\\.0\\.0\\.1 method=POST path=/v1/api/sql "
                               "route=/v1/api/sql status=200 user=alice bytes=[1-9][0-9]* "
                               "took_ms=[0-9]+\\.[0-9]{3}\n");
  EXPECT_TRUE(std::regex_search(logs, access_line)) << logs;
  for (const std::string& secret :
       {std::string("alice-password-1"), std::string("dave-secret-password"), token,
        std::string("query-string-secret"), kRootPassword,
        BasicAuth("root", kRootPassword).substr(6)}) {
    EXPECT_EQ(logs.find(secret), std::string::npos) << "logged: " << secret;
  }
}

TEST_F(HttpServerTest, LoginRefreshLogoutAndBearerTokens) {
  Start();
  TestClient client(server_->port());
  HttpResult bad = client.Request("POST", "/v1/api/auth/login",
                                  R"({"username":"alice","password":"nope-nope-nope"})");
  EXPECT_EQ(bad.status, 401);
  HttpResult login = client.Request("POST", "/v1/api/auth/login",
                                    R"({"username":"alice","password":"alice-password-1"})");
  ASSERT_EQ(login.status, 200) << login.body;
  json::value l = Parse(login);
  EXPECT_EQ(json::serialize(l.at("user")), R"({"id":"alice","role":"user"})");
  EXPECT_TRUE(l.at("expires_at").is_string());
  const std::string access(l.at("access_token").as_string());
  const std::string refresh(l.at("refresh_token").as_string());
  HttpResult me = client.Request("GET", "/v1/api/auth/me", "", "Bearer " + access);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Sql("Bearer " + access, R"({"sql":"SELECT 1"})").status, 200);

  HttpResult refreshed = client.Request("POST", "/v1/api/auth/refresh",
                                        json::serialize(json::object{{"refresh_token", refresh}}));
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  const std::string refresh2(Parse(refreshed).at("refresh_token").as_string());
  // Rotation: the old refresh token is spent.
  EXPECT_EQ(client
                .Request("POST", "/v1/api/auth/refresh",
                         json::serialize(json::object{{"refresh_token", refresh}}))
                .status,
            401);
  HttpResult logout = client.Request("POST", "/v1/api/auth/logout",
                                     json::serialize(json::object{{"refresh_token", refresh2}}));
  EXPECT_EQ(logout.status, 200) << logout.body;
  EXPECT_EQ(client
                .Request("POST", "/v1/api/auth/refresh",
                         json::serialize(json::object{{"refresh_token", refresh2}}))
                .status,
            401);
  EXPECT_EQ(client.Request("POST", "/v1/api/auth/login", R"({"username":"alice"})").status, 400);
}

TEST_F(HttpServerTest, ShutdownFinishesInFlightStatementsAndRefusesNewOnes) {
  Start();
  ASSERT_EQ(
      SqlAs("root", "CREATE TABLE chat.mid (id BIGINT PRIMARY KEY) WITH (TYPE = 'SHARED')").status,
      200);
  TestClient running(server_->port());
  TestClient later(server_->port());
  ASSERT_EQ(later.Request("GET", "/health").status, 200);  // open, keep-alive
  // A statement that takes a while (a two-way cross join: 160,000 rows counted).
  ASSERT_TRUE(running.Send("POST", "/v1/api/sql",
                           R"({"sql":"SELECT count(*) FROM chat.big a, chat.big b"})",
                           BasicAuth("alice", "alice-password-1")));
  ASSERT_TRUE(
      WaitUntil([&] { return server_->requests_in_flight() == 1; }, std::chrono::seconds(5)));
  std::thread stopper([&] { server_->Shutdown(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  HttpResult refused = later.Request("POST", "/v1/api/sql", R"({"sql":"SELECT 1"})",
                                     BasicAuth("alice", "alice-password-1"));
  EXPECT_EQ(refused.status, 503) << refused.error;
  EXPECT_EQ(Code(refused), "admin_shutdown");
  EXPECT_EQ(refused.header("connection"), "close");
  HttpResult finished = running.Read();
  EXPECT_EQ(finished.status, 200) << finished.error;
  EXPECT_EQ(json::serialize(Parse(finished).at("results").at(0).at("rows")), "[[160000]]");
  stopper.join();
  EXPECT_FALSE(TestClient(server_->port()).connected());
}

TEST_F(HttpServerTest, ShutdownCancelsStatementsPastTheDeadline) {
  options_.shutdown_timeout = std::chrono::milliseconds(300);
  Start();
  TestClient running(server_->port());
  ASSERT_TRUE(running.Send("POST", "/v1/api/sql", std::string(R"({"sql":")") + kLongQuery + "\"}",
                           BasicAuth("alice", "alice-password-1")));
  ASSERT_TRUE(
      WaitUntil([&] { return server_->requests_in_flight() == 1; }, std::chrono::seconds(5)));
  const auto start = std::chrono::steady_clock::now();
  server_->Shutdown();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(8));
  HttpResult r = running.Read();
  if (r.error.empty()) {
    EXPECT_EQ(r.status, 503) << r.body;
    EXPECT_EQ(Code(r), "admin_shutdown");
  }
}

// ---- [http] configuration: timeouts, CORS; HEAD --------------------------------------

TEST_F(HttpServerTest, AConfiguredIdleTimeoutClosesAnIdleKeepAliveConnection) {
  Configure("idle_timeout = \"300ms\"\n");
  ASSERT_EQ(options_.idle_timeout, std::chrono::milliseconds(300));
  Start();
  TestClient client(server_->port());
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(client.Request("GET", "/health").status, 200);
  // Kept alive after the reply, then closed by the server once idle for 300 ms.
  EXPECT_TRUE(client.WaitForClose(std::chrono::seconds(10)));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(300));
  EXPECT_TRUE(WaitUntil([&] { return server_->connections() == 0; }, std::chrono::seconds(5)));
}

TEST_F(HttpServerTest, TheIdleTimeoutCountsFromTheLastRequestNotTheFirst) {
  // The idle timer is armed once and re-checks the deadline each request moved: requests
  // 100 ms apart for three times the timeout keep the connection, the silence after the
  // last one closes it, a timeout after that last request.
  Configure("idle_timeout = \"500ms\"\n");
  Start();
  TestClient client(server_->port());
  const auto first = std::chrono::steady_clock::now();
  auto last = first;
  while (std::chrono::steady_clock::now() - first < std::chrono::milliseconds(1500)) {
    ASSERT_EQ(client.Request("GET", "/health").status, 200)
        << "closed after "
        << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 first)
               .count()
        << " ms of requests 100 ms apart";
    last = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(client.WaitForClose(std::chrono::seconds(10)));
  EXPECT_GE(std::chrono::steady_clock::now() - last, std::chrono::milliseconds(500));
  EXPECT_TRUE(WaitUntil([&] { return server_->connections() == 0; }, std::chrono::seconds(5)));
}

TEST_F(HttpServerTest, TheDefaultIdleTimeoutKeepsAConnectionForAMinute) {
  Configure("");
  ASSERT_EQ(options_.idle_timeout, std::chrono::seconds(60));
  Start();
  TestClient client(server_->port());
  ASSERT_EQ(client.Request("GET", "/health").status, 200);
  EXPECT_FALSE(client.WaitForClose(std::chrono::milliseconds(1500)));
  EXPECT_EQ(client.Request("GET", "/health").status, 200);
}

TEST_F(HttpServerTest, AConfiguredRequestTimeoutDropsAClientThatNeverFinishes) {
  Configure("request_timeout = \"400ms\"\nidle_timeout = \"1min\"\n");
  Start();
  TestClient slow(server_->port());
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(
      slow.WriteRaw("POST /v1/api/sql HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"));
  EXPECT_TRUE(slow.WaitForClose(std::chrono::seconds(10)));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(400));
  // Others are served meanwhile and after.
  EXPECT_EQ(SqlAs("alice", "SELECT 1").status, 200);
}

TEST_F(HttpServerTest, ConfiguredHeaderLimitAnswers431) {
  Configure("max_header_bytes = \"1kB\"\n");
  Start();
  TestClient client(server_->port());
  HttpResult r = client.Request("GET", "/health", {}, {}, {{"X-Padding", std::string(2000, 'p')}});
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(Code(r), "request_too_large");
  TestClient ok(server_->port());
  EXPECT_EQ(ok.Request("GET", "/health", {}, {}, {{"X-Padding", std::string(500, 'p')}}).status,
            200);
}

TEST_F(HttpServerTest, HeadAnswersGetRoutesWithTheirHeadersAndNoBody) {
  Start();
  const std::string alice = BasicAuth("alice", "alice-password-1");
  TestClient client(server_->port());
  for (const char* path : {"/health", "/ready", "/v1/api/auth/me"}) {
    HttpResult get = client.Request("GET", path, {}, alice);
    HttpResult head = client.Request("HEAD", path, {}, alice);
    ASSERT_EQ(get.status, 200) << path;
    EXPECT_EQ(head.status, 200) << path << " " << head.error;
    EXPECT_EQ(head.body, "") << path;
    EXPECT_EQ(head.header("content-length"), std::to_string(get.body.size())) << path;
    EXPECT_EQ(head.header("content-type"), get.header("content-type")) << path;
  }
  HttpResult metrics = client.Request("HEAD", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_GT(std::stoul(metrics.header("content-length")), 100u);
  // Errors to HEAD have no body either; the connection stays in step (a stray body
  // would be read as the next response).
  HttpResult unauthenticated = client.Request("HEAD", "/v1/api/auth/me");
  EXPECT_EQ(unauthenticated.status, 401);
  HttpResult not_a_get = client.Request("HEAD", "/v1/api/sql");
  EXPECT_EQ(not_a_get.status, 405);
  EXPECT_EQ(not_a_get.header("allow"), "POST, OPTIONS");
  HttpResult after = client.Request("GET", "/health");
  EXPECT_EQ(after.status, 200);
  EXPECT_EQ(Parse(after).at("status").as_string(), "ok");
}

// COPY FROM STDIN has no data channel over HTTP: a clear 0A000 naming the ways that
// work, and nothing loaded.
TEST_F(HttpServerTest, CopyFromStdinSaysToUseThePostgresProtocol) {
  Start();
  SqlAs("root", "CREATE TABLE copied (id INT PRIMARY KEY) WITH (TYPE = 'SHARED')");
  HttpResult copy = SqlAs("root", "COPY copied FROM STDIN");
  json::value v = Parse(copy);
  EXPECT_EQ(v.at("status").as_string(), "error");
  EXPECT_EQ(v.at("error").at("sqlstate").as_string(), "0A000");
  EXPECT_NE(std::string(v.at("error").at("message").as_string()).find("PostgreSQL protocol"),
            std::string::npos);
}

}  // namespace
}  // namespace tenantdb::server::http
