#include "cli/bench_commands.h"

#include <memory>

#include "cli/commands.h"

namespace tenantdb::cli {

void RegisterBenchCommands(CLI::App& app) {
  CLI::App* bench = app.add_subcommand("bench", "Run a benchmark; the last output line is JSON");
  bench->require_subcommand(1);

  auto catalog = std::make_shared<CatalogBenchOptions>();
  CLI::App* c = bench->add_subcommand("catalog", "Heap bytes per table with every table cached");
  c->add_option("--tables", catalog->tables, "Tables to create")->check(CLI::PositiveNumber);
  c->add_option("--schemas", catalog->schemas, "Distinct column layouts")
      ->check(CLI::PositiveNumber);
  c->add_option("--namespaces", catalog->namespaces, "Namespaces")->check(CLI::PositiveNumber);
  c->callback([catalog] { SetExitCode(RunCatalogBench(*catalog)); });

  auto ids = std::make_shared<IdsBenchOptions>();
  CLI::App* i = bench->add_subcommand("ids", "Identifier size, copy and intern cost");
  i->add_option("--iterations", ids->iterations, "Operations per measurement")
      ->check(CLI::PositiveNumber);
  i->callback([ids] { SetExitCode(RunIdsBench(*ids)); });

  auto cache = std::make_shared<CacheBenchOptions>();
  CLI::App* k = bench->add_subcommand("cache", "SchemaCache lookups under a Zipf workload");
  k->add_option("--tables", cache->tables, "Tables in the catalog")->check(CLI::PositiveNumber);
  k->add_option("--capacity", cache->capacity, "Cache capacity")->check(CLI::PositiveNumber);
  k->add_option("--threads", cache->threads, "Reader threads")->check(CLI::Range(1, 64));
  k->add_option("--zipf", cache->zipf, "Zipf exponent of table popularity")
      ->check(CLI::Range(0.0, 5.0));
  k->add_option("--seconds", cache->seconds, "Seconds per measured phase")
      ->check(CLI::Range(0.1, 600.0));
  k->callback([cache] { SetExitCode(RunCacheBench(*cache)); });

  auto storage = std::make_shared<StorageBenchOptions>();
  CLI::App* s = bench->add_subcommand("storage", "Cold-file write and scan against DuckDB");
  s->add_option("--single-inserts", storage->single_inserts, "Durable one-row inserts")
      ->check(CLI::PositiveNumber);
  s->add_option("--batched-rows", storage->batched_rows, "Rows inserted in batches of 1,000")
      ->check(CLI::PositiveNumber);
  s->add_option("--cold-rows", storage->cold_rows, "Rows in the Parquet file set")
      ->check(CLI::PositiveNumber);
  s->add_option("--cold-files", storage->cold_files, "Files in the set")
      ->check(CLI::PositiveNumber);
  s->add_option("--compact-rows", storage->compact_rows,
                "Rows of the table compacted (half of them then updated or deleted)")
      ->check(CLI::PositiveNumber);
  s->add_option("--dir", storage->directory, "Working directory (erased first)");
  s->add_option("--interop-dir", storage->interop_dir,
                "Directory with duckdb_scan.mjs and node_modules");
  s->add_flag("--keep", storage->keep, "Keep the files afterwards");
  s->callback([storage] { SetExitCode(RunStorageBench(*storage)); });
  RegisterCatalogOpenBench(bench);
  RegisterSqlBench(bench);
  RegisterLifecycleBench(bench);
  RegisterHttpBench(bench);
  RegisterCopyBench(bench);
  RegisterLiveBench(bench);
  RegisterPgwireBench(bench);
  RegisterTpchBench(bench);
}

}  // namespace tenantdb::cli
