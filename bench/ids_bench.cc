// Google Benchmark: identifiers against std::string, the representation the seed design
// started from. Run: build/release/bench/ids_bench
#include <benchmark/benchmark.h>

#include <string>

#include "absl/hash/hash.h"
#include "ids/table_id.h"

namespace tenantdb {
namespace {

const std::string kNamespace = "customer_support";
const std::string kTable = "conversation_messages";

void BM_TableIdCopy(benchmark::State& state) {
  const TableId id = *TableId::Make(kNamespace, kTable);
  for (auto _ : state) {
    TableId copy(id);
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_TableIdCopy)->Threads(1)->Threads(2);

void BM_StringPairCopy(benchmark::State& state) {
  for (auto _ : state) {
    std::string ns(kNamespace), table(kTable);
    benchmark::DoNotOptimize(ns);
    benchmark::DoNotOptimize(table);
  }
}
BENCHMARK(BM_StringPairCopy)->Threads(1)->Threads(2);

void BM_TableIdEqualAndHash(benchmark::State& state) {
  const TableId a = *TableId::Make(kNamespace, kTable);
  const TableId b = *TableId::Make(kNamespace, "conversation_messagez");
  for (auto _ : state) {
    benchmark::DoNotOptimize(a == b);
    benchmark::DoNotOptimize(absl::HashOf(a));
  }
}
BENCHMARK(BM_TableIdEqualAndHash);

void BM_StringPairEqualAndHash(benchmark::State& state) {
  const std::string a = kNamespace + "." + kTable;
  const std::string b = kNamespace + ".conversation_messagez";
  for (auto _ : state) {
    benchmark::DoNotOptimize(a == b);
    benchmark::DoNotOptimize(absl::HashOf(a));
  }
}
BENCHMARK(BM_StringPairEqualAndHash);

void BM_InternExisting(benchmark::State& state) {
  const UserId keep = *UserId::Make("user-0b9d2f5e-1c1a-4f6e");
  for (auto _ : state)
    benchmark::DoNotOptimize(UserId::Make("user-0b9d2f5e-1c1a-4f6e"));
}
BENCHMARK(BM_InternExisting);

}  // namespace
}  // namespace tenantdb
