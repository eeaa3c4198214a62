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
