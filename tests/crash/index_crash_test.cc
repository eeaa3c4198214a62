// Kill -9 at random moments while a worker (index_crash_worker.cc) writes rows of a table
// with two indexes, flushes it and rebuilds one index; after every kill, reopen and check
// that each index agrees with the table: every row is found through each index under its
// current values and nothing else is (a write is atomic with its entries), an index whose
// build was cut off is gone rather than half there, and UNIQUE still holds and is still
// enforced.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "tenantdb/database.h"
#include "tenantdb/session.h"

namespace tenantdb {
namespace {

struct Row {
  std::optional<int64_t> v;
  std::string w;
};

// (id, ...) rows of `sql`; the first column an id, then optionally v and w.
std::map<int64_t, Row> Query(Session& s, const std::string& sql) {
  std::map<int64_t, Row> out;
  auto cursor = s.Query(sql);
  EXPECT_TRUE(cursor.ok()) << sql << ": " << cursor.status().ToString();
  if (!cursor.ok()) return out;
  while (true) {
    auto more = (*cursor)->Next();
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    const RowBatch& b = (*cursor)->batch();
    for (size_t r = 0; r < b.num_rows(); ++r) {
      Row row;
      if (b.num_columns() > 1 && !b.IsNull(r, 1)) row.v = *b.GetInt64(r, 1);
      if (b.num_columns() > 2) row.w = std::string(*b.GetText(r, 2));
      out[*b.GetInt64(r, 0)] = row;
    }
  }
  return out;
}

std::string Plan(Session& s, const std::string& sql) {
  auto cursor = s.Query("EXPLAIN " + sql);
  std::string out;
  if (!cursor.ok()) return cursor.status().ToString();
  while (true) {
    auto more = (*cursor)->Next();
    if (!more.ok() || !*more) break;
    const RowBatch& b = (*cursor)->batch();
    for (size_t r = 0; r < b.num_rows(); ++r)
      out += std::string(*b.GetText(r, 0)) + "\n";
  }
  return out;
}

// Rounds that found rows and both indexes (so the checks below compared something).
int rounds_checked = 0;

void CheckAgreement(const std::string& dir, int round) {
  auto db = Database::Open(dir);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  auto session = (*db)->Connect("root", Role::kSystem);
  ASSERT_TRUE(session.ok());
  Session& s = **session;
  if (!s.Query("SELECT 1 FROM crash.items LIMIT 1").ok()) return;  // killed before CREATE TABLE
  const std::map<int64_t, Row> rows = Query(s, "SELECT id, v, w FROM crash.items");
  std::map<int64_t, std::set<int64_t>> by_v;
  std::set<std::string> ws;
  for (const auto& [id, row] : rows) {
    if (row.v) by_v[*row.v].insert(id);
    EXPECT_TRUE(ws.insert(row.w).second) << "round " << round << ": w " << row.w << " twice";
  }
  // items_w is made before any row is written: it exists unless the very first start
  // was cut off (then there are no rows yet). items_v may have been cut off mid-build,
  // and is then gone, not half built.
  const bool has_w =
      Plan(s, "SELECT id FROM crash.items WHERE w = 'x'").find("using index items_w") !=
      std::string::npos;
  if (!has_w) {
    EXPECT_TRUE(rows.empty()) << "round " << round << ": items_w is gone";
    return;
  }
  const bool has_v =
      Plan(s, "SELECT id FROM crash.items WHERE v = 1").find("using index items_v") !=
      std::string::npos;
  if (has_v && !rows.empty()) ++rounds_checked;
  if (has_v) {
    for (int64_t v = 0; v < 40; ++v) {
      std::set<int64_t> found;
      for (const auto& [id, row] :
           Query(s, "SELECT id FROM crash.items WHERE v = " + std::to_string(v)))
        found.insert(id);
      EXPECT_EQ(found, by_v[v]) << "round " << round << ": v = " << v;
    }
  }
  // Every row through items_w (a range read over the whole index).
  const std::map<int64_t, Row> through_w =
      Query(s, "SELECT id, v, w FROM crash.items WHERE w >= ''");
  EXPECT_EQ(through_w.size(), rows.size()) << "round " << round;
  for (const auto& [id, row] : rows) {
    auto it = through_w.find(id);
    ASSERT_NE(it, through_w.end()) << "round " << round << ": id " << id << " missing";
    EXPECT_EQ(it->second.w, row.w);
  }
  // UNIQUE is still enforced.
  if (!rows.empty()) {
    const Row& any = rows.begin()->second;
    auto dup = s.Execute("INSERT INTO crash.items VALUES (100000, 1, '" + any.w + "')");
    EXPECT_FALSE(dup.ok()) << "round " << round;
    if (!dup.ok()) {
      EXPECT_EQ(dup.status().code(), ErrorCode::kUniqueViolation);
    }
  }
}

TEST(IndexCrash, IndexesAgreeWithTheTableAfterKillsDuringWritesAndBuilds) {
  const std::string dir = (std::filesystem::temp_directory_path() /
                           ("tenantdb-index-crash-" + std::to_string(::getpid())))
                              .string();
  std::filesystem::remove_all(dir);
  std::mt19937 rng(12345);
  constexpr int kRounds = 12;
  for (int round = 0; round < kRounds; ++round) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      const std::string seed = std::to_string(round + 1);
      ::execl(TENANTDB_INDEX_CRASH_WORKER, TENANTDB_INDEX_CRASH_WORKER, dir.c_str(), seed.c_str(),
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(700 + rng() % 1500));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the worker exited by itself (status " << status << ")";
    CheckAgreement(dir, round);
    if (::testing::Test::HasFatalFailure()) break;
  }
  EXPECT_GE(rounds_checked, kRounds / 2) << "too few rounds had rows and both indexes";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tenantdb
