// `tenantdb bench storage`: storage-layer throughput, on a real data directory.
//   hot    durable single-row inserts (each acknowledged write synced to the WAL), batched
//          inserts (one synced WriteBatch per 1,000 rows), point gets by primary key;
//   flush  a USER table's hot rows to Parquet through TableStore::Flush, then the same
//          point gets on the flushed rows (cold_point_get_per_s);
//   cold   a 5-column chat-message file set written with the Parquet writer, then one
//          column scanned with tenantdb's reader and with DuckDB (one thread each, same
//          files, same run);
//   compact  a SHARED table with half its rows updated or deleted (bench_compact.cc).
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "catalog/persistent_catalog.h"
#include "catalog/schema_pool.h"
#include "catalog/storage_registry.h"
#include "cli/bench_commands.h"
#include "cli/bench_util.h"
#include "storage/cold/parquet_reader.h"
#include "storage/cold/parquet_writer.h"
#include "storage/table_store.h"

namespace tenantdb::cli {

namespace {

std::shared_ptr<const Schema> MessageSchema() {
  return std::make_shared<Schema>(
      std::vector<Field>{{"id", DataType::kBigInt, false, true, ""},
                         {"thread_id", DataType::kText, false, false, ""},
                         {"role", DataType::kText, false, false, ""},
                         {"content", DataType::kText, false, false, ""},
                         {"created_at", DataType::kTimestamp, true, false, ""}},
      SchemaMetadata{});
}

// Writes `files` files of `rows_per_file` rows; returns their paths.
Result<std::vector<std::string>> WriteFileSet(const std::string& dir, size_t files,
                                              size_t rows_per_file) {
  auto schema = MessageSchema();
  std::vector<std::string> paths;
  std::mt19937_64 rng(1);
  static const char* kRoles[] = {"user", "assistant", "system"};
  int64_t id = 0;
  for (size_t f = 0; f < files; ++f) {
    std::string path = dir + "/batch-" + std::to_string(f) + ".parquet";
    TDB_ASSIGN_OR_RETURN(auto writer, ParquetWriter::Open(path, schema));
    const size_t kChunk = 65536;
    for (size_t done = 0; done < rows_per_file; done += kChunk) {
      Batch batch(schema);
      const size_t n = std::min(kChunk, rows_per_file - done);
      for (size_t i = 0; i < n; ++i, ++id) {
        batch.mutable_column(0).AppendInt64(id);
        batch.mutable_column(1).AppendBytes("t" + std::to_string(rng() % 1000));
        batch.mutable_column(2).AppendBytes(kRoles[rng() % 3]);
        batch.mutable_column(3).AppendBytes("message " + std::to_string(rng() % 100000) +
                                            " about something");
        batch.mutable_column(4).AppendInt64(1'700'000'000'000'000LL + id * 1000);
      }
      TDB_RETURN_IF_ERROR(writer->Write(batch));
    }
    TDB_RETURN_IF_ERROR(writer->Close());
    paths.push_back(path);
  }
  return paths;
}

// Best of three: seconds to read column `name` (BIGINT) of every file, and its maximum.
Result<std::pair<double, int64_t>> TenantdbScan(const std::vector<std::string>& paths,
                                                const std::string& name) {
  auto projected = std::make_shared<Schema>(
      std::vector<Field>{{name, DataType::kBigInt, true, false, ""}}, SchemaMetadata{});
  double best = 1e30;
  int64_t max = INT64_MIN;
  for (int rep = 0; rep < 3; ++rep) {
    const double start = NowSeconds();
    max = INT64_MIN;
    for (const std::string& path : paths) {
      TDB_ASSIGN_OR_RETURN(auto reader, ParquetReader::Open(path));
      for (size_t g = 0; g < reader->num_row_groups(); ++g) {
        TDB_ASSIGN_OR_RETURN(Batch batch, reader->ReadRowGroup(g, projected));
        const ColumnVector& column = batch.column(0);
        auto values = column.values<int64_t>();
        for (size_t i = 0; i < values.size(); ++i) {
          if (!column.IsNull(i) && values[i] > max) max = values[i];
        }
      }
    }
    best = std::min(best, NowSeconds() - start);
  }
  return std::make_pair(best, max);
}

// DuckDB's best-of-three seconds for max(column) over the files (tests/interop).
Result<std::pair<double, int64_t>> DuckDbScan(const std::string& interop_dir,
                                              const std::vector<std::string>& paths,
                                              const std::string& name) {
  std::string command = "node " + interop_dir + "/duckdb_scan.mjs " + name + " max";
  for (const std::string& p : paths)
    command += " " + p;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return Status(ErrorCode::kIoError, "cannot run node");
  double seconds = -1;
  long long max = 0;
  const int read = std::fscanf(pipe, "%lf %lld", &seconds, &max);
  const int rc = pclose(pipe);
  if (read != 2 || rc != 0) {
    return Status(ErrorCode::kIoError,
                  "DuckDB scan failed; run `npm ci --prefix tests/interop` first (command: " +
                      command.substr(0, 120) + "...)");
  }
  return std::make_pair(seconds, static_cast<int64_t>(max));
}

struct HotFigures {
  double insert_single_per_s = 0;
  double insert_rows_per_s = 0;
  double point_get_per_s = 0;
  double cold_point_get_per_s = 0;  // the same gets after the rows were flushed
  double flush_rows_per_s = 0;
  double flush_mb_per_s = 0;
};

Result<HotFigures> MeasureHot(const std::string& dir, const StorageBenchOptions& options) {
  SchemaPool pool;
  TDB_ASSIGN_OR_RETURN(auto kv, KvStore::Open(dir));
  TDB_ASSIGN_OR_RETURN(auto catalog, PersistentCatalog::Open(kv.get(), &pool));
  StorageRegistry storages(dir + "/storage");
  TDB_RETURN_IF_ERROR(catalog->CreateNamespace(*NamespaceId::Make("bench")));
  TableDefinition d;
  d.id = *TableId::Make("bench", "messages");
  d.type = TableType::kUser;
  d.schema = MessageSchema();
  d.storage_id = storages.local()->id;
  TDB_RETURN_IF_ERROR(catalog->CreateTable(d).status());
  TDB_ASSIGN_OR_RETURN(TableEntryRef entry, catalog->Loader(storages)(d.id));
  TableStore store(kv.get(), catalog.get());
  TDB_ASSIGN_OR_RETURN(HotTable table, store.HotTableFor(*entry));
  std::vector<UserId> users;
  for (int u = 0; u < 100; ++u)
    users.push_back(*UserId::Make("user" + std::to_string(u)));
  auto row = [](int64_t id) {
    return std::vector<Value>{Value::BigInt(id), Value::Text("t" + std::to_string(id % 50)),
                              Value::Text("user"),
                              Value::Text("message " + std::to_string(id) + " about something"),
                              Value::Timestamp(1'700'000'000'000'000LL + id)};
  };
  HotFigures f;
  double start = NowSeconds();
  for (size_t i = 0; i < options.single_inserts; ++i) {
    TDB_RETURN_IF_ERROR(store.hot().Insert(table, &users[i % users.size()], row(int64_t(i))));
  }
  f.insert_single_per_s = double(options.single_inserts) / (NowSeconds() - start);

  const size_t kBatch = 1000;
  int64_t next = int64_t(options.single_inserts);
  start = NowSeconds();
  for (size_t done = 0; done < options.batched_rows; done += kBatch) {
    std::vector<HotWrite> writes;
    for (size_t i = 0; i < kBatch; ++i)
      writes.push_back(HotWrite::Insert(row(next++)));
    TDB_RETURN_IF_ERROR(
        store.hot().ApplyBatch(table, &users[(done / kBatch) % users.size()], writes));
  }
  f.insert_rows_per_s = double(options.batched_rows) / (NowSeconds() - start);

  std::mt19937_64 rng(3);
  const size_t gets = 200'000;
  size_t found = 0;
  start = NowSeconds();
  for (size_t i = 0; i < gets; ++i) {
    const int64_t id = int64_t(rng() % options.single_inserts);
    TDB_ASSIGN_OR_RETURN(
        auto got, store.hot().Get(table, &users[size_t(id) % users.size()], {Value::BigInt(id)}));
    found += got.has_value();
  }
  f.point_get_per_s = double(gets) / (NowSeconds() - start);
  if (found != gets) return Status(ErrorCode::kInternal, "point gets missed rows");

  start = NowSeconds();
  TDB_ASSIGN_OR_RETURN(FlushStats flushed, store.Flush(*entry));
  const double flush_seconds = NowSeconds() - start;
  f.flush_rows_per_s = double(flushed.rows) / flush_seconds;
  f.flush_mb_per_s = double(flushed.bytes) / 1e6 / flush_seconds;

  // The same point gets, now answered from the Parquet files through the page index
  // (TableStore::GetRow: hot miss, manifest key ranges, one page per column).
  rng.seed(3);
  found = 0;
  start = NowSeconds();
  for (size_t i = 0; i < gets; ++i) {
    const int64_t id = int64_t(rng() % options.single_inserts);
    TDB_ASSIGN_OR_RETURN(
        auto got, store.GetRow(*entry, &users[size_t(id) % users.size()], {Value::BigInt(id)}));
    found += got.has_value();
  }
  f.cold_point_get_per_s = double(gets) / (NowSeconds() - start);
  if (found != gets) return Status(ErrorCode::kInternal, "cold point gets missed rows");
  std::fprintf(stderr,
               "storage: hot: %zu durable single inserts, %zu rows in synced batches of %zu, "
               "%zu point gets; flush: %zu rows of %zu users, %.1f MB Parquet\n",
               options.single_inserts, options.batched_rows, kBatch, gets, flushed.rows,
               flushed.users, double(flushed.bytes) / 1e6);
  return f;
}

}  // namespace

int RunStorageBench(const StorageBenchOptions& options) {
  const std::string dir =
      options.directory.empty()
          ? (std::filesystem::temp_directory_path() / "tenantdb-bench-storage").string()
          : options.directory;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const size_t rows_per_file = options.cold_rows / options.cold_files;

  auto hot = MeasureHot(dir + "/data", options);
  if (!hot.ok()) {
    std::fprintf(stderr, "bench storage: %s\n", hot.status().ToString().c_str());
    return 1;
  }

  auto compact = MeasureCompaction(dir + "/compact", options.compact_rows);
  if (!compact.ok()) {
    std::fprintf(stderr, "bench storage: %s\n", compact.status().ToString().c_str());
    return 1;
  }

  const double write_start = NowSeconds();
  auto paths = WriteFileSet(dir, options.cold_files, rows_per_file);
  if (!paths.ok()) {
    std::fprintf(stderr, "bench storage: %s\n", paths.status().ToString().c_str());
    return 1;
  }
  const double write_seconds = NowSeconds() - write_start;
  uint64_t file_bytes = 0;
  for (const auto& p : *paths)
    file_bytes += std::filesystem::file_size(p);
  const double rows = double(rows_per_file * options.cold_files);

  auto ours = TenantdbScan(*paths, "id");
  auto duck = DuckDbScan(options.interop_dir, *paths, "id");
  if (!ours.ok() || !duck.ok()) {
    std::fprintf(stderr, "bench storage: %s\n",
                 (!ours.ok() ? ours.status() : duck.status()).ToString().c_str());
    return 1;
  }
  if (ours->second != duck->second) {
    std::fprintf(stderr, "bench storage: max(id) differs: tenantdb %lld, DuckDB %lld\n",
                 (long long)ours->second, (long long)duck->second);
    return 1;
  }
  std::fprintf(stderr,
               "storage: %zu files x %zu rows, 5 columns (zstd), %.1f MB; scan of BIGINT id, "
               "max = %lld on both sides, best of 3, one thread each\n",
               options.cold_files, rows_per_file, double(file_bytes) / 1e6,
               (long long)ours->second);
  JsonLine()
      .Add("bench", std::string("storage"))
      .Add("insert_single_per_s", hot->insert_single_per_s)
      .Add("insert_rows_per_s", hot->insert_rows_per_s)
      .Add("point_get_per_s", hot->point_get_per_s)
      .Add("cold_point_get_per_s", hot->cold_point_get_per_s)
      .Add("cold_point_get_vs_hot", hot->cold_point_get_per_s / hot->point_get_per_s)
      .Add("flush_rows_per_s", hot->flush_rows_per_s)
      .Add("flush_mb_per_s", hot->flush_mb_per_s)
      .Add("cold_rows", rows)
      .Add("cold_files", double(options.cold_files))
      .Add("parquet_write_rows_per_s", rows / write_seconds)
      .Add("parquet_write_mb_per_s", double(file_bytes) / 1e6 / write_seconds)
      .Add("cold_scan_values_per_s", rows / ours->first)
      .Add("duckdb_scan_values_per_s", rows / duck->first)
      .Add("cold_scan_vs_duckdb", duck->first / ours->first)
      .Add("compact_rows_per_s", compact->compact_rows_per_s)
      .Add("bytes_on_disk_before_after_compact",
           std::to_string(compact->bytes_before) + "/" + std::to_string(compact->bytes_after))
      .Print();
  if (!options.keep) std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace tenantdb::cli
