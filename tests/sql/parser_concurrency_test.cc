// Parse is documented as safe from many threads at once (libpg_query keeps its state per
// thread); run it that way under the sanitizers.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "sql/parser/parser.h"

namespace tenantdb::sql {
namespace {

TEST(ParserConcurrency, ManyThreadsParseAtOnce) {
  const std::string script =
      "CREATE USER TABLE IF NOT EXISTS chat.messages (id BIGINT PRIMARY KEY, body TEXT);"
      "INSERT INTO chat.messages VALUES (1, 'a') ON CONFLICT (id) DO NOTHING;"
      "SELECT body FROM chat.messages WHERE id IN (SELECT id FROM x) ORDER BY id LIMIT 5;"
      "EXECUTE AS USER 'alice' (DELETE FROM chat.messages WHERE id = $1);";
  // An IN list of 1500 items: over 2000 tokens (the large-stack path), yet shallow.
  std::string long_sum = "SELECT 1 IN (0";
  for (int i = 0; i < 1500; ++i)
    long_sum += ", 1";
  long_sum += ")";
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        auto r = Parse(script);
        if (!r.ok() || r->size() != 4) ++failures;
        if (!Parse("SELECT * FRM t").status().message().ends_with("position 10")) ++failures;
        if (t == 0 && i % 10 == 0) {
          auto big = Parse(long_sum);
          if (!big.ok()) {
            ADD_FAILURE() << big.status().ToString();
            ++failures;
          }
        }
      }
    });
  }
  for (std::thread& th : threads)
    th.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace tenantdb::sql
