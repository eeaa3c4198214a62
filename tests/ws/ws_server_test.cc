// Live queries over the WebSocket (GET /v1/ws) of the in-process HTTP server, over real
// sockets on 127.0.0.1, with a real Database in a temporary directory and the real
// Authenticator: auth, snapshot + live changes, isolation, the snapshot/live join under
// concurrent writes (a differential check against a fresh SELECT), resume from a seq,
// resync_required, a stalled client beside an active one, limits and bad messages.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "../http/http_test_client.h"
#include "engine/engine_access.h"
#include "server/auth/authenticator.h"
#include "server/http/http_server.h"
#include "server/metrics/server_metrics.h"
#include "tenantdb/database.h"
#include "ws_test_client.h"

namespace tenantdb::server::ws {
namespace {

using http::HttpServer;
using http::HttpServerOptions;
using http::testing::TestClient;
using testing::WsClient;
namespace json = boost::json;

const std::string kRootPassword = "root-password-for-tests";

std::string Type(const json::value& m) {
  if (!m.is_object() || !m.as_object().contains("type")) return "<" + json::serialize(m) + ">";
  return std::string(m.at("type").as_string());
}
std::string CodeOf(const json::value& m) {
  return m.as_object().contains("code") ? std::string(m.at("code").as_string()) : "";
}
int64_t Int(const json::value& v) {
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64()) return static_cast<int64_t>(v.as_uint64());
  return std::stoll(std::string(v.as_string()));
}

class WsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tdb_ws_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Database::Options options;
    options.background_jobs = false;
    options.sync_writes = false;
    options.change_retention_count = 5;  // trimmed only when a test trims
    db_ = std::move(Database::Open(dir_.string(), options)).value();
    ASSERT_TRUE(EnsureRootPassword(db_.get(), kRootPassword).ok());
    auto root = std::move(db_->Connect("root", Role::kSystem)).value();
    for (const char* sql : {
             "CREATE USER alice WITH PASSWORD 'alice-password-1' ROLE user",
             "CREATE USER bob WITH PASSWORD 'bob-password-1' ROLE user",
             "CREATE NAMESPACE chat",
             "CREATE TABLE chat.messages (id BIGINT PRIMARY KEY, thread TEXT, body TEXT) "
             "WITH (TYPE = 'USER')",
             "CREATE TABLE chat.board (id BIGINT PRIMARY KEY, v BIGINT) WITH (TYPE = 'SHARED', "
             "ACCESS_LEVEL = 'PUBLIC')",
         }) {
      auto r = root->Execute(sql);
      ASSERT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
    }
    config_.server.data_dir = dir_.string();
    authenticator_ = std::move(Authenticator::Create(db_.get(), config_)).value();
    log_ =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
    options_.listen = {"127.0.0.1", 0};
    options_.worker_threads = 4;
    options_.io_threads = 2;
    options_.shutdown_timeout = std::chrono::seconds(5);
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

  std::string TokenFor(const std::string& user) {
    TestClient client(server_->port());
    json::object body{{"username", user}, {"password", user + "-password-1"}};
    auto login = client.Request("POST", "/v1/api/auth/login", json::serialize(body));
    EXPECT_EQ(login.status, 200) << login.body;
    return std::string(json::parse(login.body).at("access_token").as_string());
  }

  // A connection authenticated as `user` (by the ?token= parameter).
  std::unique_ptr<WsClient> Connect(const std::string& user) {
    auto client = std::make_unique<WsClient>(server_->port(), "/v1/ws?token=" + TokenFor(user));
    EXPECT_TRUE(client->ok());
    auto m = client->Next();
    EXPECT_TRUE(m.has_value());
    if (m) {
      EXPECT_EQ(Type(*m), "auth_success") << json::serialize(*m);
    }
    return client;
  }

  void Exec(const std::string& user, const std::string& sql) {
    auto session =
        std::move(db_->Connect(user, user == "root" ? Role::kSystem : Role::kUser)).value();
    auto r = session->Execute(sql);
    ASSERT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  }

  static json::value Subscribe(const std::string& id, const std::string& sql,
                               json::array params = {}, json::object options = {}) {
    return json::object{
        {"type", "subscribe"},
        {"subscription",
         json::object{{"id", id}, {"sql", sql}, {"params", params}, {"options", options}}}};
  }

  // Reads the ack and every initial batch (asking for the next while has_more); returns
  // the rows and the batch's last_seq.
  std::pair<json::array, int64_t> ReadSnapshot(WsClient& client, const std::string& id) {
    auto ack = client.Next();
    EXPECT_TRUE(ack.has_value());
    if (!ack) return {};
    EXPECT_EQ(Type(*ack), "subscription_ack") << json::serialize(*ack);
    json::array rows;
    int64_t last_seq = 0;
    for (int batches = 0; batches < 10'000; ++batches) {
      auto batch = client.Next();
      EXPECT_TRUE(batch.has_value());
      if (!batch) break;
      EXPECT_EQ(Type(*batch), "initial_data_batch") << json::serialize(*batch);
      if (Type(*batch) != "initial_data_batch") break;
      EXPECT_EQ(Int(batch->at("batch_control").at("batch_num")), batches);
      for (const auto& row : batch->at("rows").as_array())
        rows.push_back(row);
      last_seq = Int(batch->at("batch_control").at("last_seq"));
      if (!batch->at("batch_control").at("has_more").as_bool()) {
        EXPECT_EQ(batch->at("batch_control").at("status").as_string(), "ready");
        break;
      }
      EXPECT_EQ(batch->at("batch_control").at("status").as_string(), "loading");
      client.Send(json::object{{"type", "next_batch"}, {"subscription_id", id}});
    }
    return {rows, last_seq};
  }

  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
  ServerConfig config_;
  std::unique_ptr<Authenticator> authenticator_;
  ServerMetrics metrics_;
  std::shared_ptr<spdlog::logger> log_;
  HttpServerOptions options_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(WsServerTest, AuthenticatesByTokenMessageOrHeaderAndRefusesBadCredentials) {
  Start();
  const std::string token = TokenFor("alice");
  {  // the authenticate message
    WsClient client(server_->port());
    ASSERT_TRUE(client.ok());
    // Before authenticating, only ping works.
    client.Send(json::object{{"type", "ping"}});
    EXPECT_EQ(Type(*client.Next()), "pong");
    client.Send(Subscribe("s1", "SELECT * FROM chat.messages"));
    auto refused = client.Next();
    ASSERT_TRUE(refused);
    EXPECT_EQ(CodeOf(*refused), "not_authenticated");
    EXPECT_EQ(refused->at("subscription_id").as_string(), "s1");
    client.Send(json::object{{"type", "authenticate"}, {"method", "jwt"}, {"token", token}});
    auto ok = client.Next();
    ASSERT_TRUE(ok);
    EXPECT_EQ(Type(*ok), "auth_success");
    EXPECT_EQ(ok->at("user").as_string(), "alice");
    EXPECT_EQ(ok->at("role").as_string(), "user");
  }
  {  // the Authorization header at the upgrade
    WsClient client(server_->port(), "/v1/ws", {{"Authorization", "Bearer " + token}});
    auto ok = client.Next();
    ASSERT_TRUE(ok);
    EXPECT_EQ(Type(*ok), "auth_success");
  }
  {  // Basic, which the server allows by default
    WsClient client(server_->port(), "/v1/ws",
                    {{"Authorization", http::testing::BasicAuth("bob", "bob-password-1")}});
    auto ok = client.Next();
    ASSERT_TRUE(ok);
    EXPECT_EQ(Type(*ok), "auth_success");
    EXPECT_EQ(ok->at("user").as_string(), "bob");
  }
  {  // a forged token: auth_error, then the server closes
    WsClient client(server_->port());
    client.Send(json::object{{"type", "authenticate"}, {"method", "jwt"}, {"token", token + "x"}});
    auto error = client.Next();
    ASSERT_TRUE(error);
    EXPECT_EQ(Type(*error), "auth_error");
    EXPECT_FALSE(std::string(error->at("message").as_string()).empty());
    EXPECT_FALSE(client.Next(std::chrono::seconds(5)).has_value());
    EXPECT_TRUE(client.closed());
  }
  {  // a bad ?token= is an auth_error too
    WsClient client(server_->port(), "/v1/ws?token=nonsense");
    auto error = client.Next();
    ASSERT_TRUE(error);
    EXPECT_EQ(Type(*error), "auth_error");
  }
  {  // plain GET without the upgrade: 426
    TestClient http(server_->port());
    EXPECT_EQ(http.Request("GET", "/v1/ws").status, 426);
  }
}

TEST_F(WsServerTest, CrossOriginUpgradesFollowTheCorsRules) {
  options_.cors_allowed_origins = {"https://app.example"};
  Start();
  WsClient refused(server_->port(), "/v1/ws", {{"Origin", "https://evil.example"}});
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(refused.handshake_status(), 403);
  WsClient allowed(server_->port(), "/v1/ws", {{"Origin", "https://app.example"}});
  EXPECT_TRUE(allowed.ok());
}

TEST_F(WsServerTest, SnapshotThenLiveInsertsUpdatesAndDeletes) {
  Exec("alice",
       "INSERT INTO chat.messages VALUES (1, 't1', 'one'), (2, 't2', 'two'), "
       "(3, 't1', 'three')");
  Start();
  auto client = Connect("alice");
  client->Send(
      Subscribe("s1", "SELECT id, body FROM chat.messages WHERE thread = $1", json::array{"t1"}));
  auto ack = client->Next();
  ASSERT_TRUE(ack);
  ASSERT_EQ(Type(*ack), "subscription_ack") << json::serialize(*ack);
  EXPECT_EQ(ack->at("subscription_id").as_string(), "s1");
  const auto& schema = ack->at("schema").as_array();
  ASSERT_EQ(schema.size(), 2u);
  EXPECT_EQ(schema[0].at("name").as_string(), "id");
  EXPECT_EQ(schema[1].at("name").as_string(), "body");
  auto batch = client->Next();
  ASSERT_TRUE(batch);
  ASSERT_EQ(Type(*batch), "initial_data_batch");
  EXPECT_EQ(json::serialize(batch->at("rows")), R"([[1,"one"],[3,"three"]])");
  EXPECT_EQ(batch->at("batch_control").at("status").as_string(), "ready");
  EXPECT_FALSE(batch->at("batch_control").at("has_more").as_bool());
  int64_t seq = Int(batch->at("batch_control").at("last_seq"));
  EXPECT_EQ(seq, 3);  // three rows written so far, a number each

  auto expect_change = [&](const std::string& type, const std::string& rows,
                           const std::string& old_values) {
    auto change = client->Next();
    ASSERT_TRUE(change) << "no change for " << type << " " << rows;
    ASSERT_EQ(Type(*change), "change") << json::serialize(*change);
    EXPECT_EQ(change->at("subscription_id").as_string(), "s1");
    EXPECT_EQ(change->at("change_type").as_string(), type);
    EXPECT_EQ(json::serialize(change->at("rows")), rows);
    if (old_values.empty()) {
      EXPECT_FALSE(change->as_object().contains("old_values"));
    } else {
      EXPECT_EQ(json::serialize(change->at("old_values")), old_values);
    }
    const int64_t next = Int(change->at("seq"));
    EXPECT_GT(next, seq);
    seq = next;
  };
  Exec("alice", "INSERT INTO chat.messages VALUES (4, 't1', 'four')");
  expect_change("insert", R"([[4,"four"]])", "");
  Exec("alice", "INSERT INTO chat.messages VALUES (5, 't2', 'elsewhere')");  // not matching
  Exec("alice", "UPDATE chat.messages SET body = 'FOUR' WHERE id = 4");
  expect_change("update", R"([[4,"FOUR"]])", R"([[4,"four"]])");
  Exec("alice", "UPDATE chat.messages SET thread = 't2' WHERE id = 1");  // leaves the query
  expect_change("delete", R"([[1,"one"]])", "");
  Exec("alice", "UPDATE chat.messages SET thread = 't1' WHERE id = 2");  // enters it
  expect_change("insert", R"([[2,"two"]])", "");
  Exec("alice", "DELETE FROM chat.messages WHERE id = 3");
  expect_change("delete", R"([[3,"three"]])", "");
  // Values are encoded as the SQL API encodes them: a BIGINT past 2^53 is a string.
  Exec("alice", "INSERT INTO chat.messages VALUES (9007199254740993, 't1', 'big')");
  expect_change("insert", R"([["9007199254740993","big"]])", "");
}

// A change from a commit that deferred its WAL sync (an HTTP session's:
// Session::DeferCommitSync) reaches the subscriber only once that commit is synced.
TEST_F(WsServerTest, ChangesOfDeferredCommitsAreSentOnceDurable) {
  Start();
  auto client = Connect("alice");
  client->Send(Subscribe("s1", "SELECT id, body FROM chat.messages"));
  auto ack = client->Next();
  ASSERT_TRUE(ack);
  ASSERT_EQ(Type(*ack), "subscription_ack") << json::serialize(*ack);
  auto batch = client->Next();
  ASSERT_TRUE(batch);
  ASSERT_EQ(Type(*batch), "initial_data_batch");
  auto writer = std::move(db_->Connect("alice", Role::kUser)).value();
  writer->DeferCommitSync(true);
  ASSERT_TRUE(writer->Execute("INSERT INTO chat.messages VALUES (7, 't1', 'deferred')").ok());
  const uint64_t position = db_->WritePosition();
  auto change = client->Next();
  ASSERT_TRUE(change);
  ASSERT_EQ(Type(*change), "change") << json::serialize(*change);
  EXPECT_EQ(json::serialize(change->at("rows")), R"([[7,"deferred"]])");
  EXPECT_TRUE(db_->IsDurable(position)) << "the change went out before its commit was synced";
}

TEST_F(WsServerTest, UsersSeeOnlyTheirOwnRows) {
  Exec("alice", "INSERT INTO chat.messages VALUES (1, 't', 'alice-old')");
  Exec("bob", "INSERT INTO chat.messages VALUES (1, 't', 'bob-old')");
  Start();
  auto alice = Connect("alice");
  auto bob = Connect("bob");
  alice->Send(Subscribe("a", "SELECT body FROM chat.messages"));
  bob->Send(Subscribe("b", "SELECT body FROM chat.messages"));
  EXPECT_EQ(json::serialize(ReadSnapshot(*alice, "a").first), R"([["alice-old"]])");
  EXPECT_EQ(json::serialize(ReadSnapshot(*bob, "b").first), R"([["bob-old"]])");
  Exec("alice", "INSERT INTO chat.messages VALUES (2, 't', 'alice-new')");
  Exec("bob", "INSERT INTO chat.messages VALUES (2, 't', 'bob-new')");
  auto b = bob->Next();
  ASSERT_TRUE(b);
  EXPECT_EQ(json::serialize(b->at("rows")), R"([["bob-new"]])");
  auto a = alice->Next();
  ASSERT_TRUE(a);
  EXPECT_EQ(json::serialize(a->at("rows")), R"([["alice-new"]])");
  // Nothing else arrives for either.
  for (WsClient* c : {alice.get(), bob.get()}) {
    c->Send(json::object{{"type", "ping"}});
    auto next = c->Next();
    ASSERT_TRUE(next);
    EXPECT_EQ(Type(*next), "pong") << json::serialize(*next);
  }
}

// The snapshot/live join under concurrent writes: every change is applied to the
// snapshot as it arrives, asserting what exactly-once implies (an insert's key is absent,
// an update's and a delete's present), and the result must equal a fresh SELECT.
TEST_F(WsServerTest, SnapshotAndLiveChangesJoinExactlyOnceUnderConcurrentWrites) {
  Start();
  std::atomic<bool> stop{false};
  std::atomic<int> writes{0};
  std::thread writer([&] {
    auto session = std::move(db_->Connect("root", Role::kSystem)).value();
    std::mt19937 random(7);
    while (!stop.load() && writes.load() < 3000) {
      const int id = static_cast<int>(random() % 60);
      const int v = static_cast<int>(random() % 10);
      std::string sql;
      switch (random() % 3) {
        case 0:
          sql = "INSERT INTO chat.board VALUES (" + std::to_string(id) + ", " + std::to_string(v) +
                ") ON CONFLICT (id) DO UPDATE SET v = " + std::to_string(v);
          break;
        case 1:
          sql = "UPDATE chat.board SET v = " + std::to_string(v) +
                " WHERE id = " + std::to_string(id);
          break;
        default:
          sql = "DELETE FROM chat.board WHERE id = " + std::to_string(id);
      }
      (void)session->Execute(sql);
      writes.fetch_add(1);
    }
  });
  // Subscribe while the writer runs (several times, to land in different moments).
  std::vector<std::unique_ptr<WsClient>> clients;
  std::vector<std::map<int64_t, int64_t>> states;
  for (int i = 0; i < 3; ++i) {
    while (writes.load() < 100 * (i + 1))
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    auto client = Connect("alice");
    client->Send(Subscribe("d", "SELECT id, v FROM chat.board WHERE v % 3 <> 0", {},
                           json::object{{"batch_size", 7}}));
    auto [rows, last_seq] = ReadSnapshot(*client, "d");
    std::map<int64_t, int64_t> state;
    for (const auto& row : rows)
      state[Int(row.at(0))] = Int(row.at(1));
    clients.push_back(std::move(client));
    states.push_back(std::move(state));
  }
  while (writes.load() < 600)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  stop.store(true);
  writer.join();
  // A last commit every subscriber is told of: its seq ends each stream's check.
  Exec("root", "INSERT INTO chat.board VALUES (1000, 1)");
  const int64_t final_seq =
      static_cast<int64_t>(std::move(db_->ReadChanges("chat", "board", "", 0, 1)).value().last_seq);
  for (size_t i = 0; i < clients.size(); ++i) {
    std::map<int64_t, int64_t>& state = states[i];
    int64_t seq = 0;
    for (int idle = 0; idle < 20;) {
      auto m = clients[i]->Next(std::chrono::milliseconds(200));
      if (!m) {
        ++idle;
        continue;
      }
      ASSERT_EQ(Type(*m), "change") << json::serialize(*m);
      const int64_t next = Int(m->at("seq"));
      ASSERT_GT(next, seq) << "changes out of order";
      seq = next;
      const std::string type(m->at("change_type").as_string());
      const json::array& row = m->at("rows").at(0).as_array();
      const int64_t id = Int(row.at(0));
      if (type == "insert") {
        ASSERT_EQ(state.count(id), 0u)
            << "insert of a key the client holds: a duplicate, seq " << next;
        state[id] = Int(row.at(1));
      } else if (type == "update") {
        ASSERT_EQ(state.count(id), 1u) << "update of a key the client lacks: a gap, seq " << next;
        state[id] = Int(row.at(1));
      } else {
        ASSERT_EQ(state.count(id), 1u) << "delete of a key the client lacks, seq " << next;
        state.erase(id);
      }
      if (seq >= final_seq) break;
    }
    auto session = std::move(db_->Connect("alice", Role::kUser)).value();
    auto cursor =
        std::move(session->Query("SELECT id, v FROM chat.board WHERE v % 3 <> 0")).value();
    std::map<int64_t, int64_t> fresh;
    while (true) {
      auto more = cursor->Next();
      ASSERT_TRUE(more.ok());
      if (!*more) break;
      const RowBatch& b = cursor->batch();
      for (size_t r = 0; r < b.num_rows(); ++r)
        fresh[*b.GetInt64(r, 0)] = *b.GetInt64(r, 1);
    }
    EXPECT_EQ(state, fresh) << "subscriber " << i;
  }
}

TEST_F(WsServerTest, ResumesFromASeqAndAsksForResyncPastTheRetention) {
  Start();
  int64_t seen = 0;
  {
    auto client = Connect("alice");
    client->Send(Subscribe("r", "SELECT id, body FROM chat.messages"));
    ReadSnapshot(*client, "r");
    Exec("alice", "INSERT INTO chat.messages VALUES (1, 't', 'a')");
    auto change = client->Next();
    ASSERT_TRUE(change);
    seen = Int(change->at("seq"));
  }
  // Offline: two more commits.
  Exec("alice", "INSERT INTO chat.messages VALUES (2, 't', 'b')");
  Exec("alice", "UPDATE chat.messages SET body = 'B' WHERE id = 2");
  {
    auto client = Connect("alice");
    client->Send(
        Subscribe("r", "SELECT id, body FROM chat.messages", {}, json::object{{"from", seen}}));
    auto [rows, last_seq] = ReadSnapshot(*client, "r");
    EXPECT_TRUE(rows.empty());
    EXPECT_EQ(last_seq, seen);
    auto first = client->Next();
    ASSERT_TRUE(first);
    EXPECT_EQ(first->at("change_type").as_string(), "insert");
    EXPECT_EQ(Int(first->at("seq")), seen + 1);
    auto second = client->Next();
    ASSERT_TRUE(second);
    EXPECT_EQ(second->at("change_type").as_string(), "update");
    EXPECT_EQ(Int(second->at("seq")), seen + 2);
    // Then live.
    Exec("alice", "DELETE FROM chat.messages WHERE id = 1");
    auto third = client->Next();
    ASSERT_TRUE(third);
    EXPECT_EQ(third->at("change_type").as_string(), "delete");
    EXPECT_EQ(Int(third->at("seq")), seen + 3);
  }
  // Past the retention (5 per slice): trimmed, so `from = seen` cannot be replayed.
  for (int i = 10; i < 20; ++i)
    Exec("alice", "INSERT INTO chat.messages VALUES (" + std::to_string(i) + ", 't', 'x')");
  ASSERT_TRUE(EngineAccess::Of(*db_).TrimChanges().ok());
  auto client = Connect("alice");
  client->Send(Subscribe("r", "SELECT id FROM chat.messages", {}, json::object{{"from", seen}}));
  auto error = client->NextOfType("error");
  ASSERT_TRUE(error);
  EXPECT_EQ(CodeOf(*error), "resync_required");
  EXPECT_EQ(error->at("subscription_id").as_string(), "r");
}

TEST_F(WsServerTest, AStalledClientIsDisconnectedWhileTheActiveOneKeepsUp) {
  options_.ws.max_queue_messages = 256;
  options_.ws.max_queue_bytes = 2u << 20;
  options_.write_timeout = std::chrono::seconds(30);
  Start();
  auto active = Connect("alice");
  auto stalled = Connect("alice");
  for (WsClient* c : {active.get(), stalled.get()}) {
    c->Send(Subscribe("s", "SELECT id, body FROM chat.messages"));
    ReadSnapshot(*c, "s");
  }
  constexpr int kRows = 800;
  const std::string body(16 << 10, 'x');
  std::atomic<int> received{0};
  std::string stopped_on;  // what ended the active reader early, if anything
  std::thread reader([&] {
    for (int i = 0; i < kRows; ++i) {
      auto m = active->Next(std::chrono::seconds(30));
      if (!m || Type(*m) != "change") {
        stopped_on = m ? json::serialize(*m).substr(0, 300) : "no message for 30 s";
        return;
      }
      received.fetch_add(1);
    }
  });
  const auto start = std::chrono::steady_clock::now();
  {
    auto session = std::move(db_->Connect("alice", Role::kUser)).value();
    for (int i = 0; i < kRows; ++i) {
      // The writer stays at most 32 rows (512 KB) ahead of the ACTIVE client, so that
      // client keeps up on any machine and build; nothing waits for the stalled one.
      const auto paced = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (received.load() < i - 32 && std::chrono::steady_clock::now() < paced)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      auto r = session->Execute("INSERT INTO chat.messages VALUES ($1, 't', $2)",
                                {Value::BigInt(i), Value::Text(body)});
      ASSERT_TRUE(r.ok()) << r.status().ToString();
    }
  }
  // Writers never waited for the stalled client (13 MB it never read).
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
  reader.join();
  EXPECT_EQ(received.load(), kRows) << stopped_on;
  // The stalled client, reading at last: what was already on its way, then the reason,
  // then the close.
  bool told = false;
  for (int i = 0; i < kRows + 2; ++i) {
    auto m = stalled->Next(std::chrono::seconds(10));
    if (!m) break;
    if (Type(*m) == "error") {
      EXPECT_EQ(CodeOf(*m), "slow_consumer") << json::serialize(*m);
      told = true;
      break;
    }
    ASSERT_EQ(Type(*m), "change");
  }
  EXPECT_TRUE(told);
  EXPECT_FALSE(stalled->Next(std::chrono::seconds(10)).has_value());
  EXPECT_TRUE(stalled->closed());
}

TEST_F(WsServerTest, UnsubscribePingAndBadMessagesAreAnsweredWithCodes) {
  options_.ws.max_subscriptions_per_connection = 2;
  options_.ws.max_message_bytes = 4096;
  Start();
  auto client = Connect("alice");
  auto expect_error = [&](const json::value& message, const std::string& code,
                          const std::string& id) {
    client->Send(message);
    auto m = client->Next();
    ASSERT_TRUE(m);
    ASSERT_EQ(Type(*m), "error") << json::serialize(*m);
    EXPECT_EQ(CodeOf(*m), code) << json::serialize(*m);
    EXPECT_FALSE(std::string(m->at("message").as_string()).empty());
    if (!id.empty()) {
      EXPECT_EQ(m->at("subscription_id").as_string(), id);
    }
  };
  client->Send(std::string("{not json"));
  auto m = client->Next();
  ASSERT_TRUE(m);
  EXPECT_EQ(CodeOf(*m), "invalid_message");
  expect_error(json::object{{"type", "dance"}}, "unknown_type", "");
  expect_error(json::object{{"type", "subscribe"}}, "invalid_message", "");
  expect_error(json::array{1, 2}, "invalid_message", "");
  expect_error(Subscribe("bad", "SELEC id FROM chat.messages"), "syntax_error", "bad");
  expect_error(Subscribe("agg", "SELECT count(*) FROM chat.messages"), "feature_not_supported",
               "agg");
  expect_error(Subscribe("join", "SELECT * FROM chat.messages a, chat.board b"),
               "feature_not_supported", "join");
  expect_error(Subscribe("offset", "SELECT * FROM chat.messages ORDER BY id LIMIT 3 OFFSET 1"),
               "feature_not_supported", "offset");
  expect_error(Subscribe("sub",
                         "SELECT id FROM chat.messages WHERE id IN (SELECT id FROM "
                         "chat.board)"),
               "feature_not_supported", "sub");
  expect_error(Subscribe("sys", "SELECT * FROM system.tables"), "insufficient_privilege", "sys");
  expect_error(Subscribe("none", "SELECT * FROM chat.nothing"), "undefined_table", "none");
  expect_error(json::object{{"type", "next_batch"}, {"subscription_id", "zzz"}},
               "unknown_subscription", "zzz");

  client->Send(Subscribe("a", "SELECT id FROM chat.messages"));
  ReadSnapshot(*client, "a");
  expect_error(Subscribe("a", "SELECT id FROM chat.messages"), "subscription_exists", "a");
  client->Send(Subscribe("b", "SELECT id FROM chat.messages"));
  ReadSnapshot(*client, "b");
  expect_error(Subscribe("c", "SELECT id FROM chat.messages"), "too_many_subscriptions", "c");
  expect_error(json::object{{"type", "next_batch"}, {"subscription_id", "a"}}, "no_more_batches",
               "a");

  client->Send(json::object{{"type", "unsubscribe"}, {"subscription_id", "a"}});
  auto bye = client->Next();
  ASSERT_TRUE(bye);
  EXPECT_EQ(Type(*bye), "unsubscribed");
  EXPECT_EQ(bye->at("subscription_id").as_string(), "a");
  Exec("alice", "INSERT INTO chat.messages VALUES (1, 't', 'x')");
  auto change = client->Next();  // only "b" is told
  ASSERT_TRUE(change);
  EXPECT_EQ(change->at("subscription_id").as_string(), "b");
  client->Send(json::object{{"type", "ping"}});
  auto pong = client->Next();
  ASSERT_TRUE(pong);
  EXPECT_EQ(Type(*pong), "pong");

  // A message over [ws] max_message_bytes: told, then closed.
  client->Send(std::string(8192, ' '));
  auto big = client->Next();
  ASSERT_TRUE(big);
  EXPECT_EQ(CodeOf(*big), "message_too_large");
  EXPECT_FALSE(client->Next(std::chrono::seconds(5)).has_value());
  EXPECT_TRUE(client->closed());
}

TEST_F(WsServerTest, OrderByLimitSubscriptionsKeepALiveWindow) {
  for (int i = 1; i <= 4; ++i)
    Exec("alice", "INSERT INTO chat.messages VALUES (" + std::to_string(i) + ", 't', 'm" +
                      std::to_string(i) + "')");
  Start();
  auto client = Connect("alice");
  const std::string sql = "SELECT id, body FROM chat.messages ORDER BY id DESC LIMIT 2";
  client->Send(Subscribe("w", sql));
  auto [rows, last_seq] = ReadSnapshot(*client, "w");
  EXPECT_EQ(json::serialize(rows), R"([[4,"m4"],[3,"m3"]])");
  const int64_t snapshot_seq = last_seq;
  auto next = [&] {
    auto m = client->Next();
    EXPECT_TRUE(m.has_value());
    if (!m) return std::string("<none>");
    EXPECT_GT(Int(m->at("seq")), snapshot_seq);
    return std::string(m->at("change_type").as_string()) + json::serialize(m->at("rows"));
  };
  Exec("alice", "INSERT INTO chat.messages VALUES (5, 't', 'm5')");
  EXPECT_EQ(next(), R"(delete[[3,"m3"]])");
  EXPECT_EQ(next(), R"(insert[[5,"m5"]])");
  Exec("alice", "DELETE FROM chat.messages WHERE id = 4");
  EXPECT_EQ(next(), R"(delete[[4,"m4"]])");
  EXPECT_EQ(next(), R"(insert[[3,"m3"]])");
  // A window cannot resume from a seq.
  client->Send(Subscribe("w2", sql, {}, json::object{{"from", 1}}));
  auto error = client->NextOfType("error");
  ASSERT_TRUE(error);
  EXPECT_EQ(CodeOf(*error), "feature_not_supported");
}

TEST_F(WsServerTest, AlterTableEndsTheSubscriptionWithAClearCode) {
  Start();
  auto client = Connect("alice");
  client->Send(Subscribe("s", "SELECT id FROM chat.messages"));
  ReadSnapshot(*client, "s");
  Exec("root", "ALTER TABLE chat.messages ADD COLUMN extra TEXT");
  Exec("alice", "INSERT INTO chat.messages VALUES (1, 't', 'x', 'y')");
  auto m = client->Next();
  ASSERT_TRUE(m);
  EXPECT_EQ(Type(*m), "error") << json::serialize(*m);
  EXPECT_EQ(CodeOf(*m), "schema_changed");
  EXPECT_EQ(m->at("subscription_id").as_string(), "s");
}

TEST_F(WsServerTest, DropTableEndsItsSubscriptionsOnly) {
  Start();
  Exec("root", "CREATE TABLE chat.drafts (id BIGINT PRIMARY KEY, body TEXT) WITH (TYPE = 'USER')");
  auto client = Connect("alice");
  client->Send(json::serialize(Subscribe("d", "SELECT id FROM chat.drafts")));
  ReadSnapshot(*client, "d");
  client->Send(json::serialize(Subscribe("m", "SELECT id FROM chat.messages")));
  ReadSnapshot(*client, "m");
  Exec("root", "DROP TABLE chat.drafts");
  auto m = client->NextOfType("error");
  ASSERT_TRUE(m);
  EXPECT_EQ(CodeOf(*m), "table_dropped") << json::serialize(*m);
  EXPECT_EQ(m->at("subscription_id").as_string(), "d");
  // The other subscription lives on.
  Exec("alice", "INSERT INTO chat.messages VALUES (1, 't', 'still here')");
  auto change = client->NextOfType("change");
  ASSERT_TRUE(change);
  EXPECT_EQ(change->at("subscription_id").as_string(), "m");
  // Dropped and created again under the same name: still the end (another table).
  Exec("root", "CREATE TABLE chat.drafts (id BIGINT PRIMARY KEY, body TEXT) WITH (TYPE = 'USER')");
  client->Send(json::serialize(Subscribe("d2", "SELECT id FROM chat.drafts")));
  ReadSnapshot(*client, "d2");
  Exec("root", "DROP TABLE chat.drafts");
  Exec("root", "CREATE TABLE chat.drafts (id BIGINT PRIMARY KEY, body TEXT) WITH (TYPE = 'USER')");
  m = client->NextOfType("error");
  ASSERT_TRUE(m);
  EXPECT_EQ(CodeOf(*m), "table_dropped") << json::serialize(*m);
  EXPECT_EQ(m->at("subscription_id").as_string(), "d2");
}

TEST_F(WsServerTest, AlterTableWithoutWritesEndsTheSubscriptionWithSchemaChanged) {
  Start();
  auto client = Connect("alice");
  client->Send(json::serialize(Subscribe("s", "SELECT * FROM chat.messages")));
  ReadSnapshot(*client, "s");
  Exec("root", "ALTER TABLE chat.messages ADD COLUMN extra TEXT");
  auto m = client->NextOfType("error");
  ASSERT_TRUE(m);
  EXPECT_EQ(CodeOf(*m), "schema_changed") << json::serialize(*m);
  EXPECT_EQ(m->at("subscription_id").as_string(), "s");
  // Subscribing again gets the new columns.
  client->Send(json::serialize(Subscribe("s", "SELECT * FROM chat.messages")));
  auto ack = client->NextOfType("subscription_ack");
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->at("schema").as_array().size(), 4u) << json::serialize(*ack);
}

// DROP USER, a password change and a role change end every subscription of the user's
// connections with a code, then close them; other users' connections are untouched.
void ExpectAccountEnd(WsClient& client, const std::string& code) {
  auto m = client.NextOfType("error");
  ASSERT_TRUE(m);
  EXPECT_EQ(CodeOf(*m), code) << json::serialize(*m);
  EXPECT_EQ(m->at("subscription_id").as_string(), "s");
  m = client.NextOfType("error");
  ASSERT_TRUE(m);
  EXPECT_EQ(CodeOf(*m), code) << json::serialize(*m);
  EXPECT_FALSE(m->as_object().contains("subscription_id"));
  EXPECT_FALSE(client.Next(std::chrono::seconds(5)).has_value());
  EXPECT_TRUE(client.closed());
}

TEST_F(WsServerTest, DropUserPasswordAndRoleChangesEndTheUsersConnections) {
  Start();
  Exec("root", "CREATE USER carol WITH PASSWORD 'carol-password-1' ROLE user");
  Exec("root", "CREATE USER dave WITH PASSWORD 'dave-password-1' ROLE user");
  auto alice = Connect("alice");
  auto bob = Connect("bob");
  auto carol = Connect("carol");
  auto dave = Connect("dave");
  for (WsClient* c : {alice.get(), bob.get(), carol.get(), dave.get()}) {
    c->Send(json::serialize(Subscribe("s", "SELECT id FROM chat.messages")));
    ReadSnapshot(*c, "s");
  }
  Exec("root", "DROP USER carol");
  ExpectAccountEnd(*carol, "user_dropped");
  Exec("root", "ALTER USER alice SET PASSWORD 'alice-password-2'");
  ExpectAccountEnd(*alice, "credentials_changed");
  Exec("root", "ALTER USER dave SET ROLE dba");
  ExpectAccountEnd(*dave, "role_changed");
  // bob is untouched.
  Exec("bob", "INSERT INTO chat.messages VALUES (1, 't', 'bob')");
  auto change = bob->NextOfType("change");
  ASSERT_TRUE(change);
  EXPECT_EQ(change->at("subscription_id").as_string(), "s");
}

}  // namespace
}  // namespace tenantdb::server::ws

namespace tenantdb::server::ws {
namespace {

// A client that sends a burst without waiting (a reconnect reopening everything): the
// server reads ahead and opens the subscribes together, but every reply keeps the order
// of the messages that caused it, and a message about a subscription comes after its ack.
TEST_F(WsServerTest, ABurstOfPipelinedMessagesIsAnsweredInOrder) {
  options_.ws.max_subscriptions_per_connection = 300;
  Start();
  auto client = Connect("alice");
  constexpr int kBurst = 200;  // more than one read-ahead window and one worker batch
  for (int i = 0; i < kBurst; ++i) {
    client->Send(Subscribe("s" + std::to_string(i), "SELECT id FROM chat.messages WHERE id = $1",
                           json::array{i}));
    if (i == 10) {
      client->Send(Subscribe("s3", "SELECT id FROM chat.messages"));  // taken already
      client->Send(json::object{{"type", "unsubscribe"}, {"subscription_id", "s5"}});
      client->Send(json::object{{"type", "ping"}});
    }
  }
  std::vector<std::string> seen;
  for (int n = 0; n < 2 * kBurst + 3; ++n) {
    auto m = client->Next();
    ASSERT_TRUE(m) << "after " << n << " messages";
    std::string what(Type(*m));
    if (m->as_object().contains("code")) what += ":" + CodeOf(*m);
    if (m->as_object().contains("subscription_id")) {
      what += ":" + std::string(m->at("subscription_id").as_string());
    }
    seen.push_back(what);
  }
  std::vector<std::string> expected;
  for (int i = 0; i < kBurst; ++i) {
    expected.push_back("subscription_ack:s" + std::to_string(i));
    expected.push_back("initial_data_batch:s" + std::to_string(i));
    if (i == 10) {
      expected.push_back("error:subscription_exists:s3");
      expected.push_back("unsubscribed:s5");
      expected.push_back("pong");
    }
  }
  EXPECT_EQ(seen, expected);
}

}  // namespace
}  // namespace tenantdb::server::ws
