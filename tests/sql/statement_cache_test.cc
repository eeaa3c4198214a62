// StatementCache: one parse per distinct text, the parser's errors unchanged, bounded.
#include "sql/parser/statement_cache.h"

#include <gtest/gtest.h>

#include <barrier>
#include <string>
#include <thread>
#include <vector>

namespace tenantdb::sql {
namespace {

TEST(StatementCache, TheSameTextIsParsedOnceAndShared) {
  StatementCache cache(64);
  auto first = cache.Parse("SELECT a FROM t WHERE id = $1");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = cache.Parse("SELECT a FROM t WHERE id = $1");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(first->get(), second->get());  // the same parsed tree
  ASSERT_EQ((*first)->size(), 1u);
  EXPECT_EQ((*first)->at(0)->kind, StatementKind::kSelect);
  // Any difference in the text is another entry.
  auto other = cache.Parse("SELECT a FROM t WHERE id = $2");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->get(), first->get());
  EXPECT_EQ(cache.stats().hits, 1u);
  EXPECT_EQ(cache.stats().misses, 2u);
  EXPECT_EQ(cache.stats().entries, 2u);
}

TEST(StatementCache, ScriptsKeepEveryStatementAndEmptyScriptsAreEmpty) {
  StatementCache cache(64);
  auto script = cache.Parse("CREATE NAMESPACE a; SELECT 1; ; SELECT 2");
  ASSERT_TRUE(script.ok()) << script.status().ToString();
  EXPECT_EQ((*script)->size(), 3u);
  auto empty = cache.Parse(" -- nothing\n;");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE((*empty)->empty());
}

TEST(StatementCache, ErrorsAreTheParsersAndAreNotCached) {
  StatementCache cache(64);
  for (int i = 0; i < 2; ++i) {
    auto bad = cache.Parse("SELECT * FRM t");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.status().code(), ErrorCode::kSyntaxError);
    EXPECT_NE(bad.status().message().find("position"), std::string::npos)
        << bad.status().ToString();
  }
  EXPECT_EQ(cache.stats().entries, 0u);
  EXPECT_EQ(cache.stats().hits, 0u);
}

TEST(StatementCache, StaysWithinItsCapacityAndKeepsWhatIsUsed) {
  StatementCache cache(64);  // 8 per shard
  const std::string hot = "SELECT 'hot'";
  ASSERT_TRUE(cache.Parse(hot).ok());
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(cache.Parse("SELECT " + std::to_string(i)).ok());
    ASSERT_TRUE(cache.Parse(hot).ok());  // used all along: survives the sweeps
    ASSERT_LE(cache.stats().entries, 64u);
  }
  EXPECT_GT(cache.stats().evictions, 900u);
  const uint64_t hits = cache.stats().hits;
  ASSERT_TRUE(cache.Parse(hot).ok());
  EXPECT_EQ(cache.stats().hits, hits + 1);
}

TEST(StatementCache, LongTextsAndAZeroCapacityBypassTheCache) {
  StatementCache cache(64);
  const std::string long_text =
      "SELECT '" + std::string(StatementCache::kMaxCachedTextBytes, 'x') + "' AS long_literal";
  ASSERT_TRUE(cache.Parse(long_text).ok());
  ASSERT_TRUE(cache.Parse(long_text).ok());
  EXPECT_EQ(cache.stats().entries, 0u);
  StatementCache off(0);
  auto a = off.Parse("SELECT 1");
  auto b = off.Parse("SELECT 1");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->get(), b->get());
  EXPECT_EQ(off.stats().entries, 0u);
}

TEST(StatementCache, ConcurrentParsesOfTheSameTextsAgree) {
  StatementCache cache(32);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        const int n = (i * 7 + t) % 50;
        auto parsed = cache.Parse("SELECT " + std::to_string(n) + " AS x");
        if (!parsed.ok() || (*parsed)->size() != 1 ||
            (*parsed)->at(0)->ToString().find(std::to_string(n)) == std::string::npos) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& t : threads)
    t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_LE(cache.stats().entries, 32u);
}

// Threads that miss on one text at the same moment all parse it, but all get the one
// tree inserted first: the plan cache is keyed by the tree, and two trees for one text
// would bind it twice (PlanCacheTest.ConcurrentSessionsShareOnePlan failed on that).
TEST(StatementCache, ThreadsMissingOnOneTextTogetherGetOneTree) {
  constexpr int kThreads = 4;
  constexpr int kTexts = 200;
  StatementCache cache(1024);
  std::vector<std::vector<const SharedStatements*>> seen(
      kThreads, std::vector<const SharedStatements*>(kTexts));
  std::barrier start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kTexts; ++i) {
        start.arrive_and_wait();
        auto parsed = cache.Parse("SELECT a, b + " + std::to_string(i) + " FROM t WHERE c = $1");
        seen[t][i] = parsed.ok() ? parsed->get() : nullptr;
      }
    });
  }
  for (std::thread& t : threads)
    t.join();
  int differing = 0;
  for (int i = 0; i < kTexts; ++i) {
    ASSERT_NE(seen[0][i], nullptr);
    for (int t = 1; t < kThreads; ++t)
      differing += seen[t][i] != seen[0][i];
  }
  EXPECT_EQ(differing, 0);
}

}  // namespace
}  // namespace tenantdb::sql
