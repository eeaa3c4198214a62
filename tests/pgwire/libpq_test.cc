// The PostgreSQL protocol listener (src/server/pgwire) driven by libpq, PostgreSQL's own
// client library, over real loopback sockets: the server runs in this process (so
// ASan/UBSan watch it too) on a port the system picks, over a Database on a temporary
// directory. A few tests speak the protocol byte by byte where libpq offers no way to
// send a message (Execute with a row limit, malformed input).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "libpq_handles.h"
#include "server/auth/authenticator.h"
#include "server/pgwire/pg_server.h"
#include "tenantdb/database.h"

namespace tenantdb::server::pgwire {
namespace {

const std::string kRootPassword = "root-password-for-tests";

class PgWireTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tdb_pgwire_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Database::Options options;
    options.background_jobs = false;
    db_ = std::move(Database::Open(dir_.string(), options)).value();
    ASSERT_TRUE(EnsureRootPassword(db_.get(), kRootPassword).ok());
    auto root = std::move(db_->Connect("root", Role::kSystem)).value();
    for (const char* sql : {
             "CREATE USER alice WITH PASSWORD 'alice-password-1' ROLE user",
             "CREATE NAMESPACE app",
             "CREATE TABLE app.big (id BIGINT PRIMARY KEY) WITH (TYPE = 'SHARED', "
             "ACCESS_LEVEL = 'PUBLIC')",
         }) {
      auto r = root->Execute(sql);
      ASSERT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
    }
    std::string insert = "INSERT INTO app.big VALUES (0)";
    for (int i = 1; i < 400; ++i)
      insert += ",(" + std::to_string(i) + ")";
    ASSERT_TRUE(root->Execute(insert).ok());
    config_.server.data_dir = dir_.string();
    authenticator_ = std::move(Authenticator::Create(db_.get(), config_)).value();
    log_ =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
    options_.listen = {"127.0.0.1", 0};
    options_.shutdown_timeout = std::chrono::seconds(5);
  }

  void TearDown() override {
    server_.reset();
    authenticator_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Start() {
    auto server = PgServer::Start(options_, {db_.get(), authenticator_.get(), log_});
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
  }

  std::string ConnInfo(const std::string& user, const std::string& password) {
    return "host=127.0.0.1 port=" + std::to_string(server_->port()) + " user=" + user +
           " password=" + password + " dbname=whatever application_name=pgwire_test" +
           " sslmode=prefer gssencmode=disable connect_timeout=10";
  }

  Conn Connect(const std::string& user = "root", const std::string& password = kRootPassword) {
    Conn conn(PQconnectdb(ConnInfo(user, password).c_str()));
    EXPECT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
    return conn;
  }

  PgResult Exec(PGconn* conn, const std::string& sql) {
    return PgResult(PQexec(conn, sql.c_str()));
  }

  void ExecOk(PGconn* conn, const std::string& sql) {
    PgResult r = Exec(conn, sql);
    const ExecStatusType s = PQresultStatus(r.get());
    ASSERT_TRUE(s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK)
        << sql << ": " << PQresultErrorMessage(r.get());
  }

  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
  ServerConfig config_;
  std::unique_ptr<Authenticator> authenticator_;
  std::shared_ptr<spdlog::logger> log_;
  PgServerOptions options_;
  std::unique_ptr<PgServer> server_;
};

TEST_F(PgWireTest, ScramLoginReportsServerParameters) {
  Start();
  Conn conn = Connect();
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK);
  EXPECT_STREQ(PQparameterStatus(conn.get(), "server_version"), "15.0 (tenantdb)");
  EXPECT_STREQ(PQparameterStatus(conn.get(), "server_encoding"), "UTF8");
  EXPECT_STREQ(PQparameterStatus(conn.get(), "client_encoding"), "UTF8");
  EXPECT_STREQ(PQparameterStatus(conn.get(), "DateStyle"), "ISO, MDY");
  EXPECT_STREQ(PQparameterStatus(conn.get(), "TimeZone"), "UTC");
  EXPECT_STREQ(PQparameterStatus(conn.get(), "integer_datetimes"), "on");
  EXPECT_STREQ(PQparameterStatus(conn.get(), "standard_conforming_strings"), "on");
  EXPECT_STREQ(PQparameterStatus(conn.get(), "application_name"), "pgwire_test");
  EXPECT_GT(PQbackendPID(conn.get()), 0);
  EXPECT_EQ(PQtransactionStatus(conn.get()), PQTRANS_IDLE);
  // The session runs as the authenticated user.
  Conn alice = Connect("alice", "alice-password-1");
  PgResult r = Exec(alice.get(), "SELECT CURRENT_USER");
  ASSERT_EQ(PQresultStatus(r.get()), PGRES_TUPLES_OK) << PQresultErrorMessage(r.get());
  EXPECT_STREQ(PQgetvalue(r.get(), 0, 0), "alice");
}

TEST_F(PgWireTest, WrongPasswordAndUnknownUserFailAlike) {
  Start();
  for (auto [user, password] : {std::pair{"root", "wrong-password"}, {"nobody", "whatever-pw"}}) {
    Conn conn(PQconnectdb(ConnInfo(user, password).c_str()));
    EXPECT_EQ(PQstatus(conn.get()), CONNECTION_BAD);
    const std::string error = PQerrorMessage(conn.get());
    EXPECT_NE(error.find("password authentication failed for user \"" + std::string(user) + "\""),
              std::string::npos)
        << error;
  }
}

TEST_F(PgWireTest, FailedLoginsAreRateLimitedLikeHttp) {
  config_.auth.login_attempts_per_minute = 2;
  authenticator_ = std::move(Authenticator::Create(db_.get(), config_)).value();
  Start();
  for (int i = 0; i < 2; ++i) {
    Conn conn(PQconnectdb(ConnInfo("alice", "wrong-password").c_str()));
    EXPECT_EQ(PQstatus(conn.get()), CONNECTION_BAD);
  }
  // Past the limit even the right password is refused before it is checked.
  Conn conn(PQconnectdb(ConnInfo("alice", "alice-password-1").c_str()));
  EXPECT_EQ(PQstatus(conn.get()), CONNECTION_BAD);
  EXPECT_NE(std::string(PQerrorMessage(conn.get())).find("too many failed logins"),
            std::string::npos)
      << PQerrorMessage(conn.get());
}

TEST_F(PgWireTest, SimpleQueryRunsEveryStatementWithPostgresTags) {
  Start();
  Conn conn = Connect();
  ASSERT_EQ(
      PQsendQuery(conn.get(),
                  "CREATE TABLE app.t (id BIGINT PRIMARY KEY, v TEXT) WITH (TYPE = 'SHARED'); "
                  "INSERT INTO app.t VALUES (1, 'a'), (2, NULL); "
                  "SELECT id, v FROM app.t ORDER BY id; "
                  "UPDATE app.t SET v = 'b' WHERE id = 2; DELETE FROM app.t WHERE id = 1"),
      1);
  std::vector<std::string> tags;
  PgResult select;
  while (PGresult* raw = PQgetResult(conn.get())) {
    PgResult r(raw);
    ASSERT_NE(PQresultStatus(r.get()), PGRES_FATAL_ERROR) << PQresultErrorMessage(r.get());
    tags.push_back(PQcmdStatus(r.get()));
    if (PQresultStatus(r.get()) == PGRES_TUPLES_OK) select = std::move(r);
  }
  EXPECT_EQ(tags, (std::vector<std::string>{"CREATE TABLE", "INSERT 0 2", "SELECT 2", "UPDATE 1",
                                            "DELETE 1"}));
  ASSERT_NE(select, nullptr);
  EXPECT_EQ(PQntuples(select.get()), 2);
  EXPECT_STREQ(PQfname(select.get(), 1), "v");
  EXPECT_EQ(PQftype(select.get(), 0), 20u);
  EXPECT_EQ(PQftype(select.get(), 1), 25u);
  EXPECT_STREQ(PQgetvalue(select.get(), 0, 1), "a");
  EXPECT_TRUE(PQgetisnull(select.get(), 1, 1));
  // Text with no statement: EmptyQueryResponse.
  PgResult empty = Exec(conn.get(), "  ;  -- nothing\n");
  EXPECT_EQ(PQresultStatus(empty.get()), PGRES_EMPTY_QUERY);
}

// A commit made without waiting for its WAL sync (an HTTP session's:
// Session::DeferCommitSync) is visible at once; a PostgreSQL-protocol reply that shows it
// waits until it is synced.
TEST_F(PgWireTest, RepliesWaitUntilWhatTheyShowIsDurable) {
  Start();
  Conn conn = Connect();
  auto writer = std::move(db_->Connect("root", Role::kSystem)).value();
  writer->DeferCommitSync(true);
  ASSERT_TRUE(writer->Execute("INSERT INTO app.big VALUES (1000)").ok());
  const uint64_t position = db_->WritePosition();
  ASSERT_FALSE(db_->IsDurable(position)) << "nobody has waited for that commit yet";
  PgResult r = Exec(conn.get(), "SELECT count(*) FROM app.big WHERE id = 1000");
  ASSERT_EQ(PQresultStatus(r.get()), PGRES_TUPLES_OK) << PQresultErrorMessage(r.get());
  EXPECT_STREQ(PQgetvalue(r.get(), 0, 0), "1");
  EXPECT_TRUE(db_->IsDurable(position)) << "the reply went out before the row it shows was synced";
  // The protocol's own commits sync before they return.
  ExecOk(conn.get(), "INSERT INTO app.big VALUES (1001)");
  EXPECT_TRUE(db_->IsDurable(db_->WritePosition()));
}

TEST_F(PgWireTest, ErrorsCarrySqlstateAndPosition) {
  Start();
  Conn conn = Connect();
  PgResult missing = Exec(conn.get(), "SELECT * FROM app.nope");
  EXPECT_EQ(PQresultStatus(missing.get()), PGRES_FATAL_ERROR);
  EXPECT_EQ(Sqlstate(missing.get()), "42P01");
  EXPECT_STREQ(PQresultErrorField(missing.get(), PG_DIAG_SEVERITY), "ERROR");
  PgResult syntax = Exec(conn.get(), "SELECT 1; SELEC 2");
  EXPECT_EQ(Sqlstate(syntax.get()), "42601");
  const char* position = PQresultErrorField(syntax.get(), PG_DIAG_STATEMENT_POSITION);
  ASSERT_NE(position, nullptr) << PQresultErrorMessage(syntax.get());
  EXPECT_STREQ(position, "11");  // counted from the start of the whole Query text
  const std::string message = PQresultErrorField(syntax.get(), PG_DIAG_MESSAGE_PRIMARY);
  EXPECT_EQ(message.find("at position"), std::string::npos) << message;
  PgResult zero = Exec(conn.get(), "SELECT 1 / 0");
  EXPECT_EQ(Sqlstate(zero.get()), "22012");
  // The connection goes on.
  PgResult one = Exec(conn.get(), "SELECT 1");
  EXPECT_EQ(PQresultStatus(one.get()), PGRES_TUPLES_OK);
}

TEST_F(PgWireTest, FailedTransactionRefusesStatementsUntilRollback) {
  Start();
  Conn conn = Connect();
  ExecOk(conn.get(), "CREATE TABLE app.tx (id BIGINT PRIMARY KEY) WITH (TYPE = 'SHARED')");
  ExecOk(conn.get(), "BEGIN");
  EXPECT_EQ(PQtransactionStatus(conn.get()), PQTRANS_INTRANS);
  ExecOk(conn.get(), "INSERT INTO app.tx VALUES (1)");
  PgResult bad = Exec(conn.get(), "SELECT * FROM app.nope");
  EXPECT_EQ(PQresultStatus(bad.get()), PGRES_FATAL_ERROR);
  EXPECT_EQ(PQtransactionStatus(conn.get()), PQTRANS_INERROR);
  PgResult refused = Exec(conn.get(), "SELECT 1");
  EXPECT_EQ(Sqlstate(refused.get()), "25P02") << PQresultErrorMessage(refused.get());
  EXPECT_EQ(PQtransactionStatus(conn.get()), PQTRANS_INERROR);
  ExecOk(conn.get(), "ROLLBACK");
  EXPECT_EQ(PQtransactionStatus(conn.get()), PQTRANS_IDLE);
  PgResult count = Exec(conn.get(), "SELECT count(*) FROM app.tx");
  EXPECT_STREQ(PQgetvalue(count.get(), 0, 0), "0");
  // A committed transaction keeps its rows.
  ExecOk(conn.get(), "BEGIN");
  ExecOk(conn.get(), "INSERT INTO app.tx VALUES (2)");
  ExecOk(conn.get(), "COMMIT");
  count = Exec(conn.get(), "SELECT count(*) FROM app.tx");
  EXPECT_STREQ(PQgetvalue(count.get(), 0, 0), "1");
}

TEST_F(PgWireTest, PreparedStatementsInferParameterTypes) {
  Start();
  Conn conn = Connect();
  ExecOk(
      conn.get(),
      "CREATE TABLE app.p (id BIGINT PRIMARY KEY, n INT, s TEXT, d DATE) WITH (TYPE = 'SHARED')");
  PgResult prepared = PgResult(
      PQprepare(conn.get(), "ins", "INSERT INTO app.p VALUES ($1, $2, $3, $4)", 0, nullptr));
  ASSERT_EQ(PQresultStatus(prepared.get()), PGRES_COMMAND_OK)
      << PQresultErrorMessage(prepared.get());
  PgResult described = PgResult(PQdescribePrepared(conn.get(), "ins"));
  ASSERT_EQ(PQresultStatus(described.get()), PGRES_COMMAND_OK);
  ASSERT_EQ(PQnparams(described.get()), 4);
  EXPECT_EQ(PQparamtype(described.get(), 0), 20u);
  EXPECT_EQ(PQparamtype(described.get(), 1), 23u);
  EXPECT_EQ(PQparamtype(described.get(), 2), 25u);
  EXPECT_EQ(PQparamtype(described.get(), 3), 1082u);
  for (int i = 1; i <= 3; ++i) {
    const std::string id = std::to_string(i), n = std::to_string(i * 10);
    const std::string date = "2024-01-0" + id;
    const char* values[] = {id.c_str(), n.c_str(), i == 2 ? nullptr : "text", date.c_str()};
    PgResult r = PgResult(PQexecPrepared(conn.get(), "ins", 4, values, nullptr, nullptr, 0));
    ASSERT_EQ(PQresultStatus(r.get()), PGRES_COMMAND_OK) << PQresultErrorMessage(r.get());
    EXPECT_STREQ(PQcmdStatus(r.get()), "INSERT 0 1");
  }
  PgResult sel = PgResult(PQprepare(
      conn.get(), "sel", "SELECT id, s, d FROM app.p WHERE n > $1 ORDER BY id", 0, nullptr));
  ASSERT_EQ(PQresultStatus(sel.get()), PGRES_COMMAND_OK) << PQresultErrorMessage(sel.get());
  PgResult d = PgResult(PQdescribePrepared(conn.get(), "sel"));
  EXPECT_EQ(PQnfields(d.get()), 3);
  EXPECT_EQ(PQftype(d.get(), 2), 1082u);
  const char* ten[] = {"10"};
  PgResult rows = PgResult(PQexecPrepared(conn.get(), "sel", 1, ten, nullptr, nullptr, 0));
  ASSERT_EQ(PQresultStatus(rows.get()), PGRES_TUPLES_OK) << PQresultErrorMessage(rows.get());
  ASSERT_EQ(PQntuples(rows.get()), 2);
  EXPECT_TRUE(PQgetisnull(rows.get(), 0, 1));
  EXPECT_STREQ(PQgetvalue(rows.get(), 1, 2), "2024-01-03");
  // A wrong parameter count and an unknown statement are errors, and the connection goes on.
  PgResult wrong = PgResult(PQexecPrepared(conn.get(), "sel", 0, nullptr, nullptr, nullptr, 0));
  EXPECT_EQ(Sqlstate(wrong.get()), "08P01");
  PgResult unknown = PgResult(PQexecPrepared(conn.get(), "nope", 0, nullptr, nullptr, nullptr, 0));
  EXPECT_EQ(Sqlstate(unknown.get()), "26000");
  PgResult dup = PgResult(PQprepare(conn.get(), "sel", "SELECT 1", 0, nullptr));
  EXPECT_EQ(Sqlstate(dup.get()), "42P05");
  const char* not_a_number[] = {"ten"};
  PgResult bad_text =
      PgResult(PQexecPrepared(conn.get(), "sel", 1, not_a_number, nullptr, nullptr, 0));
  EXPECT_EQ(Sqlstate(bad_text.get()), "22P02") << PQresultErrorMessage(bad_text.get());
  PgResult ok = Exec(conn.get(), "SELECT 1");
  EXPECT_EQ(PQresultStatus(ok.get()), PGRES_TUPLES_OK);
}

// Every tenantdb type, written with binary parameters and read back in text and binary.
TEST_F(PgWireTest, EveryTypeInTextAndBinary) {
  Start();
  Conn conn = Connect();
  ExecOk(
      conn.get(),
      "CREATE TABLE app.types (id BIGINT PRIMARY KEY, b BOOLEAN, i2 SMALLINT, i4 INT, i8 BIGINT, "
      "f4 REAL, f8 DOUBLE, t TEXT, by BYTEA, d DATE, ts TIMESTAMP, tz TIMESTAMPTZ, j JSON, "
      "u UUID) WITH (TYPE = 'SHARED')");
  auto be = [](uint64_t v, int bytes) {
    std::string s;
    for (int i = bytes - 1; i >= 0; --i)
      s.push_back(static_cast<char>(v >> (8 * i)));
    return s;
  };
  const float f4 = 1.5f;
  const double f8 = -2.25;
  uint32_t f4bits;
  uint64_t f8bits;
  std::memcpy(&f4bits, &f4, 4);
  std::memcpy(&f8bits, &f8, 8);
  const int64_t day = 8766;  // 2024-01-01 is 8766 days after 2000-01-01
  const std::string uuid("\xa0\xee\xbc\x99\x9c\x0b\x4e\xf8\xbb\x6d\x6b\xb9\xbd\x38\x0a\x11", 16);
  const std::vector<std::string> values = {
      be(1, 8),
      std::string(1, '\1'),
      be(static_cast<uint16_t>(-7), 2),
      be(123456, 4),
      be(static_cast<uint64_t>(-9'000'000'000LL), 8),
      be(f4bits, 4),
      be(f8bits, 8),
      "héllo",
      std::string("\0\1\xff", 3),
      be(static_cast<uint32_t>(day), 4),
      be(static_cast<uint64_t>(day * 86'400'000'000LL + 3'600'000'001LL), 8),
      be(static_cast<uint64_t>(day * 86'400'000'000LL), 8),
      "{\"a\":[1,2]}",
      uuid};
  const Oid types[] = {20, 16, 21, 23, 20, 700, 701, 25, 17, 1082, 1114, 1184, 114, 2950};
  std::vector<const char*> pointers;
  std::vector<int> lengths, formats;
  for (const std::string& v : values) {
    pointers.push_back(v.data());
    lengths.push_back(static_cast<int>(v.size()));
    formats.push_back(1);
  }
  PgResult ins = PgResult(PQexecParams(
      conn.get(), "INSERT INTO app.types VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)",
      14, types, pointers.data(), lengths.data(), formats.data(), 0));
  ASSERT_EQ(PQresultStatus(ins.get()), PGRES_COMMAND_OK) << PQresultErrorMessage(ins.get());
  ASSERT_EQ(PQsendQueryParams(conn.get(), "INSERT INTO app.types (id) VALUES (2)", 0, nullptr,
                              nullptr, nullptr, nullptr, 0),
            1);
  while (PGresult* r = PQgetResult(conn.get()))
    PQclear(r);

  PgResult text = Exec(conn.get(), "SELECT * FROM app.types ORDER BY id");
  ASSERT_EQ(PQresultStatus(text.get()), PGRES_TUPLES_OK) << PQresultErrorMessage(text.get());
  const std::vector<std::string> expect_text = {"1",
                                                "t",
                                                "-7",
                                                "123456",
                                                "-9000000000",
                                                "1.5",
                                                "-2.25",
                                                "héllo",
                                                "\\x0001ff",
                                                "2024-01-01",
                                                "2024-01-01 01:00:00.000001",
                                                "2024-01-01 00:00:00+00",
                                                "{\"a\":[1,2]}",
                                                "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"};
  ASSERT_EQ(PQnfields(text.get()), 14);
  for (int c = 0; c < 14; ++c) {
    EXPECT_EQ(PQftype(text.get(), c), types[c]) << c;
    EXPECT_EQ(PQgetvalue(text.get(), 0, c), expect_text[static_cast<size_t>(c)]) << c;
    if (c > 0) {
      EXPECT_TRUE(PQgetisnull(text.get(), 1, c)) << c;
    }
  }
  // Binary results: the same bytes the client sent.
  PgResult binary = PgResult(PQexecParams(conn.get(), "SELECT * FROM app.types WHERE id = 1", 0,
                                          nullptr, nullptr, nullptr, nullptr, 1));
  ASSERT_EQ(PQresultStatus(binary.get()), PGRES_TUPLES_OK) << PQresultErrorMessage(binary.get());
  for (int c = 0; c < 14; ++c) {
    EXPECT_EQ(PQfformat(binary.get(), c), 1);
    EXPECT_EQ(std::string(PQgetvalue(binary.get(), 0, c),
                          static_cast<size_t>(PQgetlength(binary.get(), 0, c))),
              values[static_cast<size_t>(c)])
        << c;
  }
  // Text parameters, NULLs, and a WHERE on each type.
  const char* params[] = {"t", "-7", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "2024-01-01", nullptr};
  PgResult where = PgResult(PQexecParams(conn.get(),
                                         "SELECT id FROM app.types WHERE b = $1 AND i2 = $2 AND u "
                                         "= $3 AND d = $4 AND ($5::TEXT IS NULL)",
                                         5, nullptr, params, nullptr, nullptr, 0));
  ASSERT_EQ(PQresultStatus(where.get()), PGRES_TUPLES_OK) << PQresultErrorMessage(where.get());
  ASSERT_EQ(PQntuples(where.get()), 1);
  EXPECT_STREQ(PQgetvalue(where.get(), 0, 0), "1");
}

TEST_F(PgWireTest, CancelRequestStopsARunningQuery) {
  Start();
  Conn conn = Connect();
  ASSERT_EQ(PQsendQuery(conn.get(), "SELECT count(*) FROM app.big a, app.big b, app.big c"), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  PGcancel* cancel = PQgetCancel(conn.get());
  char error[256];
  EXPECT_EQ(PQcancel(cancel, error, sizeof(error)), 1) << error;
  PQfreeCancel(cancel);
  const auto start = std::chrono::steady_clock::now();
  std::string state;
  while (PGresult* raw = PQgetResult(conn.get())) {
    PgResult r(raw);
    if (PQresultStatus(r.get()) == PGRES_FATAL_ERROR) state = Sqlstate(r.get());
  }
  EXPECT_EQ(state, "57014");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  PgResult one = Exec(conn.get(), "SELECT 1");
  EXPECT_EQ(PQresultStatus(one.get()), PGRES_TUPLES_OK);
  // A cancel with a wrong key does nothing (and does not crash the server).
  PgResult again = Exec(conn.get(), "SELECT 2");
  EXPECT_STREQ(PQgetvalue(again.get(), 0, 0), "2");
}

TEST_F(PgWireTest, PipelinedExtendedQueriesAndErrorsSkipToSync) {
  Start();
  Conn conn = Connect();
  ASSERT_EQ(PQenterPipelineMode(conn.get()), 1);
  const char* one[] = {"41"};
  ASSERT_EQ(
      PQsendQueryParams(conn.get(), "SELECT $1::BIGINT + 1", 1, nullptr, one, nullptr, nullptr, 0),
      1);
  ASSERT_EQ(PQsendQueryParams(conn.get(), "SELECT * FROM app.nope", 0, nullptr, nullptr, nullptr,
                              nullptr, 0),
            1);
  ASSERT_EQ(PQsendQueryParams(conn.get(), "SELECT 3", 0, nullptr, nullptr, nullptr, nullptr, 0), 1);
  ASSERT_EQ(PQpipelineSync(conn.get()), 1);
  ASSERT_EQ(PQsendQueryParams(conn.get(), "SELECT 4", 0, nullptr, nullptr, nullptr, nullptr, 0), 1);
  ASSERT_EQ(PQpipelineSync(conn.get()), 1);
  std::vector<std::string> seen;
  int syncs = 0;
  for (int guard = 0; guard < 50 && syncs < 2; ++guard) {
    PGresult* raw = PQgetResult(conn.get());
    if (raw == nullptr) continue;
    PgResult r(raw);
    switch (PQresultStatus(r.get())) {
      case PGRES_TUPLES_OK:
        seen.push_back(PQgetvalue(r.get(), 0, 0));
        break;
      case PGRES_FATAL_ERROR:
        seen.push_back("error " + Sqlstate(r.get()));
        break;
      case PGRES_PIPELINE_ABORTED:
        seen.push_back("aborted");
        break;
      case PGRES_PIPELINE_SYNC:
        seen.push_back("sync");
        ++syncs;
        break;
      default:
        break;
    }
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"42", "error 42P01", "aborted", "sync", "4", "sync"}));
  ASSERT_EQ(PQexitPipelineMode(conn.get()), 1);
}

// ---- the protocol byte by byte (cleartext password, so no SCRAM client is needed) ----

class RawClient {
 public:
  explicit RawClient(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~RawClient() { ::close(fd_); }
  bool connected() const { return connected_; }

  static std::string I16(int16_t v) {
    return {static_cast<char>(static_cast<uint16_t>(v) >> 8), static_cast<char>(v & 0xFF)};
  }
  static std::string I32(int32_t v) {
    const uint32_t u = static_cast<uint32_t>(v);
    return {static_cast<char>(u >> 24), static_cast<char>(u >> 16), static_cast<char>(u >> 8),
            static_cast<char>(u)};
  }
  static std::string Z(std::string_view s) { return std::string(s) + '\0'; }
  static std::string Msg(char type, const std::string& body) {
    return std::string(1, type) + I32(static_cast<int32_t>(body.size() + 4)) + body;
  }

  void Send(const std::string& bytes) {
    ASSERT_EQ(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(bytes.size()));
  }

  void Startup(const std::string& user, const std::string& password) {
    const std::string body = I32(196608) + Z("user") + Z(user) + Z("database") + Z("x") + '\0';
    Send(I32(static_cast<int32_t>(body.size() + 4)) + body);
    auto [type, auth] = Next();
    ASSERT_EQ(type, 'R');
    ASSERT_EQ(auth.substr(0, 4), I32(3));  // cleartext
    Send(Msg('p', Z(password)));
    ReadUntil('Z');
  }

  // The next message: type and body; type 0 when the connection closed.
  std::pair<char, std::string> Next() {
    char header[5];
    if (!ReadFull(header, 5)) return {0, ""};
    const uint32_t length =
        (static_cast<uint8_t>(header[1]) << 24) | (static_cast<uint8_t>(header[2]) << 16) |
        (static_cast<uint8_t>(header[3]) << 8) | static_cast<uint8_t>(header[4]);
    std::string body(length - 4, '\0');
    if (!ReadFull(body.data(), body.size())) return {0, ""};
    return {header[0], body};
  }
  // The types of the messages up to and including `last`.
  std::string ReadUntil(char last) {
    std::string types;
    for (int i = 0; i < 1000; ++i) {
      auto [type, body] = Next();
      if (type == 0) break;
      types.push_back(type);
      if (type == 'E') last_error_ = body;
      if (type == last) break;
    }
    return types;
  }
  const std::string& last_error() const { return last_error_; }
  bool ReadFull(char* out, size_t n) {
    size_t got = 0;
    while (got < n) {
      const ssize_t r = ::recv(fd_, out + got, n - got, 0);
      if (r <= 0) return false;
      got += static_cast<size_t>(r);
    }
    return true;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::string last_error_;
};

// A client that connects and never logs in is closed after authentication_timeout, so
// idle sockets cannot hold connection threads; one that logs in stays.
TEST_F(PgWireTest, AConnectionThatNeverLogsInIsClosed) {
  options_.authentication_timeout = std::chrono::milliseconds(300);
  options_.allow_cleartext_password = true;
  Start();
  RawClient silent(server_->port());
  ASSERT_TRUE(silent.connected());
  RawClient logged_in(server_->port());
  ASSERT_TRUE(logged_in.connected());
  logged_in.Startup("root", kRootPassword);
  const auto started = std::chrono::steady_clock::now();
  auto [type, body] = silent.Next();  // blocks until the server closes it
  EXPECT_EQ(type, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  logged_in.Send(RawClient::Msg('Q', RawClient::Z("SELECT 1")));
  EXPECT_EQ(logged_in.ReadUntil('Z'), "TDCZ");
  EXPECT_EQ(server_->connections(), 1u);
}

TEST_F(PgWireTest, ExecuteRowLimitSuspendsAndResumesThePortal) {
  options_.allow_cleartext_password = true;
  Start();
  RawClient c(server_->port());
  ASSERT_TRUE(c.connected());
  c.Startup("root", kRootPassword);
  using R = RawClient;
  c.Send(
      R::Msg('P', R::Z("") + R::Z("SELECT id FROM app.big WHERE id < 5 ORDER BY id") + R::I16(0)) +
      R::Msg('B', R::Z("") + R::Z("") + R::I16(0) + R::I16(0) + R::I16(0)) +
      R::Msg('E', R::Z("") + R::I32(2)) + R::Msg('E', R::Z("") + R::I32(2)) +
      R::Msg('E', R::Z("") + R::I32(2)) + R::Msg('S', ""));
  EXPECT_EQ(c.ReadUntil('Z'), "12DDsDDsDCZ");
}

TEST_F(PgWireTest, MalformedMessagesGetAFatalProtocolViolation) {
  options_.allow_cleartext_password = true;
  Start();
  {
    RawClient c(server_->port());
    c.Startup("root", kRootPassword);
    c.Send(RawClient::Msg('B', "\x01\x02"));  // Bind without its strings
    EXPECT_EQ(c.ReadUntil('Z'), "E");         // then the server closes
    EXPECT_NE(c.last_error().find("SFATAL"), std::string::npos);
    EXPECT_NE(c.last_error().find("C08P01"), std::string::npos);
  }
  {
    RawClient c(server_->port());
    c.Startup("root", kRootPassword);
    c.Send("Q" + RawClient::I32(1 << 30));  // a 1 GiB message is refused before buffering
    EXPECT_EQ(c.ReadUntil('Z'), "E");
    EXPECT_NE(c.last_error().find("C08P01"), std::string::npos);
  }
  {
    RawClient c(server_->port());
    c.Send(RawClient::I32(8) + RawClient::I32(80877103));  // SSLRequest: declined
    char answer = 0;
    ASSERT_TRUE(c.ReadFull(&answer, 1));
    EXPECT_EQ(answer, 'N');
    c.Startup("root", kRootPassword);  // and the client goes on in plain text
    c.Send(RawClient::Msg('Q', RawClient::Z("SELECT 1")));
    EXPECT_EQ(c.ReadUntil('Z'), "TDCZ");
  }
}

TEST_F(PgWireTest, ShutdownEndsConnectionsWithAdminShutdown) {
  Start();
  Conn conn = Connect();
  server_->Shutdown();
  PgResult r = Exec(conn.get(), "SELECT 1");
  EXPECT_NE(PQresultStatus(r.get()), PGRES_TUPLES_OK);
  EXPECT_NE(std::string(PQerrorMessage(conn.get())).find("terminating connection"),
            std::string::npos)
      << PQerrorMessage(conn.get());
}

// Each connection has a thread of its own, up to [pgwire] max_connections: one more is
// refused with FATAL 53300, and a closed connection frees its place.
TEST_F(PgWireTest, ConnectionsPastMaxConnectionsAreRefused) {
  options_.max_connections = 2;
  Start();
  Conn first = Connect();
  Conn second = Connect();
  Conn third(PQconnectdb(ConnInfo("root", kRootPassword).c_str()));
  EXPECT_EQ(PQstatus(third.get()), CONNECTION_BAD);
  EXPECT_NE(std::string(PQerrorMessage(third.get())).find("sorry, too many clients already"),
            std::string::npos)
      << PQerrorMessage(third.get());
  first.reset();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (server_->connections() > 1 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  Conn again = Connect();
  ExecOk(again.get(), "SELECT 1");
  ExecOk(second.get(), "SELECT 1");
}

// A statement waiting for a row lock holds up only its own connection: many waiters, and
// the holder's COMMIT still gets through (each connection runs on its own thread).
TEST_F(PgWireTest, RowLockWaitersHoldUpOnlyTheirOwnConnections) {
  Start();
  Conn holder = Connect();
  ExecOk(holder.get(),
         "CREATE TABLE app.counter (k INT PRIMARY KEY, v INT) WITH (TYPE = 'SHARED', "
         "ACCESS_LEVEL = 'PUBLIC')");
  ExecOk(holder.get(), "INSERT INTO app.counter VALUES (1, 0)");
  ExecOk(holder.get(), "BEGIN");
  ExecOk(holder.get(), "UPDATE app.counter SET v = v + 1 WHERE k = 1");
  std::vector<Conn> waiters;
  for (int i = 0; i < 8; ++i) {
    waiters.push_back(Connect());
    ASSERT_EQ(PQsendQuery(waiters.back().get(), "UPDATE app.counter SET v = v + 10 WHERE k = 1"),
              1);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ExecOk(holder.get(), "COMMIT");
  for (Conn& w : waiters) {
    PgResult r(PQgetResult(w.get()));
    EXPECT_EQ(PQresultStatus(r.get()), PGRES_COMMAND_OK) << PQresultErrorMessage(r.get());
    while (PGresult* rest = PQgetResult(w.get()))
      PQclear(rest);
  }
  PgResult total = Exec(holder.get(), "SELECT v FROM app.counter");
  ASSERT_EQ(PQresultStatus(total.get()), PGRES_TUPLES_OK) << PQresultErrorMessage(total.get());
  EXPECT_STREQ(PQgetvalue(total.get(), 0, 0), "81");
}

// COPY FROM STDIN fed with PQputCopyData in chunks that split rows, then COPY TO
// STDOUT read back with PQgetCopyData: the same rows, NULL and empty string apart.
TEST_F(PgWireTest, CopyInAndOutWithPutAndGetCopyData) {
  Start();
  Conn conn = Connect();
  ExecOk(conn.get(), "CREATE TABLE cp (id INT PRIMARY KEY, v TEXT) WITH (TYPE = 'SHARED')");
  PgResult started = Exec(conn.get(), "COPY cp (id, v) FROM STDIN WITH (FORMAT csv)");
  ASSERT_EQ(PQresultStatus(started.get()), PGRES_COPY_IN) << PQresultErrorMessage(started.get());
  EXPECT_EQ(PQnfields(started.get()), 2);
  std::string data;
  for (int i = 1; i <= 1000; ++i)
    data += std::to_string(i) +
            (i == 2   ? ",\"\""
             : i == 3 ? ","
                      : ",\"v,\"\"" + std::to_string(i) + "\"") +
            "\n";
  for (size_t at = 0; at < data.size(); at += 77) {
    const std::string piece = data.substr(at, 77);
    ASSERT_EQ(PQputCopyData(conn.get(), piece.data(), static_cast<int>(piece.size())), 1);
  }
  ASSERT_EQ(PQputCopyEnd(conn.get(), nullptr), 1);
  PgResult done(PQgetResult(conn.get()));
  ASSERT_EQ(PQresultStatus(done.get()), PGRES_COMMAND_OK) << PQresultErrorMessage(done.get());
  EXPECT_STREQ(PQcmdStatus(done.get()), "COPY 1000");
  while (PGresult* extra = PQgetResult(conn.get()))
    PQclear(extra);

  PgResult check =
      Exec(conn.get(), "SELECT v IS NULL, v FROM cp WHERE id IN (2, 3, 7) ORDER BY id");
  ASSERT_EQ(PQntuples(check.get()), 3);
  EXPECT_STREQ(PQgetvalue(check.get(), 0, 0), "f");  // "" is the empty string
  EXPECT_STREQ(PQgetvalue(check.get(), 1, 0), "t");  // nothing is NULL
  EXPECT_STREQ(PQgetvalue(check.get(), 2, 1), "v,\"7");

  PgResult out =
      Exec(conn.get(), "COPY (SELECT id, v FROM cp WHERE id <= 3 ORDER BY id) TO STDOUT");
  ASSERT_EQ(PQresultStatus(out.get()), PGRES_COPY_OUT) << PQresultErrorMessage(out.get());
  std::string text;
  char* buffer = nullptr;
  int n = 0;
  while ((n = PQgetCopyData(conn.get(), &buffer, 0)) > 0) {
    text.append(buffer, static_cast<size_t>(n));
    PQfreemem(buffer);
  }
  EXPECT_EQ(n, -1);
  PgResult out_done(PQgetResult(conn.get()));
  EXPECT_STREQ(PQcmdStatus(out_done.get()), "COPY 3");
  EXPECT_EQ(text, "1\tv,\"1\n2\t\n3\t\\N\n");
  while (PGresult* extra = PQgetResult(conn.get()))
    PQclear(extra);

  // The whole table through the plain text format, as pgbench and pg_dump use it.
  PgResult all = Exec(conn.get(), "COPY cp TO STDOUT");
  ASSERT_EQ(PQresultStatus(all.get()), PGRES_COPY_OUT);
  int lines = 0;
  while ((n = PQgetCopyData(conn.get(), &buffer, 0)) > 0) {
    ++lines;
    PQfreemem(buffer);
  }
  EXPECT_EQ(lines, 1000);
  while (PGresult* extra = PQgetResult(conn.get()))
    PQclear(extra);
}

// Binary COPY both ways: out of one table (binary tuples, PostgreSQL's signature first,
// the trailer last) and into another through COPY FROM STDIN in pieces; same rows.
TEST_F(PgWireTest, BinaryCopyRoundTripsEveryType) {
  Start();
  Conn conn = Connect();
  const std::string columns =
      " (id INT PRIMARY KEY, b BOOLEAN, l BIGINT, d DOUBLE PRECISION, t TEXT, y BYTEA, "
      "ts TIMESTAMPTZ, j JSON, u UUID, iv INTERVAL) WITH (TYPE = 'SHARED')";
  ExecOk(conn.get(), "CREATE TABLE bsrc" + columns);
  ExecOk(conn.get(), "CREATE TABLE bdst" + columns);
  ExecOk(conn.get(),
         "INSERT INTO bsrc VALUES (1, true, -5000000000, -0.25, 'h\u00e9llo', '\\x00ff', "
         "'2030-01-01 00:00:00+00', '{\"a\":1}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', "
         "'1 year -3 days 04:05:06.5'), (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
  PgResult out = Exec(conn.get(), "COPY bsrc TO STDOUT (FORMAT binary)");
  ASSERT_EQ(PQresultStatus(out.get()), PGRES_COPY_OUT) << PQresultErrorMessage(out.get());
  EXPECT_EQ(PQbinaryTuples(out.get()), 1);
  std::string data;
  char* buffer = nullptr;
  int n = 0;
  while ((n = PQgetCopyData(conn.get(), &buffer, 0)) > 0) {
    data.append(buffer, static_cast<size_t>(n));
    PQfreemem(buffer);
  }
  PgResult out_done(PQgetResult(conn.get()));
  EXPECT_STREQ(PQcmdStatus(out_done.get()), "COPY 2");
  while (PGresult* extra = PQgetResult(conn.get()))
    PQclear(extra);
  ASSERT_GT(data.size(), 21u);
  EXPECT_EQ(data.substr(0, 11), std::string("PGCOPY\n\377\r\n\0", 11));
  EXPECT_EQ(data.substr(data.size() - 2), "\xff\xff");

  PgResult in = Exec(conn.get(), "COPY bdst FROM STDIN (FORMAT binary)");
  ASSERT_EQ(PQresultStatus(in.get()), PGRES_COPY_IN) << PQresultErrorMessage(in.get());
  EXPECT_EQ(PQbinaryTuples(in.get()), 1);
  for (size_t at = 0; at < data.size(); at += 5) {
    const std::string piece = data.substr(at, 5);
    ASSERT_EQ(PQputCopyData(conn.get(), piece.data(), static_cast<int>(piece.size())), 1);
  }
  ASSERT_EQ(PQputCopyEnd(conn.get(), nullptr), 1);
  PgResult in_done(PQgetResult(conn.get()));
  ASSERT_EQ(PQresultStatus(in_done.get()), PGRES_COMMAND_OK) << PQresultErrorMessage(in_done.get());
  EXPECT_STREQ(PQcmdStatus(in_done.get()), "COPY 2");
  while (PGresult* extra = PQgetResult(conn.get()))
    PQclear(extra);
  auto rows = [&](const std::string& table) {
    PgResult r = Exec(conn.get(), "SELECT * FROM " + table + " ORDER BY id");
    std::string text;
    for (int row = 0; row < PQntuples(r.get()); ++row)
      for (int c = 0; c < PQnfields(r.get()); ++c)
        text += (PQgetisnull(r.get(), row, c) ? "NULL" : PQgetvalue(r.get(), row, c)) +
                std::string(c + 1 < PQnfields(r.get()) ? "|" : "\n");
    return text;
  };
  EXPECT_EQ(rows("bdst"), rows("bsrc"));
  EXPECT_NE(rows("bdst").find("1 year -3 days +04:05:06.5"), std::string::npos) << rows("bdst");
}

// CopyFail aborts the COPY (57014) and nothing is written; a bad row fails at once with
// its line number and 22P02, writes nothing, and the connection goes on.
TEST_F(PgWireTest, CopyFailAndBadRowsChangeNothing) {
  Start();
  Conn conn = Connect();
  ExecOk(conn.get(), "CREATE TABLE cf (id INT PRIMARY KEY, v TEXT) WITH (TYPE = 'SHARED')");
  PgResult started = Exec(conn.get(), "COPY cf FROM STDIN");
  ASSERT_EQ(PQresultStatus(started.get()), PGRES_COPY_IN);
  const std::string rows = "1\ta\n2\tb\n";
  ASSERT_EQ(PQputCopyData(conn.get(), rows.data(), static_cast<int>(rows.size())), 1);
  ASSERT_EQ(PQputCopyEnd(conn.get(), "client changed its mind"), 1);
  PgResult failed(PQgetResult(conn.get()));
  EXPECT_EQ(PQresultStatus(failed.get()), PGRES_FATAL_ERROR);
  EXPECT_STREQ(PQresultErrorField(failed.get(), PG_DIAG_SQLSTATE), "57014");
  EXPECT_NE(std::string(PQresultErrorMessage(failed.get())).find("client changed its mind"),
            std::string::npos);
  while (PGresult* extra = PQgetResult(conn.get()))
    PQclear(extra);
  PgResult count = Exec(conn.get(), "SELECT count(*) FROM cf");
  EXPECT_STREQ(PQgetvalue(count.get(), 0, 0), "0");

  PgResult again = Exec(conn.get(), "COPY cf FROM STDIN");
  ASSERT_EQ(PQresultStatus(again.get()), PGRES_COPY_IN);
  const std::string bad = "1\ta\n2\tb\nthree\tc\n4\td\n";
  // The server may answer the bad row before the end; libpq reports it at the end.
  PQputCopyData(conn.get(), bad.data(), static_cast<int>(bad.size()));
  PQputCopyEnd(conn.get(), nullptr);
  PgResult bad_result(PQgetResult(conn.get()));
  EXPECT_EQ(PQresultStatus(bad_result.get()), PGRES_FATAL_ERROR);
  EXPECT_STREQ(PQresultErrorField(bad_result.get(), PG_DIAG_SQLSTATE), "22P02");
  EXPECT_NE(std::string(PQresultErrorMessage(bad_result.get())).find("line 3, column id"),
            std::string::npos)
      << PQresultErrorMessage(bad_result.get());
  while (PGresult* extra = PQgetResult(conn.get()))
    PQclear(extra);
  PgResult after = Exec(conn.get(), "SELECT count(*) FROM cf");
  EXPECT_STREQ(PQgetvalue(after.get(), 0, 0), "0");

  // A simple query's statements after the COPY run once it ends.
  PgResult multi = Exec(conn.get(), "COPY cf FROM STDIN; INSERT INTO cf VALUES (99, 'after')");
  ASSERT_EQ(PQresultStatus(multi.get()), PGRES_COPY_IN);
  ASSERT_EQ(PQputCopyData(conn.get(), rows.data(), static_cast<int>(rows.size())), 1);
  ASSERT_EQ(PQputCopyEnd(conn.get(), nullptr), 1);
  std::vector<std::string> tags;
  while (PGresult* r = PQgetResult(conn.get())) {
    tags.push_back(PQcmdStatus(r));
    PQclear(r);
  }
  EXPECT_EQ(tags, (std::vector<std::string>{"COPY 2", "INSERT 0 1"}));
  PgResult final_count = Exec(conn.get(), "SELECT count(*) FROM cf");
  EXPECT_STREQ(PQgetvalue(final_count.get(), 0, 0), "3");

  // Over the extended protocol too (PQexecParams sends Parse/Bind/Execute/Sync).
  PgResult ext(PQexecParams(conn.get(), "COPY cf (id, v) FROM STDIN WITH (FORMAT csv)", 0, nullptr,
                            nullptr, nullptr, nullptr, 0));
  ASSERT_EQ(PQresultStatus(ext.get()), PGRES_COPY_IN) << PQresultErrorMessage(ext.get());
  const std::string csv = "10,x\n11,y\n";
  ASSERT_EQ(PQputCopyData(conn.get(), csv.data(), static_cast<int>(csv.size())), 1);
  ASSERT_EQ(PQputCopyEnd(conn.get(), nullptr), 1);
  PgResult ext_done(PQgetResult(conn.get()));
  EXPECT_STREQ(PQcmdStatus(ext_done.get()), "COPY 2") << PQresultErrorMessage(ext_done.get());
  while (PGresult* extra = PQgetResult(conn.get()))
    PQclear(extra);
  PgResult ext_count = Exec(conn.get(), "SELECT count(*) FROM cf");
  EXPECT_STREQ(PQgetvalue(ext_count.get(), 0, 0), "5");
}

}  // namespace
}  // namespace tenantdb::server::pgwire
