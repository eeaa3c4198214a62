// The public embedding API (include/tenantdb/) end to end, through its headers only.
#include <thread>

#include "api_fixture.h"

namespace tenantdb {
namespace {

TEST_F(ApiTest, CursorKnowsColumnsAndCommandBeforeTheFirstRow) {
  Ok("CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT, score DOUBLE)");
  Ok("INSERT INTO t VALUES (1, 'a', 1.5), (2, 'b', 2.5)");
  auto cursor = root_->Query("SELECT id, name AS who, score FROM t ORDER BY id");
  ASSERT_TRUE(cursor.ok()) << cursor.status().ToString();
  Cursor& c = **cursor;
  EXPECT_EQ(c.command(), "SELECT");
  EXPECT_TRUE(c.returns_rows());
  ASSERT_EQ(c.columns().size(), 3u);
  EXPECT_EQ(c.columns()[0].name, "id");
  EXPECT_EQ(c.columns()[0].type, DataType::kBigInt);
  EXPECT_EQ(c.columns()[1].name, "who");
  EXPECT_EQ(c.columns()[1].type, DataType::kText);
  EXPECT_EQ(c.columns()[2].type, DataType::kDouble);
  EXPECT_EQ(c.command_tag(), "");  // a SELECT's count is known at its end
  EXPECT_EQ(c.batch().num_rows(), 0u);
  EXPECT_EQ(Rows(c), "1|a|1.5\n2|b|2.5\n");
  EXPECT_EQ(c.command_tag(), "SELECT 2");
  EXPECT_EQ(c.rows_affected(), 2u);
  EXPECT_TRUE(c.closed());
  EXPECT_FALSE(c.Next().value());  // stays at the end
}

TEST_F(ApiTest, WritesReportTheirTagAndReturningRows) {
  Ok("CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT)");
  auto insert = root_->Query(
      "INSERT INTO t VALUES ($1, $2), ($3, $4)",
      {Value::BigInt(1), Value::Text("a"), Value::BigInt(2), Value::Null(DataType::kText)});
  ASSERT_TRUE(insert.ok()) << insert.status().ToString();
  EXPECT_EQ((*insert)->command(), "INSERT");
  EXPECT_FALSE((*insert)->returns_rows());
  EXPECT_TRUE((*insert)->columns().empty());
  EXPECT_EQ((*insert)->rows_affected(), 2u);
  EXPECT_FALSE((*insert)->Next().value());
  EXPECT_EQ((*insert)->command_tag(), "INSERT 0 2");

  auto update = root_->Query("UPDATE t SET name = 'z' WHERE id = 2 RETURNING id, name");
  ASSERT_TRUE(update.ok()) << update.status().ToString();
  EXPECT_EQ((*update)->command(), "UPDATE");
  ASSERT_EQ((*update)->columns().size(), 2u);
  EXPECT_EQ(Rows(**update), "2|z\n");
  EXPECT_EQ((*update)->command_tag(), "UPDATE 1");

  auto create = root_->Query("CREATE TABLE u (id INT PRIMARY KEY)");
  ASSERT_TRUE(create.ok());
  EXPECT_EQ((*create)->command(), "CREATE TABLE");
  EXPECT_EQ((*create)->command_tag(), "CREATE TABLE");
}

TEST_F(ApiTest, TypedAccessorsReadTheirTypesAndRefuseNullAndMismatches) {
  Ok("CREATE TABLE t (id BIGINT PRIMARY KEY, s SMALLINT, i INT, r REAL, d DOUBLE, b BOOLEAN, "
     "txt TEXT, by BYTEA, j JSON, u UUID, dt DATE, ts TIMESTAMP)");
  Ok("INSERT INTO t VALUES (1, 2, 3, 1.5, 2.25, true, 'héllo', '\\x0102', '{\"a\":1}', "
     "'00112233-4455-6677-8899-aabbccddeeff', '1970-01-11', '1970-01-01 00:00:01')");
  Ok("INSERT INTO t (id) VALUES (2)");
  auto cursor = root_->Query("SELECT * FROM t ORDER BY id");
  ASSERT_TRUE(cursor.ok()) << cursor.status().ToString();
  Cursor& c = **cursor;
  ASSERT_TRUE(c.Next().value());
  const RowBatch& b = c.batch();
  ASSERT_EQ(b.num_rows(), 2u);
  ASSERT_EQ(b.num_columns(), 12u);
  EXPECT_EQ(b.GetInt64(0, 0).value(), 1);
  EXPECT_EQ(b.GetInt64(0, 1).value(), 2);
  EXPECT_EQ(b.GetInt64(0, 2).value(), 3);
  EXPECT_EQ(b.GetDouble(0, 3).value(), 1.5);
  EXPECT_EQ(b.GetDouble(0, 4).value(), 2.25);
  EXPECT_TRUE(b.GetBool(0, 5).value());
  EXPECT_EQ(b.GetText(0, 6).value(), "héllo");
  EXPECT_EQ(b.GetBytes(0, 7).value(), std::string("\x01\x02", 2));
  EXPECT_EQ(b.GetText(0, 8).value(), "{\"a\":1}");
  EXPECT_EQ(b.GetBytes(0, 9).value().size(), 16u);
  EXPECT_EQ(static_cast<uint8_t>(b.GetBytes(0, 9).value()[15]), 0xff);
  EXPECT_EQ(b.GetInt64(0, 10).value(), 10);         // days since 1970-01-01
  EXPECT_EQ(b.GetInt64(0, 11).value(), 1'000'000);  // microseconds
  EXPECT_EQ(b.GetValue(0, 6).value(), Value::Text("héllo"));

  // Row 2: every column but the key is NULL.
  EXPECT_FALSE(b.IsNull(1, 0));
  EXPECT_TRUE(b.IsNull(1, 6));
  auto null_text = b.GetText(1, 6);
  ASSERT_FALSE(null_text.ok());
  EXPECT_EQ(null_text.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(b.GetValue(1, 6).value(), Value::Null(DataType::kText));
  EXPECT_FALSE(b.GetInt64(1, 1).ok());

  // The wrong accessor for the type.
  auto mismatch = b.GetText(0, 0);
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.status().code(), ErrorCode::kTypeMismatch);
  EXPECT_EQ(mismatch.status().sqlstate(), "42804");
  EXPECT_EQ(b.GetDouble(0, 0).status().code(), ErrorCode::kTypeMismatch);
  EXPECT_EQ(b.GetBool(0, 6).status().code(), ErrorCode::kTypeMismatch);
  EXPECT_EQ(b.GetInt64(0, 4).status().code(), ErrorCode::kTypeMismatch);

  // Out of range.
  EXPECT_EQ(b.GetInt64(2, 0).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(b.GetInt64(0, 12).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(b.IsNull(5, 0));
  EXPECT_FALSE(c.Next().value());
  EXPECT_EQ(c.batch().num_rows(), 0u);
  EXPECT_EQ(c.batch().GetInt64(0, 0).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(ApiTest, CloseMidStreamThenNewStatementsWork) {
  Ok("CREATE TABLE t (id BIGINT PRIMARY KEY)");
  Ok("INSERT INTO t SELECT a.id * 10 + b.id FROM (VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),"
     "(9)) AS a(id), (VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)) AS b(id)");
  auto cursor = root_->Query("SELECT id FROM t ORDER BY id");
  ASSERT_TRUE(cursor.ok()) << cursor.status().ToString();
  ASSERT_TRUE((*cursor)->Next().value());
  EXPECT_EQ((*cursor)->batch().GetInt64(0, 0).value(), 0);
  (*cursor)->Close();
  EXPECT_TRUE((*cursor)->closed());
  EXPECT_EQ((*cursor)->batch().num_rows(), 0u);
  auto after = (*cursor)->Next();
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.status().code(), ErrorCode::kInvalidArgument);
  (*cursor)->Close();  // idempotent

  EXPECT_EQ(Query("SELECT count(*) FROM t"), "100\n");
  Ok("INSERT INTO t VALUES (1000)");
  EXPECT_EQ(Query("SELECT count(*) FROM t"), "101\n");
}

TEST_F(ApiTest, ASecondQueryClosesTheOpenCursor) {
  Ok("CREATE TABLE t (id BIGINT PRIMARY KEY)");
  Ok("INSERT INTO t VALUES (1), (2)");
  auto first = root_->Query("SELECT id FROM t");
  ASSERT_TRUE(first.ok());
  auto second = root_->Query("SELECT id FROM t WHERE id = 2");
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE((*first)->closed());
  auto r = (*first)->Next();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Rows(**second), "2\n");
  // Execute() also closes it.
  auto third = root_->Query("SELECT id FROM t");
  ASSERT_TRUE(third.ok());
  Ok("INSERT INTO t VALUES (3)");
  EXPECT_FALSE((*third)->Next().ok());
}

TEST_F(ApiTest, PreparedStatementsRunWithParameters) {
  Ok("CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT)");
  auto insert = root_->Prepare("INSERT INTO t VALUES ($1, $2)");
  ASSERT_TRUE(insert.ok()) << insert.status().ToString();
  EXPECT_EQ((*insert)->num_parameters(), 2u);
  for (int64_t i = 1; i <= 3; ++i) {
    auto c = root_->Query(**insert, {Value::BigInt(i), Value::Text("n" + std::to_string(i))});
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    EXPECT_EQ((*c)->command_tag(), "INSERT 0 1");
  }
  auto select = root_->Prepare("SELECT name FROM t WHERE id >= $1 ORDER BY id");
  ASSERT_TRUE(select.ok()) << select.status().ToString();
  EXPECT_EQ((*select)->num_parameters(), 1u);
  auto c = root_->Query(**select, {Value::BigInt(2)});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ((*c)->columns()[0].type, DataType::kText);
  EXPECT_EQ(Rows(**c), "n2\nn3\n");
  EXPECT_EQ((*c)->command_tag(), "SELECT 2");

  // A prepared statement belongs to its session.
  auto other = db_->Connect("root", Role::kSystem);
  ASSERT_TRUE(other.ok());
  auto foreign = (*other)->Query(**select, {Value::BigInt(1)});
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(ApiTest, ErrorsCarryStableCodesAndSqlStates) {
  auto syntax = root_->Query("SELEC 1");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.status().code_name(), "syntax_error");
  EXPECT_EQ(syntax.status().sqlstate(), "42601");

  auto two = root_->Query("SELECT 1; SELECT 2");
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.status().sqlstate(), "42601");

  auto missing = root_->Query("SELECT * FROM nowhere");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().sqlstate(), "42P01");

  Ok("CREATE TABLE t (id BIGINT PRIMARY KEY)");
  Ok("INSERT INTO t VALUES (1)");
  auto dup = root_->Execute("INSERT INTO t VALUES (1)");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().sqlstate(), "23505");

  // An error while rows are pulled comes from Next().
  auto div = root_->Query("SELECT 1 / (id - 1) FROM t");
  ASSERT_TRUE(div.ok()) << div.status().ToString();
  auto next = (*div)->Next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.status().sqlstate(), "22012");
  EXPECT_TRUE((*div)->closed());

  auto bad_user = db_->Connect("not a name", Role::kUser);
  ASSERT_FALSE(bad_user.ok());
  EXPECT_EQ(bad_user.status().code(), ErrorCode::kInvalidIdentifier);
  auto bad_root = db_->Connect("root", Role::kUser);
  ASSERT_FALSE(bad_root.ok());
  EXPECT_EQ(bad_root.status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(ApiTest, ExecuteRunsAScriptAndReportsTheLastStatement) {
  auto r = root_->Execute(
      "CREATE TABLE t (id BIGINT PRIMARY KEY); INSERT INTO t VALUES (1), (2), (3); "
      "DELETE FROM t WHERE id > $1",
      {Value::BigInt(1)});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->command_tag, "DELETE 2");
  EXPECT_EQ(r->rows_affected, 2u);
  auto s = root_->Execute("SELECT * FROM t");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->command_tag, "SELECT 1");
  auto empty = root_->Execute("  ");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->command_tag, "");
}

TEST_F(ApiTest, SessionStateIsVisible) {
  auto alice = db_->Connect("alice", Role::kUser);
  ASSERT_TRUE(alice.ok()) << alice.status().ToString();
  EXPECT_EQ((*alice)->user(), "alice");
  EXPECT_EQ((*alice)->role(), Role::kUser);
  EXPECT_EQ(root_->current_namespace(), "default");
  Ok("CREATE NAMESPACE chat");
  Ok("USE chat");
  EXPECT_EQ(root_->current_namespace(), "chat");
  EXPECT_FALSE(root_->in_transaction());
  Ok("BEGIN");
  EXPECT_TRUE(root_->in_transaction());
  Ok("ROLLBACK");
  EXPECT_FALSE(root_->in_transaction());
}

TEST_F(ApiTest, UseSetsTheNamespaceWithoutAStatement) {
  Ok("CREATE NAMESPACE chat");
  Ok("CREATE TABLE chat.rooms (id BIGINT PRIMARY KEY)");
  Ok("INSERT INTO chat.rooms VALUES (7)");
  ASSERT_TRUE(root_->Use("chat").ok());
  EXPECT_EQ(root_->current_namespace(), "chat");
  auto rows = root_->Execute("SELECT id FROM rooms");  // unqualified: resolves in chat
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  // PostgreSQL's name for the default namespace.
  ASSERT_TRUE(root_->Use("public").ok());
  EXPECT_EQ(root_->current_namespace(), "default");

  const Status missing = root_->Use("nowhere");
  EXPECT_EQ(missing.code(), ErrorCode::kUndefinedTable);
  EXPECT_EQ(missing.sqlstate(), "42P01");
  EXPECT_EQ(root_->current_namespace(), "default");  // unchanged

  // A namespace found once and then dropped is not found again (the existence cache
  // forgets it), by Use() and by the statement alike.
  ASSERT_TRUE(root_->Use("chat").ok());
  Ok("USE default");
  Ok("DROP NAMESPACE chat CASCADE");
  EXPECT_EQ(root_->Use("chat").code(), ErrorCode::kUndefinedTable);
  auto use = root_->Execute("USE chat");
  ASSERT_FALSE(use.ok());
  EXPECT_EQ(use.status().code(), ErrorCode::kUndefinedTable);
  EXPECT_EQ(root_->current_namespace(), "default");
  Ok("CREATE NAMESPACE chat");
  EXPECT_TRUE(root_->Use("chat").ok());
}

TEST_F(ApiTest, CancelStopsTheCursorAtItsNextBatch) {
  Ok("CREATE TABLE t (id BIGINT PRIMARY KEY)");
  Ok("INSERT INTO t VALUES (1), (2)");
  auto cursor = root_->Query("SELECT id FROM t");
  ASSERT_TRUE(cursor.ok());
  std::thread other([&] { root_->Cancel(); });  // from another thread
  other.join();
  auto next = (*cursor)->Next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.status().code(), ErrorCode::kQueryCanceled);
  EXPECT_EQ(next.status().sqlstate(), "57014");
  EXPECT_TRUE((*cursor)->closed());
  // The next statement runs normally: the cancel was for the one that ran.
  EXPECT_EQ(Query("SELECT count(*) FROM t"), "2\n");

  // Cancelled inside a transaction: the transaction fails, as any failed statement.
  Ok("BEGIN");
  Ok("INSERT INTO t VALUES (3)");
  auto in_txn = root_->Query("SELECT id FROM t");
  ASSERT_TRUE(in_txn.ok());
  root_->Cancel();
  EXPECT_FALSE((*in_txn)->Next().ok());
  auto refused = root_->Execute("SELECT 1");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), ErrorCode::kInvalidTransactionState);
  Ok("ROLLBACK");
  EXPECT_EQ(Query("SELECT count(*) FROM t"), "2\n");
}

TEST_F(ApiTest, ACursorOutlivingItsSessionFailsCleanly) {
  Ok("CREATE TABLE t (id BIGINT PRIMARY KEY)");
  Ok("INSERT INTO t VALUES (1)");
  auto cursor = root_->Query("SELECT id FROM t");
  ASSERT_TRUE(cursor.ok());
  root_.reset();
  EXPECT_TRUE((*cursor)->closed());
  EXPECT_FALSE((*cursor)->Next().ok());
}

TEST_F(ApiTest, AutocommitSelectReadsSeeEarlierWritesAndTransactionsSeeTheirOwn) {
  Ok("CREATE TABLE t (id BIGINT PRIMARY KEY)");
  Ok("BEGIN");
  Ok("INSERT INTO t VALUES (7)");
  EXPECT_EQ(Query("SELECT id FROM t"), "7\n");
  auto other = db_->Connect("root", Role::kSystem);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(Query(**other, "SELECT count(*) FROM t"), "0\n");
  Ok("COMMIT");
  EXPECT_EQ(Query(**other, "SELECT count(*) FROM t"), "1\n");
}

}  // namespace
}  // namespace tenantdb
