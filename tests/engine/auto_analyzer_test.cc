// AutoAnalyzer (engine/auto_analyzer.h): column statistics follow flushes without a
// manual ANALYZE once a table's rows moved past PostgreSQL's threshold (50 + 10% of the
// rows last analyzed), and only then; a flushed table that was dropped is skipped.
#include "engine/auto_analyzer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "engine/engine.h"
#include "engine/engine_session.h"

namespace tenantdb {
namespace {

TEST(AutoAnalyzerTest, DueAfterFiftyRowsPlusTenPercent) {
  EXPECT_FALSE(AutoAnalyzer::Due(50, -1));  // never analyzed, 50 rows: not yet
  EXPECT_TRUE(AutoAnalyzer::Due(51, -1));
  EXPECT_FALSE(AutoAnalyzer::Due(1150, 1000));  // 150 moved: 50 + 100 is the line
  EXPECT_TRUE(AutoAnalyzer::Due(1151, 1000));
  EXPECT_TRUE(AutoAnalyzer::Due(849, 1000));  // deletes move it too
  EXPECT_FALSE(AutoAnalyzer::Due(-1, 1000));  // unknown count
}

class AutoAnalyzerEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tdb_auto_analyze_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Engine::Options options;
    options.background_jobs = false;  // the test runs the job's check itself
    db_ = Engine::Open(dir_.string(), options).value();
    root_ = std::make_unique<EngineSession>(db_.get(), UserId::Make("root").value(), Role::kSystem);
  }
  void TearDown() override {
    root_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Ok(const std::string& sql) {
    auto r = root_->Execute(sql);
    ASSERT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  }
  std::string Query(const std::string& sql) {
    auto r = root_->Execute(sql);
    if (!r.ok()) return "ERROR " + r.status().ToString();
    std::string out;
    for (size_t row = 0; row < r->num_rows(); ++row) {
      for (size_t c = 0; c < r->num_columns(); ++c)
        out += (c ? "|" : "") + r->Get(row, c).ToString();
      out += "\n";
    }
    return out;
  }
  std::string Check() {
    auto r = db_->auto_analyzer().AnalyzeDue();
    return r.ok() ? *r : "ERROR " + r.status().ToString();
  }
  std::string Columns() {
    return Query(
        "SELECT column_name, distinct_values, min_value, max_value FROM system.column_statistics "
        "WHERE table_name = 'facts' ORDER BY ordinal_position");
  }

  std::filesystem::path dir_;
  std::unique_ptr<Engine> db_;
  std::unique_ptr<EngineSession> root_;
};

TEST_F(AutoAnalyzerEngineTest, AFlushedTableGetsColumnStatisticsWhenItsRowsMoved) {
  Ok("CREATE TABLE facts (id INT PRIMARY KEY, grp INT)");
  Ok("INSERT INTO facts SELECT g, g % 7 FROM generate_series(1, 200) AS g");
  EXPECT_EQ(Check(), "");  // not flushed yet: not a candidate
  EXPECT_EQ(Columns(), "");
  Ok("STORAGE FLUSH TABLE facts");
  const uint64_t epoch = db_->schema_epoch();
  EXPECT_EQ(Check(), "analyzed default.facts (200 rows)");
  EXPECT_GT(db_->schema_epoch(), epoch);  // cached plans bind again with the figures
  EXPECT_EQ(Columns(), "id|200|1|200\ngrp|7|0|6\n");
  EXPECT_EQ(Check(), "");  // nothing flushed since

  // 40 rows more: within 50 + 10% of 200, so the figures stay.
  Ok("INSERT INTO facts SELECT g, 100 FROM generate_series(201, 240) AS g");
  Ok("STORAGE FLUSH TABLE facts");
  EXPECT_EQ(Check(), "");
  EXPECT_EQ(Columns(), "id|200|1|200\ngrp|7|0|6\n");

  // 40 more (80 since): past 70, analyzed again.
  Ok("INSERT INTO facts SELECT g, 100 FROM generate_series(241, 280) AS g");
  Ok("STORAGE FLUSH TABLE facts");
  EXPECT_EQ(Check(), "analyzed default.facts (280 rows)");
  EXPECT_EQ(Columns(), "id|280|1|280\ngrp|8|0|100\n");
}

TEST_F(AutoAnalyzerEngineTest, ADroppedTableIsSkipped) {
  Ok("CREATE TABLE facts (id INT PRIMARY KEY, grp INT)");
  Ok("INSERT INTO facts SELECT g, g FROM generate_series(1, 100) AS g");
  Ok("STORAGE FLUSH TABLE facts");
  Ok("DROP TABLE facts");
  EXPECT_EQ(Check(), "");
}

}  // namespace
}  // namespace tenantdb
