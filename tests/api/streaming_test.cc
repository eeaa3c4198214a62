// A SELECT read through the public Cursor is produced batch by batch as it is pulled:
// the probe is the statement's count of rows handed out by its operator tree
// (engine/engine_access.h), not time.
#include "api_fixture.h"
#include "engine/engine_access.h"

namespace tenantdb {
namespace {

class StreamingTest : public ApiTest {
 protected:
  void MakeTen() {
    Ok("CREATE TABLE ten (x BIGINT PRIMARY KEY)");
    Ok("INSERT INTO ten VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)");
  }
  // big: 10,000 rows (3 hot-scan batches: 4,096, 4,096, 1,808); hundred: 100 rows. Their
  // cross join is 1,000,000 rows, produced one left batch (409,600 rows) at a time.
  void MakeTables() {
    MakeTen();
    Ok("CREATE TABLE hundred (x BIGINT PRIMARY KEY)");
    Ok("INSERT INTO hundred SELECT a.x * 10 + b.x FROM ten a, ten b");
    Ok("CREATE TABLE big (x BIGINT PRIMARY KEY)");
    Ok("INSERT INTO big SELECT a.x * 100 + b.x FROM hundred a, hundred b");
  }
  static constexpr const char* kCrossJoin = "SELECT big.x, hundred.x FROM big CROSS JOIN hundred";
};

TEST_F(StreamingTest, ClosingAfterTheFirstBatchNeverProducesTheRest) {
  MakeTables();
  auto cursor = root_->Query(kCrossJoin);
  ASSERT_TRUE(cursor.ok()) << cursor.status().ToString();
  const EngineStatement& probe = EngineAccess::Of(**cursor);
  EXPECT_EQ(probe.rows_produced(), 0u);  // opening runs nothing
  ASSERT_TRUE((*cursor)->Next().value());
  const size_t first = (*cursor)->batch().num_rows();
  EXPECT_GT(first, 0u);
  EXPECT_EQ(probe.rows_produced(), first);
  EXPECT_LT(first, 1'000'000u / 2);
  (*cursor)->Close();
  EXPECT_EQ(probe.rows_produced(), first);  // the other batches were never made
  EXPECT_EQ(Query("SELECT count(*) FROM big"), "10000\n");
}

TEST_F(StreamingTest, ALargeSelectIsPulledBatchByBatch) {
  MakeTables();
  auto cursor = root_->Query(kCrossJoin);
  ASSERT_TRUE(cursor.ok()) << cursor.status().ToString();
  const EngineStatement& probe = EngineAccess::Of(**cursor);
  size_t batches = 0, rows = 0;
  int64_t sum = 0;
  while (true) {
    auto more = (*cursor)->Next();
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    const RowBatch& b = (*cursor)->batch();
    ++batches;
    rows += b.num_rows();
    // Each pull produced just this batch.
    EXPECT_EQ(probe.rows_produced(), rows);
    for (size_t r = 0; r < b.num_rows(); ++r)
      sum += b.GetInt64(r, 1).value();
  }
  EXPECT_EQ(rows, 1'000'000u);
  EXPECT_GE(batches, 3u);
  EXPECT_EQ(sum, int64_t{10'000} * (99 * 100 / 2));
  EXPECT_EQ((*cursor)->command_tag(), "SELECT 1000000");
  EXPECT_EQ((*cursor)->rows_affected(), 1'000'000u);
}

TEST_F(StreamingTest, TheEngineBehindADatabaseIsReachableForWhiteBoxTests) {
  MakeTen();
  Engine& engine = EngineAccess::Of(*db_);
  EXPECT_EQ(engine.directory(), dir_.string());
  EXPECT_GT(engine.schema_epoch(), 0u);
  EngineSession& session = EngineAccess::Of(*root_);
  auto r = session.Execute("SELECT count(*) FROM ten");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Get(0, 0), Value::BigInt(10));
}

}  // namespace
}  // namespace tenantdb
