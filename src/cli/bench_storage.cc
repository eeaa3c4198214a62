// `tenantdb bench storage`: storage-layer throughput. Today it measures the cold path:
// writing a 5-column chat-message file set with the Parquet writer, then scanning one
// column of it with tenantdb's reader and with DuckDB (one thread each, same files, same
// run). The hot-row and flush figures join when the hot store and flush land.
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "cli/bench_commands.h"
#include "cli/bench_util.h"
#include "storage/cold/parquet_reader.h"
#include "storage/cold/parquet_writer.h"

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

}  // namespace

int RunStorageBench(const StorageBenchOptions& options) {
  const std::string dir =
      options.directory.empty()
          ? (std::filesystem::temp_directory_path() / "tenantdb-bench-storage").string()
          : options.directory;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const size_t rows_per_file = options.cold_rows / options.cold_files;

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
      .Add("cold_rows", rows)
      .Add("cold_files", double(options.cold_files))
      .Add("parquet_write_rows_per_s", rows / write_seconds)
      .Add("parquet_write_mb_per_s", double(file_bytes) / 1e6 / write_seconds)
      .Add("cold_scan_values_per_s", rows / ours->first)
      .Add("duckdb_scan_values_per_s", rows / duck->first)
      .Add("cold_scan_vs_duckdb", duck->first / ours->first)
      .Print();
  if (!options.keep) std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace tenantdb::cli
