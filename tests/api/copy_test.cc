// COPY through the public API (tenantdb/copy.h): the CopyIn sink of COPY FROM STDIN fed
// in chunks, and COPY TO STDOUT read as one encoded line per row; what is written, and
// what is not when the load fails, is aborted or is abandoned.
#include <string>

#include "api_fixture.h"
#include "tenantdb/copy.h"

namespace tenantdb {
namespace {

class CopyApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    Ok("CREATE TABLE t (id INT PRIMARY KEY, v TEXT, n INT DEFAULT 5) WITH (TYPE = 'SHARED')");
  }
  std::string Count() { return Query("SELECT count(*) FROM t"); }
};

TEST_F(CopyApiTest, ChunksSplittingRowsLoadOnceFinished) {
  auto cursor = root_->Query("COPY t (id, v) FROM STDIN");
  ASSERT_TRUE(cursor.ok()) << cursor.status().ToString();
  ASSERT_NE((*cursor)->copy(), nullptr);
  EXPECT_EQ((*cursor)->copy()->direction, CopyInfo::Direction::kIn);
  EXPECT_EQ((*cursor)->copy()->num_columns, 2u);
  CopyIn* in = (*cursor)->copy_in();
  ASSERT_NE(in, nullptr);
  ASSERT_TRUE(in->Write("1\tone\n2\tt").ok());
  ASSERT_TRUE(in->Write("wo\n3\t\\N").ok());
  // Nothing is visible before Finish() (another session reads the committed table).
  auto other = db_->Connect("root", Role::kSystem);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(Query(**other, "SELECT count(*) FROM t"), "0\n");
  Result<uint64_t> rows = in->Finish();
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, 3u);
  EXPECT_EQ((*cursor)->command_tag(), "COPY 3");
  EXPECT_EQ((*cursor)->copy_in(), nullptr);
  EXPECT_EQ(Query("SELECT id, v, n FROM t ORDER BY id"), "1|one|5\n2|two|5\n3|NULL|5\n");
}

TEST_F(CopyApiTest, AbortAbandonAndBadRowsWriteNothing) {
  {
    auto cursor = root_->Query("COPY t (id, v) FROM STDIN");
    ASSERT_TRUE(cursor.ok());
    ASSERT_TRUE((*cursor)->copy_in()->Write("1\ta\n").ok());
    (*cursor)->copy_in()->Abort();
  }
  EXPECT_EQ(Count(), "0\n");
  {
    auto cursor = root_->Query("COPY t (id, v) FROM STDIN");
    ASSERT_TRUE(cursor.ok());
    ASSERT_TRUE((*cursor)->copy_in()->Write("1\ta\n").ok());
  }  // closed before Finish()
  EXPECT_EQ(Count(), "0\n");
  {
    auto cursor = root_->Query("COPY t (id, v) FROM STDIN WITH (FORMAT csv)");
    ASSERT_TRUE(cursor.ok());
    CopyIn* in = (*cursor)->copy_in();
    ASSERT_TRUE(in->Write("1,a\n2,b\n").ok());
    Status bad = in->Write("x,c\n");
    EXPECT_EQ(bad.code(), ErrorCode::kInvalidTextRepresentation);
    EXPECT_NE(std::string(bad.message()).find("COPY t, line 3, column id"), std::string::npos)
        << bad.message();
    EXPECT_EQ(in->Finish().status().code(), ErrorCode::kInvalidTextRepresentation);
  }
  EXPECT_EQ(Count(), "0\n");
  {
    auto cursor = root_->Query("COPY t (id, v) FROM STDIN");
    ASSERT_TRUE(cursor.ok());
    ASSERT_TRUE((*cursor)->copy_in()->Write("1\ta\n1\tagain\n").ok());
    EXPECT_EQ((*cursor)->copy_in()->Finish().status().code(), ErrorCode::kUniqueViolation);
  }
  EXPECT_EQ(Count(), "0\n");
  // Opening another statement abandons the load.
  auto cursor = root_->Query("COPY t (id, v) FROM STDIN");
  ASSERT_TRUE(cursor.ok());
  ASSERT_TRUE((*cursor)->copy_in()->Write("1\ta\n").ok());
  EXPECT_EQ(Count(), "0\n");
  EXPECT_EQ((*cursor)->copy_in(), nullptr);
}

TEST_F(CopyApiTest, ReadingACopyInCursorNeedsADataChannel) {
  auto cursor = root_->Query("COPY t FROM STDIN");
  ASSERT_TRUE(cursor.ok());
  Result<bool> next = (*cursor)->Next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.status().code(), ErrorCode::kFeatureNotSupported);
  EXPECT_EQ(next.status().sqlstate(), "0A000");
  auto executed = root_->Execute("COPY t FROM STDIN");
  EXPECT_EQ(executed.status().code(), ErrorCode::kFeatureNotSupported);
}

TEST_F(CopyApiTest, InsideATransactionTheRowsJoinIt) {
  Ok("BEGIN");
  auto cursor = root_->Query("COPY t (id) FROM STDIN");
  ASSERT_TRUE(cursor.ok());
  ASSERT_TRUE((*cursor)->copy_in()->Write("1\n2\n").ok());
  ASSERT_TRUE((*cursor)->copy_in()->Finish().ok());
  EXPECT_EQ(Count(), "2\n");
  Ok("ROLLBACK");
  EXPECT_EQ(Count(), "0\n");
  // A failed load fails the transaction, as any failed statement does.
  Ok("BEGIN");
  auto failing = root_->Query("COPY t (id) FROM STDIN");
  ASSERT_TRUE(failing.ok());
  EXPECT_FALSE((*failing)->copy_in()->Write("1\nnope\n").ok());
  EXPECT_EQ(root_->Execute("SELECT 1").status().code(), ErrorCode::kInvalidTransactionState);
  Ok("ROLLBACK");
}

TEST_F(CopyApiTest, ALoadPastStatementMemFailsCleanly) {
  Ok("SET statement_mem = '1MB'");
  auto cursor = root_->Query("COPY t (id, v) FROM STDIN");
  ASSERT_TRUE(cursor.ok());
  Status status = Status::Ok();
  const std::string filler(200, 'x');
  for (int i = 0; i < 20000 && status.ok(); ++i)
    status = (*cursor)->copy_in()->Write(std::to_string(i) + "\t" + filler + "\n");
  EXPECT_EQ(status.code(), ErrorCode::kOutOfMemory);
  cursor->reset();
  Ok("RESET statement_mem");
  EXPECT_EQ(Count(), "0\n");
}

// An autocommit load holds its pending rows encoded: 30,000 rows fit in 4MB, where
// rows held as values (about 450 bytes each with the overlay) would not.
TEST_F(CopyApiTest, AnAutocommitLoadHoldsItsRowsEncoded) {
  Ok("SET statement_mem = '4MB'");
  auto cursor = root_->Query("COPY t (id, v) FROM STDIN");
  ASSERT_TRUE(cursor.ok());
  std::string chunk;
  for (int i = 0; i < 30000; ++i)
    chunk += std::to_string(i) + "\tv" + std::to_string(i % 7) + "\n";
  ASSERT_TRUE((*cursor)->copy_in()->Write(chunk).ok());
  Result<uint64_t> rows = (*cursor)->copy_in()->Finish();
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, 30000u);
  cursor->reset();
  Ok("RESET statement_mem");
  EXPECT_EQ(Query("SELECT count(*), sum(id), min(v), max(n) FROM t"), "30000|449985000|v0|5\n");
  // A repeated key still fails the whole load at its commit.
  auto again = root_->Query("COPY t (id) FROM STDIN");
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE((*again)->copy_in()->Write("40000\n7\n").ok());
  EXPECT_EQ((*again)->copy_in()->Finish().status().code(), ErrorCode::kUniqueViolation);
  again->reset();
  EXPECT_EQ(Count(), "30000\n");
}

// pgbench -i: BEGIN; COPY into a table keyed by its generated _rowid; COMMIT. The rows wait
// encoded; a read or another write of the table in the transaction sees them, in order.
TEST_F(CopyApiTest, InsideATransactionAKeylessTablesLoadWaitsEncoded) {
  Ok("CREATE TABLE k (a INT, b TEXT) WITH (TYPE = 'SHARED')");
  Ok("SET statement_mem = '4MB'");
  Ok("BEGIN");
  auto cursor = root_->Query("COPY k FROM STDIN");
  ASSERT_TRUE(cursor.ok());
  std::string chunk;
  for (int i = 0; i < 30000; ++i)
    chunk += std::to_string(i) + "\tb\n";
  ASSERT_TRUE((*cursor)->copy_in()->Write(chunk).ok());
  ASSERT_TRUE((*cursor)->copy_in()->Finish().ok());
  cursor->reset();
  EXPECT_EQ(Query("SELECT count(*) FROM k"), "30000\n");
  Ok("DELETE FROM k WHERE a < 100");
  auto more = root_->Query("COPY k FROM STDIN");
  ASSERT_TRUE(more.ok());
  ASSERT_TRUE((*more)->copy_in()->Write("5\tagain\n").ok());
  ASSERT_TRUE((*more)->copy_in()->Finish().ok());
  more->reset();
  auto other = db_->Connect("root", Role::kSystem);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(Query(**other, "SELECT count(*) FROM k"), "0\n");
  Ok("COMMIT");
  Ok("RESET statement_mem");
  EXPECT_EQ(Query("SELECT count(*), min(a), count(*) FILTER (WHERE b = 'again') FROM k"),
            "29901|5|1\n");
}

TEST_F(CopyApiTest, CopyToStdoutIsOneEncodedLinePerRow) {
  Ok("INSERT INTO t VALUES (1, 'a,b', 1), (2, NULL, 2), (3, '', 3)");
  auto cursor = root_->Query("COPY t (id, v) TO STDOUT WITH (FORMAT csv, HEADER true)");
  ASSERT_TRUE(cursor.ok()) << cursor.status().ToString();
  ASSERT_NE((*cursor)->copy(), nullptr);
  EXPECT_EQ((*cursor)->copy()->direction, CopyInfo::Direction::kOut);
  EXPECT_EQ((*cursor)->copy()->num_columns, 2u);
  EXPECT_EQ((*cursor)->command(), "COPY");
  EXPECT_EQ(Rows(**cursor), "id,v\n\n1,\"a,b\"\n\n2,\n\n3,\"\"\n\n");
  EXPECT_EQ((*cursor)->command_tag(), "COPY 3");
  EXPECT_EQ(Query("COPY (SELECT id * 2 FROM t ORDER BY id) TO STDOUT"), "2\n\n4\n\n6\n\n");
}

}  // namespace
}  // namespace tenantdb
