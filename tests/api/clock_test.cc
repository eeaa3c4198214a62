// One injectable clock (tenantdb/clock.h, Database::Options::clock): with a ManualClock
// frozen by the test, everything that stamps or compares time follows it end to end —
// now() / current_timestamp / current_date, created times in system.namespaces and
// system.tables, STREAM TTL expiry, snowflake_id() and uuid_v7() — without sleeping.
#include "tenantdb/clock.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "api_fixture.h"

namespace tenantdb {
namespace {

// 2031-03-04 05:06:07.123456 UTC: years after any real clock this test runs under, so
// the id generators' "never go back" rule cannot hide whether they read this clock.
constexpr int64_t kFrozenMicros = 1'930'367'167'123'456;
// snowflake_id()'s epoch: 2024-01-01T00:00:00Z in Unix milliseconds.
constexpr int64_t kSnowflakeEpochMs = 1'704'067'200'000;

class ClockTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    root_.reset();
    db_.reset();
    Database::Options options;
    options.background_jobs = false;
    options.clock = &clock_;
    auto db = Database::Open(dir_.string(), options);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    root_ = std::move(db_->Connect("root", Role::kSystem)).value();
  }
  int64_t QueryInt(const std::string& sql) {
    const std::string text = Query(sql);
    EXPECT_FALSE(text.empty() || text.starts_with("ERROR")) << sql << ": " << text;
    return text.empty() || text.starts_with("ERROR") ? 0 : std::stoll(text);
  }

  ManualClock clock_{kFrozenMicros};  // outlives db_ (the fixture resets db_ in TearDown)
};

TEST_F(ClockTest, NowAndCurrentTimestampReadTheDatabaseClock) {
  EXPECT_EQ(Query("SELECT now(), current_timestamp, current_date"),
            "2031-03-04 05:06:07.123456+00|2031-03-04 05:06:07.123456+00|2031-03-04\n");
  clock_.AdvanceSeconds(24 * 3600 + 1);
  EXPECT_EQ(Query("SELECT now(), current_date"), "2031-03-05 05:06:08.123456+00|2031-03-05\n");
  // The statement's timestamp is fixed while the clock is not.
  EXPECT_EQ(Query("SELECT now() = current_timestamp"), "t\n");
}

TEST_F(ClockTest, CreatedTimesInSystemTablesReadTheDatabaseClock) {
  Ok("CREATE NAMESPACE app");
  clock_.AdvanceSeconds(60);
  Ok("CREATE TABLE app.t (id BIGINT PRIMARY KEY)");
  EXPECT_EQ(Query("SELECT created_at FROM system.namespaces WHERE namespace_id = 'app'"),
            "2031-03-04 05:06:07.123456+00\n");
  EXPECT_EQ(Query("SELECT created_at FROM system.tables WHERE namespace_id = 'app' AND "
                  "table_name = 't'"),
            "2031-03-04 05:07:07.123456+00\n");
  // ALTER TABLE keeps the created time.
  clock_.AdvanceSeconds(60);
  Ok("ALTER TABLE app.t ADD COLUMN body TEXT");
  EXPECT_EQ(Query("SELECT created_at FROM system.tables WHERE table_name = 't'"),
            "2031-03-04 05:07:07.123456+00\n");
}

TEST_F(ClockTest, StreamRowsExpireWhenTheClockPassesTheirTtl) {
  Ok("CREATE NAMESPACE app");
  Ok("CREATE TABLE app.ev (id BIGINT PRIMARY KEY, body TEXT) "
     "WITH (TYPE = 'STREAM', TTL_SECONDS = 60)");
  auto alice = std::move(db_->Connect("alice", Role::kUser)).value();
  Ok(*alice, "INSERT INTO app.ev VALUES (1, 'a'), (2, 'b')");
  clock_.AdvanceSeconds(30);
  Ok(*alice, "INSERT INTO app.ev VALUES (3, 'c')");
  clock_.AdvanceSeconds(29);  // rows 1 and 2 are 59 s old
  EXPECT_EQ(Query(*alice, "SELECT id FROM app.ev ORDER BY id"), "1\n2\n3\n");
  clock_.AdvanceSeconds(2);  // 61 s: past the TTL, with no job run and no sleep
  EXPECT_EQ(Query(*alice, "SELECT id FROM app.ev ORDER BY id"), "3\n");
  clock_.AdvanceSeconds(30);
  EXPECT_EQ(Query(*alice, "SELECT count(*) FROM app.ev"), "0\n");
}

TEST_F(ClockTest, SnowflakeAndUuidV7CarryTheDatabaseClock) {
  const int64_t frozen_ms = kFrozenMicros / 1000;
  const int64_t id = QueryInt("SELECT snowflake_id()");
  EXPECT_EQ((id >> 22) + kSnowflakeEpochMs, frozen_ms) << id;
  // uuid_v7: the first 48 bits are the Unix time in milliseconds.
  const std::string uuid = Query("SELECT uuid_v7()");
  ASSERT_GE(uuid.size(), 13u) << uuid;
  EXPECT_EQ(std::stoll(uuid.substr(0, 8) + uuid.substr(9, 4), nullptr, 16), frozen_ms) << uuid;

  clock_.AdvanceSeconds(3600);
  const int64_t later = QueryInt("SELECT snowflake_id()");
  EXPECT_EQ((later >> 22) + kSnowflakeEpochMs, frozen_ms + 3'600'000) << later;
  const std::string later_uuid = Query("SELECT uuid_v7()");
  ASSERT_GE(later_uuid.size(), 13u) << later_uuid;
  EXPECT_EQ(std::stoll(later_uuid.substr(0, 8) + later_uuid.substr(9, 4), nullptr, 16),
            frozen_ms + 3'600'000)
      << later_uuid;
}

}  // namespace
}  // namespace tenantdb
