// The shell's reading of a server's JSON answers (remote_result.h) and of the statements
// whose effect it must carry between requests (remote_session.h), and the URL parsing
// of --url (remote_http.h). The end-to-end run against `tenantdb serve` is
// remote_shell_test.sh.
#include <gtest/gtest.h>

#include "cli/remote_http.h"
#include "cli/remote_result.h"
#include "cli/remote_session.h"
#include "cli/result_printer.h"

namespace tenantdb::cli {
namespace {

TEST(RemoteResult, ReadsRowsIntoTheColumnTypes) {
  const std::string body = R"({"status":"success","results":[{
      "schema":[{"name":"id","data_type":"BIGINT","index":0},
                {"name":"name","data_type":"TEXT","index":1},
                {"name":"big","data_type":"BIGINT","index":2},
                {"name":"at","data_type":"TIMESTAMPTZ","index":3},
                {"name":"doc","data_type":"JSON","index":4},
                {"name":"raw","data_type":"BYTEA","index":5},
                {"name":"ok","data_type":"BOOLEAN","index":6},
                {"name":"x","data_type":"DOUBLE","index":7}],
      "rows":[[1,"alice","9007199254740993","2024-05-01T12:30:00Z",{"a":[1,2]},"aGk=",true,1.5],
              [2,null,null,null,null,null,false,null]],
      "row_count":2,"message":"SELECT 2"}],"took":0.4})";
  auto results = ParseSqlResponse(200, body);
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  ASSERT_EQ(results->size(), 1u);
  const sql::QueryResult& r = results->front();
  ASSERT_TRUE(r.returns_rows());
  EXPECT_EQ(r.num_rows(), 2u);
  EXPECT_EQ(r.command_tag, "SELECT 2");
  EXPECT_EQ(r.Get(0, 0).ToString(), "1");
  EXPECT_EQ(r.Get(0, 1).ToString(), "alice");
  EXPECT_EQ(r.Get(0, 2).ToString(), "9007199254740993");  // beyond 2^53, exact
  EXPECT_EQ(r.Get(0, 3).type(), DataType::kTimestampTz);
  EXPECT_EQ(r.Get(0, 4).ToString(), R"({"a":[1,2]})");
  EXPECT_EQ(r.Get(0, 5).type(), DataType::kBytea);
  EXPECT_EQ(r.Get(0, 6).ToString(), "t");  // as PostgreSQL prints it
  EXPECT_EQ(r.Get(0, 7).ToString(), "1.5");
  EXPECT_TRUE(r.Get(1, 1).is_null());
  // Printed as the embedded shell prints: numbers right-aligned, "(2 rows)".
  const std::string table = FormatTable(r);
  EXPECT_NE(table.find("(2 rows)"), std::string::npos) << table;
  EXPECT_NE(table.find("alice"), std::string::npos) << table;
}

TEST(RemoteResult, AColumnThatDoesNotConvertIsShownAsText) {
  const std::string body = R"({"status":"success","results":[{
      "schema":[{"name":"d","data_type":"DATE","index":0}],
      "rows":[["2024-01-02"],["not a date"]],"row_count":2}]})";
  auto results = ParseSqlResponse(200, body);
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  const sql::QueryResult& r = results->front();
  EXPECT_EQ(r.schema->field(0).type, DataType::kText);
  EXPECT_EQ(r.Get(1, 0).ToString(), "not a date");
  EXPECT_EQ(r.command_tag, "SELECT 2");
}

TEST(RemoteResult, CommandsWithoutRows) {
  auto results =
      ParseSqlResponse(200, R"({"status":"success","results":[{"schema":[],"rows":[],"row_count":1,
               "message":"INSERT 0 1"},{"row_count":0,"message":"CREATE TABLE"}],"took":1})");
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  ASSERT_EQ(results->size(), 2u);
  EXPECT_FALSE((*results)[0].returns_rows());
  EXPECT_EQ((*results)[0].command_tag, "INSERT 0 1");
  EXPECT_EQ((*results)[0].rows_affected, 1u);
  EXPECT_EQ(FormatTable((*results)[1]), "CREATE TABLE\n");
}

TEST(RemoteResult, ErrorsKeepCodeAndPositionForTheCaret) {
  const std::string body =
      R"({"status":"error","error":{"code":"undefined_column","sqlstate":"42703",
          "message":"column \"nme\" does not exist","position":8}})";
  auto results = ParseSqlResponse(400, body);
  ASSERT_FALSE(results.ok());
  EXPECT_EQ(results.status().code(), ErrorCode::kUndefinedColumn);
  const std::string printed = FormatError(results.status(), "SELECT nme FROM t");
  EXPECT_NE(printed.find("ERROR:  undefined_column (42703)"), std::string::npos) << printed;
  EXPECT_NE(printed.find("LINE 1: SELECT nme FROM t\n               ^"), std::string::npos)
      << printed;
}

TEST(RemoteResult, UnknownCodesAndNonJsonAnswers) {
  Status s = ErrorFromResponse(
      500, R"({"status":"error","error":{"code":"brand_new","sqlstate":"XX999","message":"m"}})");
  EXPECT_EQ(s.code(), ErrorCode::kInternal);
  EXPECT_NE(std::string(s.message()).find("brand_new"), std::string::npos);
  // An unknown name with a known SQLSTATE maps through the SQLSTATE.
  s = ErrorFromResponse(
      400, R"({"status":"error","error":{"code":"renamed","sqlstate":"42P01","message":"m"}})");
  EXPECT_EQ(s.code(), ErrorCode::kUndefinedTable);
  s = ErrorFromResponse(401, "<html>nope</html>");
  EXPECT_EQ(s.code(), ErrorCode::kInvalidAuthorization);
  s = ErrorFromResponse(404, "");
  EXPECT_NE(std::string(s.message()).find("404"), std::string::npos);
  auto bad = ParseSqlResponse(200, R"({"status":"success"})");
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidRequest);
  bad = ParseSqlResponse(200, R"({"status":"success","results":[{"schema":[{"name":"a",
      "data_type":"INT"}],"rows":[[1,2]]}]})");
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidRequest);
  bad = ParseSqlResponse(200, "not json");
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidRequest);
}

TEST(RemoteResult, Login) {
  auto ok = ParseLoginResponse(
      200, R"({"access_token":"t.k.n","refresh_token":"r","expires_at":"2030-01-01T00:00:00Z",
               "user":{"id":"alice","role":"user"}})");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->access_token, "t.k.n");
  EXPECT_EQ(ok->role, "user");
  auto wrong = ParseLoginResponse(
      401, R"({"status":"error","error":{"code":"invalid_password","sqlstate":"28P01",
               "message":"password authentication failed for user \"alice\""}})");
  EXPECT_EQ(wrong.status().code(), ErrorCode::kInvalidPassword);
  EXPECT_FALSE(ParseLoginResponse(200, R"({"user":{}})").ok());
}

TEST(RemoteResult, RequestBodiesAreEscapedJson) {
  EXPECT_EQ(SqlRequestJson("SELECT 'a\"b'\n", "chat"),
            R"({"sql":"SELECT 'a\"b'\n","namespace_id":"chat"})");
  EXPECT_EQ(LoginRequestJson("alice", "p\\w"), R"({"username":"alice","password":"p\\w"})");
}

TEST(RemoteSessionStatements, UseAndSessionStatements) {
  using Kind = SessionEffect::Kind;
  EXPECT_EQ(ClassifyStatement("USE chat").use_namespace, "chat");
  EXPECT_EQ(ClassifyStatement("  -- go\n use Chat ").use_namespace, "chat");
  EXPECT_EQ(ClassifyStatement("USE \"My\"\"Ns\"").use_namespace, "My\"Ns");
  EXPECT_FALSE(ClassifyStatement("USE chat extra").use_namespace);
  EXPECT_FALSE(ClassifyStatement("SELECT 1").use_namespace);
  EXPECT_EQ(ClassifyStatement("SELECT 1").kind, Kind::kOther);
  for (const char* s : {"BEGIN", "begin transaction", "/* c */ START TRANSACTION"})
    EXPECT_EQ(ClassifyStatement(s).kind, Kind::kBegin) << s;
  for (const char* s : {"COMMIT", "end", "commit work"})
    EXPECT_EQ(ClassifyStatement(s).kind, Kind::kCommit) << s;
  for (const char* s : {"ROLLBACK", "abort", "rollback work"})
    EXPECT_EQ(ClassifyStatement(s).kind, Kind::kRollback) << s;
  EXPECT_EQ(ClassifyStatement("ROLLBACK TO SAVEPOINT a").kind, Kind::kOther);
  EXPECT_EQ(ClassifyStatement("ROLLBACK WORK TO a").kind, Kind::kOther);

  SessionEffect set = ClassifyStatement("SET statement_timeout = '1s'");
  EXPECT_EQ(set.kind, Kind::kSet);
  EXPECT_EQ(set.name, "statement_timeout");
  EXPECT_EQ(ClassifyStatement("set SESSION Statement_Mem TO '8MB'").name, "statement_mem");
  EXPECT_EQ(ClassifyStatement("SET app.tenant = 'x'").name, "app.tenant");
  EXPECT_EQ(ClassifyStatement("SET LOCAL statement_timeout = 5").kind, Kind::kOther);
  EXPECT_EQ(ClassifyStatement("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE").kind, Kind::kOther);
  SessionEffect reset = ClassifyStatement("RESET ALL");
  EXPECT_EQ(reset.kind, Kind::kReset);
  EXPECT_EQ(reset.name, "all");
  EXPECT_EQ(ClassifyStatement("SHOW statement_timeout").kind, Kind::kOther);

  SessionEffect prepare = ClassifyStatement("PREPARE Recent (BIGINT) AS SELECT $1");
  EXPECT_EQ(prepare.kind, Kind::kPrepare);
  EXPECT_EQ(prepare.name, "recent");
  SessionEffect execute = ClassifyStatement("EXECUTE recent(5)");
  EXPECT_EQ(execute.kind, Kind::kExecute);
  EXPECT_EQ(execute.name, "recent");
  EXPECT_EQ(ClassifyStatement("EXECUTE AS USER 'bob' (SELECT 1)").kind, Kind::kOther);
  EXPECT_EQ(ClassifyStatement("DEALLOCATE PREPARE \"Q\"").name, "Q");
  SessionEffect all = ClassifyStatement("DEALLOCATE ALL");
  EXPECT_EQ(all.kind, Kind::kDeallocate);
  EXPECT_EQ(all.name, "");
}

TEST(RemoteResult, ErrorAnswersKeepTheResultsThatCompleted) {
  // Two statements completed, the third failed while its rows were being written (a
  // result cut off: no "message").
  const std::string body =
      R"({"status":"error","results":[{"schema":[],"rows":[],"row_count":0,"message":"BEGIN"},)"
      R"({"schema":[{"name":"n","data_type":"BIGINT","index":0}],"rows":[[1]],"row_count":1,)"
      R"("message":"SELECT 1"},{"schema":[{"name":"d","data_type":"BIGINT","index":0}],)"
      R"("rows":[[1]],"row_count":1}],"error":{"code":"division_by_zero","sqlstate":"22012",)"
      R"("message":"division by zero"},"took":1.0})";
  Result<SqlAnswer> answer = ParseSqlAnswer(400, body);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  ASSERT_EQ(answer->results.size(), 2u);
  EXPECT_EQ(answer->results[0].command_tag, "BEGIN");
  EXPECT_EQ(answer->results[1].command_tag, "SELECT 1");
  EXPECT_EQ(answer->error.code(), ErrorCode::kDivisionByZero);
  // Streamed: HTTP 200, "status" last.
  answer = ParseSqlAnswer(200, R"({"results":[],"status":"error","error":{"code":"query_canceled",)"
                               R"("sqlstate":"57014","message":"canceled"}})");
  ASSERT_TRUE(answer.ok());
  EXPECT_TRUE(answer->results.empty());
  EXPECT_EQ(answer->error.code(), ErrorCode::kQueryCanceled);
  answer = ParseSqlAnswer(200, R"({"status":"success","results":[{"message":"COMMIT"}]})");
  ASSERT_TRUE(answer.ok());
  EXPECT_TRUE(answer->error.ok());
  EXPECT_EQ(answer->results.at(0).command_tag, "COMMIT");
  EXPECT_FALSE(ParseSqlAnswer(200, R"({"status":"success"})").ok());
}

TEST(RemoteHttp, ParsesUrls) {
  auto u = ParseHttpUrl("http://127.0.0.1:8080");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, "8080");
  EXPECT_EQ(u->base_path, "");
  u = ParseHttpUrl("http://db.example/prefix/");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->port, "80");
  EXPECT_EQ(u->base_path, "/prefix");
  u = ParseHttpUrl("http://[::1]:9000");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, "9000");
  EXPECT_EQ(ParseHttpUrl("https://x").status().code(), ErrorCode::kFeatureNotSupported);
  EXPECT_EQ(ParseHttpUrl("127.0.0.1:8080").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ParseHttpUrl("http://h:0").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ParseHttpUrl("http://h:99999").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ParseHttpUrl("http://:80").status().code(), ErrorCode::kInvalidArgument);
}

// A server that is not there: a clear io_error, no hang.
TEST(RemoteHttp, RefusedConnectionIsAnIoError) {
  auto u = ParseHttpUrl("http://127.0.0.1:1");
  ASSERT_TRUE(u.ok());
  HttpClient client(*u, 1 << 20);
  auto r = client.PostJson("/v1/api/sql", "{}", "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kIoError);
  EXPECT_NE(std::string(r.status().message()).find("cannot connect to http://127.0.0.1:1"),
            std::string::npos)
      << r.status().ToString();
}

}  // namespace
}  // namespace tenantdb::cli
