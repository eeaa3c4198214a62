// `tenantdb bench catalog-open`: how long opening a data directory with N tables takes and
// how much heap it holds before any table is touched — the persistent catalog must open
// lazily (target: 1,000,000 tables in under a second and under 50 MB).
//
// Phase 1 (skipped for tables already there when --dir is reused): create the tables in
// batches of 10,000 with unsynced writes, flush RocksDB's memtables as a clean shutdown
// would (unless --no-flush: then the open replays the write-ahead log), close.
// Phase 2: open the KvStore, the PersistentCatalog and the persisted storages, measuring
// wall time and the heap delta. Phase 3: the first SchemaCache Get through the catalog's
// loader (cold), then 1,000 random cold Gets.
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <random>
#include <vector>

#include "catalog/persistent_catalog.h"
#include "catalog/schema_cache.h"
#include "catalog/schema_pool.h"
#include "catalog/storage_registry.h"
#include "cli/bench_commands.h"
#include "cli/bench_util.h"
#include "cli/commands.h"
#include "cli/synthetic_catalog.h"
#include "common/heap_meter.h"
#include "kv/kv_store.h"

namespace tenantdb::cli {

namespace {

constexpr size_t kNamespaces = 1000;
constexpr size_t kSchemas = 10;
constexpr size_t kPerBatch = 10'000;

int Fail(const Status& status, const char* what) {
  std::fprintf(stderr, "catalog-open: %s: %s\n", what, status.ToString().c_str());
  return 1;
}

// Creates tables [existing, wanted) of `synthetic`. Returns the table count on disk.
Result<size_t> CreateTables(const std::string& dir, const SyntheticCatalog& synthetic,
                            size_t wanted, bool flush_memtables) {
  KvStore::Options options;
  options.sync_writes = false;  // a bulk load; durability is not what is measured
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<KvStore> store, KvStore::Open(dir, options));
  SchemaPool pool;
  TDB_ASSIGN_OR_RETURN(auto catalog, PersistentCatalog::Open(store.get(), &pool));
  size_t existing = catalog->next_table_number() - PersistentCatalog::kFirstTableNumber;
  if (existing >= wanted) {
    std::fprintf(stderr, "catalog-open: reusing %zu tables in %s\n", existing, dir.c_str());
    return existing;
  }
  const double start = NowSeconds();
  for (size_t n = 0; n < kNamespaces; ++n) {
    Status s = catalog->CreateNamespace(synthetic.Id(n).ns());
    if (!s.ok() && s.code() != ErrorCode::kAlreadyExists) return s;
  }
  for (size_t i = existing; i < wanted;) {
    std::vector<TableDefinition> batch;
    for (; i < wanted && batch.size() < kPerBatch; ++i)
      batch.push_back(synthetic.Definition(i));
    TDB_RETURN_IF_ERROR(catalog->CreateTables(std::move(batch)).status());
    if (i % 100'000 == 0) std::fprintf(stderr, "catalog-open: created %zu tables\n", i);
  }
  if (flush_memtables) {
    rocksdb::FlushOptions flush;
    for (KvFamily f : {KvFamily::kCatalog, KvFamily::kRows}) {
      TDB_RETURN_IF_ERROR(
          FromRocksStatus(store->db()->Flush(flush, store->family(f)), "flushing memtables"));
    }
  }
  std::fprintf(stderr, "catalog-open: created %zu tables in %.1f s\n", wanted - existing,
               NowSeconds() - start);
  return wanted;
}

// Opens `dir`, measuring time and heap, then the first and some random cold Gets.
Result<JsonLine> MeasureOpen(const std::string& dir, const SyntheticCatalog& synthetic,
                             size_t tables) {
  TrimHeap();
  const size_t heap_before = HeapBytesInUse();
  const double open_start = NowSeconds();
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<KvStore> store, KvStore::Open(dir));
  auto pool = std::make_unique<SchemaPool>();
  TDB_ASSIGN_OR_RETURN(auto catalog, PersistentCatalog::Open(store.get(), pool.get()));
  auto registry = std::make_unique<StorageRegistry>(dir + "/storage");
  TDB_RETURN_IF_ERROR(catalog->LoadStorages(registry.get()));
  const double open_seconds = NowSeconds() - open_start;
  const size_t heap_after_open = HeapBytesInUse();

  SchemaCache cache(SchemaCache::Options{}, catalog->Loader(*registry));
  const int64_t get_start = NowNanos();
  TDB_RETURN_IF_ERROR(cache.Get(synthetic.Id(tables / 2)).status());
  const int64_t first_get_ns = NowNanos() - get_start;

  std::mt19937_64 rng(42);
  constexpr int kColdGets = 1000;
  const int64_t cold_start = NowNanos();
  for (int k = 0; k < kColdGets; ++k) {
    TDB_ASSIGN_OR_RETURN(TableEntryRef entry, cache.Get(synthetic.Id(rng() % tables)));
    DoNotOptimize(entry.get());
  }
  const double cold_get_us = double(NowNanos() - cold_start) / kColdGets / 1000.0;
  const size_t heap_after_gets = HeapBytesInUse();

  const double open_heap = double(heap_after_open) - double(heap_before);
  std::fprintf(stderr,
               "catalog-open: %zu tables: open %.3f s, heap %+.2f MB (target < 1 s, < 50 MB); "
               "first get %.1f us, cold gets %.1f us each\n",
               tables, open_seconds, open_heap / 1e6, double(first_get_ns) / 1000.0, cold_get_us);
  JsonLine json;
  json.Add("bench", std::string("catalog-open"))
      .Add("tables", double(tables))
      .Add("open_seconds", open_seconds)
      .Add("allocator", std::string(HeapAllocatorName()))
      .Add("open_heap_bytes", open_heap)
      .Add("first_get_us", double(first_get_ns) / 1000.0)
      .Add("cold_get_us", cold_get_us)
      .Add("heap_after_gets_bytes", double(heap_after_gets) - double(heap_before))
      .Add("open_under_1s", std::string(open_seconds < 1.0 ? "yes" : "no"))
      .Add("heap_under_50mb", std::string(open_heap < 50e6 ? "yes" : "no"));
  return json;
}

}  // namespace

int RunCatalogOpenBench(const CatalogOpenBenchOptions& options) {
  const bool temporary = options.directory.empty();
  const std::string dir = temporary ? (std::filesystem::temp_directory_path() /
                                       ("tenantdb-catalog-open-" + std::to_string(::getpid())))
                                          .string()
                                    : options.directory;
  if (temporary) std::filesystem::remove_all(dir);
  SyntheticCatalog synthetic(options.tables, kNamespaces, kSchemas);

  auto created = CreateTables(dir, synthetic, options.tables, !options.no_flush);
  if (!created.ok()) return Fail(created.status(), "creating tables");
  // Probe only tables this run's synthetic catalog can name.
  auto json = MeasureOpen(dir, synthetic, std::min(*created, options.tables));
  if (temporary && !options.keep) std::filesystem::remove_all(dir);
  if (!json.ok()) return Fail(json.status(), "measuring the open");
  json->Print();
  return 0;
}

void RegisterCatalogOpenBench(CLI::App* bench) {
  auto options = std::make_shared<CatalogOpenBenchOptions>();
  CLI::App* c = bench->add_subcommand(
      "catalog-open", "Open a data directory of N tables: seconds and heap before first use");
  c->add_option("--tables", options->tables, "Tables to create")->check(CLI::PositiveNumber);
  c->add_option("--dir", options->directory,
                "Data directory; tables already in it are reused, missing ones added");
  c->add_flag("--keep", options->keep, "Keep the temporary data directory");
  c->add_flag("--no-flush", options->no_flush,
              "Close without flushing memtables, so the open replays the write-ahead log");
  c->callback([options] { SetExitCode(RunCatalogOpenBench(*options)); });
}

}  // namespace tenantdb::cli
