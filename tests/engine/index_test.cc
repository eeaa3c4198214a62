// Secondary indexes end to end (engine): an ORDER BY ... LIMIT read through an index stops
// after the LIMIT's rows, and an index build reports its progress in system.jobs while it
// runs.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "engine/engine_session.h"

namespace tenantdb {
namespace {

class IndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tdb_index_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Engine::Options options;
    options.background_jobs = false;
    db_ = Engine::Open(dir_.string(), options).value();
    root_ = std::make_unique<EngineSession>(db_.get(), UserId::Make("root").value(), Role::kSystem);
  }
  void TearDown() override {
    root_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Runs `sql` and renders its rows as "a|b\n" lines (NULL as "NULL").
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
  void Ok(const std::string& sql) {
    auto r = root_->Execute(sql);
    ASSERT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  }
  uint64_t EntriesRead() {
    return db_->tables().counters().index_entries_read.load(std::memory_order_relaxed);
  }
  // The line of an EXPLAIN ANALYZE that names `node`.
  static std::string LineOf(const std::string& plan, const std::string& node) {
    const size_t at = plan.find(node);
    if (at == std::string::npos) return "";
    const size_t start = plan.rfind('\n', at) == std::string::npos ? 0 : plan.rfind('\n', at) + 1;
    return plan.substr(start, plan.find('\n', at) - start);
  }

  std::filesystem::path dir_;
  std::unique_ptr<Engine> db_;
  std::unique_ptr<EngineSession> root_;
};

// 6000 rows, a third of them with a = 1, half flushed: the first rows in the index's
// order come from reading about as many entries, not from reading the 2000 rows with
// a = 1 and sorting them; the scan returns just the LIMIT's rows.
TEST_F(IndexTest, OrderByLimitThroughAnIndexReadsAboutLimitEntries) {
  Ok("CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT) WITH (TYPE = 'SHARED')");
  Ok("INSERT INTO t SELECT x, x % 3, (x * 7) % 6000 FROM generate_series(1, 3000) AS g(x)");
  Ok("STORAGE FLUSH TABLE t");
  Ok("INSERT INTO t SELECT x, x % 3, (x * 7) % 6000 FROM generate_series(3001, 6000) AS g(x)");
  Ok("CREATE INDEX t_ab ON t (a, b)");

  const std::string expected = Query(
      "SELECT id, b FROM (SELECT id, b, a + 0 AS a0 FROM t) s WHERE a0 = 1 "
      "ORDER BY b DESC LIMIT 5");
  ASSERT_EQ(std::count(expected.begin(), expected.end(), '\n'), 5) << expected;
  uint64_t before = EntriesRead();
  EXPECT_EQ(Query("SELECT id, b FROM t WHERE a = 1 ORDER BY b DESC LIMIT 5"), expected);
  EXPECT_LE(EntriesRead() - before, 5u);

  const std::string plan =
      Query("EXPLAIN ANALYZE SELECT id, b FROM t WHERE a = 1 ORDER BY b DESC LIMIT 5");
  const std::string scan = LineOf(plan, "Scan default.t");
  EXPECT_NE(scan.find("using index t_ab (a) = (1) ordered desc first 5"), std::string::npos)
      << plan;
  EXPECT_NE(scan.find("(actual rows=5 loops=1"), std::string::npos) << plan;

  // A residual filter that keeps one row in ten: still a bounded read, the same answer.
  const std::string filtered = Query(
      "SELECT id FROM (SELECT id, b, a + 0 AS a0 FROM t) s WHERE a0 = 1 AND id % 10 = 1 "
      "ORDER BY b LIMIT 3");
  before = EntriesRead();
  EXPECT_EQ(Query("SELECT id FROM t WHERE a = 1 AND id % 10 = 1 ORDER BY b LIMIT 3"), filtered);
  EXPECT_LT(EntriesRead() - before, 200u);

  // Without the index the same query reads no entries and gives the same rows.
  Ok("DROP INDEX t_ab");
  before = EntriesRead();
  EXPECT_EQ(Query("SELECT id, b FROM t WHERE a = 1 ORDER BY b DESC LIMIT 5"), expected);
  EXPECT_EQ(EntriesRead(), before);
}

// While CREATE INDEX builds over existing rows, another session sees the build in
// system.jobs as running, with how many rows it has indexed; then as finished.
TEST_F(IndexTest, SystemJobsShowsARunningIndexBuildWithItsProgress) {
  Ok("CREATE TABLE big (id INT PRIMARY KEY, v INT) WITH (TYPE = 'SHARED')");
  Ok("INSERT INTO big SELECT x, x % 1000 FROM generate_series(1, 40000) AS g(x)");
  std::atomic<bool> done{false};
  std::vector<std::string> seen;  // running rows' details, in the order seen
  std::thread watcher([&] {
    EngineSession other(db_.get(), UserId::Make("root").value(), Role::kSystem);
    while (!done.load()) {
      auto r = other.Execute(
          "SELECT detail FROM system.jobs WHERE job_name = 'index_build' AND status = 'running' "
          "AND finished_at IS NULL");
      if (!r.ok()) continue;
      for (size_t row = 0; row < r->num_rows(); ++row)
        seen.push_back(r->Get(row, 0).ToString());
    }
  });
  Ok("CREATE INDEX big_v ON big (v)");
  done = true;
  watcher.join();
  // At least one sighting with rows indexed: progress, not just "started".
  bool progressed = false;
  for (const std::string& d : seen) {
    EXPECT_EQ(d.rfind("CREATE INDEX big_v ON default.big: indexed ", 0), 0u) << d;
    progressed = progressed || (d.find("indexed 0 rows") == std::string::npos);
  }
  EXPECT_TRUE(progressed) << seen.size() << " sightings, none past 0 rows";
  EXPECT_EQ(Query("SELECT status, detail FROM system.jobs WHERE job_name = 'index_build'"),
            "ok|CREATE INDEX big_v ON default.big: indexed 40000 rows\n");
}

}  // namespace
}  // namespace tenantdb
