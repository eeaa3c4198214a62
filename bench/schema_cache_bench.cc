// Google Benchmark: SchemaCache hits, pinned (per statement read section) and owning,
// with 1 and 2 threads over 100,000 cached tables. Run: build/release/bench/schema_cache_bench
#include <benchmark/benchmark.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "catalog/schema_cache.h"
#include "catalog/schema_pool.h"
#include "common/no_destructor.h"

namespace tenantdb {
namespace {

constexpr size_t kTables = 100'000;

struct Fixture {
  Fixture() : storages("./data/storage") {
    auto schema = pool.Intern(
        {{"id", DataType::kBigInt, false, true, ""}, {"body", DataType::kText, true, false, ""}});
    SchemaCache::Options options;
    options.capacity = kTables;
    cache = std::make_unique<SchemaCache>(options, [](const TableId& id) -> Result<TableEntryRef> {
      return Status(ErrorCode::kNotFound, id.ToString());
    });
    for (size_t i = 0; i < kTables; ++i) {
      TableDefinition d;
      d.id = *TableId::Make("ns" + std::to_string(i % 1000), "t" + std::to_string(i));
      d.table_number = static_cast<uint32_t>(i + 1);
      d.schema = schema;
      d.storage_id = storages.local()->id;
      ids.push_back(d.id);
      cache->Insert(TableEntryRef(MakeRef<TableEntry>(d, storages.local())));
    }
  }
  StorageRegistry storages;
  SchemaPool pool;
  std::unique_ptr<SchemaCache> cache;
  std::vector<TableId> ids;
};

Fixture& Shared() {
  static NoDestructor<Fixture> fixture;  // built once, kept for the whole process
  return *fixture;
}

void BM_PinnedGet(benchmark::State& state) {
  Fixture& f = Shared();
  std::mt19937 rng(static_cast<unsigned>(state.thread_index()));
  for (auto _ : state) {
    RcuReadSection section;
    auto e = f.cache->Get(section, f.ids[rng() % kTables]);
    benchmark::DoNotOptimize((*e)->table_number());
  }
}
BENCHMARK(BM_PinnedGet)->Threads(1)->Threads(2);

void BM_OwningGet(benchmark::State& state) {
  Fixture& f = Shared();
  std::mt19937 rng(static_cast<unsigned>(state.thread_index()));
  for (auto _ : state) {
    auto e = f.cache->Get(f.ids[rng() % kTables]);
    benchmark::DoNotOptimize((*e)->table_number());
  }
}
BENCHMARK(BM_OwningGet)->Threads(1)->Threads(2);

}  // namespace
}  // namespace tenantdb
