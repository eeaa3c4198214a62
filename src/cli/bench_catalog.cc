// `tenantdb bench catalog`: heap bytes per table with every table cached.
#include <cstdio>

#include "cli/bench_commands.h"
#include "cli/bench_util.h"
#include "cli/synthetic_catalog.h"
#include "common/heap_meter.h"

namespace tenantdb::cli {

int RunCatalogBench(const CatalogBenchOptions& options) {
  TrimHeap();
  const size_t heap_before = HeapBytesInUse();
  const double start = NowSeconds();

  // Everything the catalog holds: names (symbol table), schemas (pool), storages, the
  // cache's slot arrays and one entry (= provider) per table.
  SyntheticCatalog catalog(options.tables, options.namespaces, options.schemas);
  SchemaCache::Options cache_options;
  cache_options.capacity = options.tables;
  SchemaCache cache(cache_options, catalog.Loader());
  for (size_t i = 0; i < options.tables; ++i)
    cache.Insert(catalog.Entry(i));

  const double seconds = NowSeconds() - start;
  TrimHeap();
  const size_t heap_bytes = HeapBytesInUse() - heap_before;

  // Every table must really be there and resolvable.
  size_t found = 0;
  for (size_t i = 0; i < options.tables; i += std::max<size_t>(1, options.tables / 1000)) {
    found += cache.Peek(catalog.Id(i)) ? 1 : 0;
  }
  SchemaCache::Stats stats = cache.stats();
  SchemaPool::Stats pool = catalog.pool().stats();
  std::fprintf(stderr,
               "catalog: %zu tables in %zu namespaces, %llu unique schemas, %llu cached, "
               "%zu/%zu sampled found\n",
               options.tables, options.namespaces, (unsigned long long)pool.unique_schemas,
               (unsigned long long)stats.entries, found,
               (options.tables + std::max<size_t>(1, options.tables / 1000) - 1) /
                   std::max<size_t>(1, options.tables / 1000));
  JsonLine()
      .Add("bench", std::string("catalog"))
      .Add("tables", double(options.tables))
      .Add("namespaces", double(options.namespaces))
      .Add("schemas_unique", double(pool.unique_schemas))
      .Add("dedup_rate", pool.dedup_rate)
      .Add("allocator", std::string(HeapAllocatorName()))
      .Add("heap_bytes", double(heap_bytes))
      .Add("bytes_per_table", double(heap_bytes) / double(options.tables))
      .Add("cached_tables", double(stats.entries))
      .Add("seconds", seconds)
      .Print();
  return stats.entries == options.tables ? 0 : 1;
}

}  // namespace tenantdb::cli
