// `tenantdb bench ids`: what identifiers cost — size, copy and intern — next to
// std::string, the representation the seed design started from.
#include <cstdio>
#include <string>
#include <vector>

#include "cli/bench_commands.h"
#include "cli/bench_util.h"
#include "ids/table_id.h"

namespace tenantdb::cli {

namespace {

// Runs `body` `n` times and returns nanoseconds per run (best of three, to skip noise
// from the shared machine).
template <typename F>
double NanosPerOp(size_t n, F&& body) {
  double best = 1e30;
  for (int rep = 0; rep < 3; ++rep) {
    const int64_t start = NowNanos();
    for (size_t i = 0; i < n; ++i)
      body(i);
    best = std::min(best, double(NowNanos() - start) / double(n));
  }
  return best;
}

}  // namespace

int RunIdsBench(const IdsBenchOptions& options) {
  const size_t n = options.iterations;
  // A realistic multi-tenant name: long enough that std::string must allocate (over the
  // 15-byte small-string buffer), as KalamDB's String-based TableId did for each part.
  const std::string ns_name = "customer_support";
  const std::string table_name = "conversation_messages";
  const std::string full_name = ns_name + "." + table_name;
  const TableId table = *TableId::Make(ns_name, table_name);
  const UserId user = *UserId::Make("user-0b9d2f5e-1c1a-4f6e");
  const std::string user_string(user.str());

  // Copy and destroy, as a cache hit that hands out an id does.
  const double table_copy_ns = NanosPerOp(n, [&](size_t) {
    TableId copy(table);
    DoNotOptimize(copy);
  });
  const double user_copy_ns = NanosPerOp(n, [&](size_t) {
    UserId copy(user);
    DoNotOptimize(copy);
  });
  const double string_copy_ns = NanosPerOp(n, [&](size_t) {
    std::string copy(full_name);
    DoNotOptimize(copy);
  });
  const double two_string_copy_ns = NanosPerOp(n, [&](size_t) {
    std::string a(ns_name), b(table_name);
    DoNotOptimize(a);
    DoNotOptimize(b);
  });
  const double user_string_copy_ns = NanosPerOp(n, [&](size_t) {
    std::string copy(user_string);
    DoNotOptimize(copy);
  });
  const TableId other = *TableId::Make(ns_name, "other_table");
  const TableId* pair[2] = {&table, &other};
  const double equal_ns = NanosPerOp(n, [&](size_t i) { DoNotOptimize(*pair[i & 1] == table); });

  // Interning a name that exists (what parsing a query does) and a new one (what
  // CREATE TABLE or a new user does, including its release).
  const double intern_ns = NanosPerOp(n / 4, [&](size_t) {
    auto id = UserId::Make(user_string);
    DoNotOptimize(id);
  });
  std::vector<std::string> fresh;
  const size_t fresh_count = std::min<size_t>(n / 4, 1'000'000);
  fresh.reserve(fresh_count);
  for (size_t i = 0; i < fresh_count; ++i)
    fresh.push_back("new-user-" + std::to_string(i));
  std::vector<UserId> held;
  held.reserve(fresh_count);
  const int64_t start = NowNanos();
  for (size_t i = 0; i < fresh_count; ++i)
    held.push_back(*UserId::Make(fresh[i]));
  const double intern_new_ns = double(NowNanos() - start) / double(fresh_count);

  std::fprintf(stderr, "ids: name '%s', %zu iterations per figure (best of 3)\n", full_name.c_str(),
               n);
  JsonLine()
      .Add("bench", std::string("ids"))
      .Add("table_id_bytes", double(sizeof(TableId)))
      .Add("user_id_bytes", double(sizeof(UserId)))
      .Add("string_bytes", double(sizeof(std::string)))
      .Add("copy_ns", table_copy_ns)
      .Add("string_copy_ns", string_copy_ns)
      .Add("copy_speedup_vs_string", string_copy_ns / table_copy_ns)
      .Add("two_string_copy_ns", two_string_copy_ns)
      .Add("user_id_copy_ns", user_copy_ns)
      .Add("user_string_copy_ns", user_string_copy_ns)
      .Add("equal_ns", equal_ns)
      .Add("intern_ns", intern_ns)
      .Add("intern_new_ns", intern_new_ns)
      .Print();
  return 0;
}

}  // namespace tenantdb::cli
