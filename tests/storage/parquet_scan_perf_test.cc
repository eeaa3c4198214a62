// Scan throughput of the Parquet reader against DuckDB on the same file, single-threaded.
// Disabled by default (it takes seconds and wants a Release build):
//   storage_tests --gtest_also_run_disabled_tests --gtest_filter='*ScanPerf*'
// Prints ns/row for tenantdb and DuckDB and the ratio.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "parquet_test_util.h"
#include "storage/cold/parquet_reader.h"
#include "storage/cold/parquet_writer.h"

namespace tenantdb {
namespace {

using testing::MakeField;
using testing::MakeSchema;

const std::string kInteropDir = std::string(TENANTDB_SOURCE_DIR) + "/tests/interop";

// DuckDB's best-of-3 time for `SELECT sum/count(col)` over the file, in seconds.
double DuckDbSeconds(const std::string& path, const std::string& expr) {
  std::string script = kInteropDir + "/.perf_probe_" + std::to_string(getpid()) + ".mjs";
  FILE* f = fopen(script.c_str(), "w");
  if (f == nullptr) return -1;
  fprintf(f,
          "import { DuckDBInstance } from '@duckdb/node-api';\n"
          "const c = await (await DuckDBInstance.create(':memory:')).connect();\n"
          "await c.run('SET threads = 1');\n"
          "let best = 1e9;\n"
          "for (let i = 0; i < 3; ++i) {\n"
          "  const t0 = process.hrtime.bigint();\n"
          "  await c.runAndReadAll(\"SELECT %s FROM read_parquet('%s')\");\n"
          "  best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);\n"
          "}\n"
          "console.log(best);\n",
          expr.c_str(), path.c_str());
  fclose(f);
  FILE* p = popen(("node " + script).c_str(), "r");
  double secs = -1;
  if (p != nullptr) {
    if (fscanf(p, "%lf", &secs) != 1) secs = -1;
    pclose(p);
  }
  std::remove(script.c_str());
  return secs;
}

double TenantdbSeconds(const std::string& path, const std::shared_ptr<const Schema>& projected) {
  double best = 1e9;
  for (int i = 0; i < 3; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    auto reader = ParquetReader::Open(path);
    EXPECT_TRUE(reader.ok());
    size_t rows = 0;
    for (size_t g = 0; g < (*reader)->num_row_groups(); ++g) {
      auto b = (*reader)->ReadRowGroup(g, projected);
      EXPECT_TRUE(b.ok()) << b.status().ToString();
      rows += b->num_rows();
    }
    auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::min(best, secs);
    EXPECT_GT(rows, 0u);
  }
  return best;
}

TEST(ParquetScanPerf, DISABLED_OneColumnScanAgainstDuckDb) {
  testing::TempDir dir;
  constexpr size_t kRows = 10'000'000;
  auto schema = MakeSchema({MakeField("id", DataType::kBigInt, false),
                            MakeField("v", DataType::kBigInt), MakeField("d", DataType::kDouble),
                            MakeField("t", DataType::kText), MakeField("s", DataType::kText)});
  for (ParquetCompression comp : {ParquetCompression::kSnappy, ParquetCompression::kZstd}) {
    std::string path = dir.File("perf.parquet");
    {
      ParquetWriterOptions options;
      options.compression = comp;
      auto w = ParquetWriter::Open(path, schema, options);
      ASSERT_TRUE(w.ok());
      constexpr size_t kBatch = 64 * 1024;
      for (size_t start = 0; start < kRows; start += kBatch) {
        Batch b(schema);
        for (size_t i = start; i < start + kBatch && i < kRows; ++i) {
          b.mutable_column(0).AppendInt64(static_cast<int64_t>(i));
          if (i % 10 == 0) {
            b.mutable_column(1).AppendNull();
          } else {
            b.mutable_column(1).AppendInt64(static_cast<int64_t>(i * 2654435761u % 1000000));
          }
          b.mutable_column(2).AppendDouble(static_cast<double>(i) * 0.5);
          b.mutable_column(3).AppendBytes("role-" + std::to_string(i % 8));
          b.mutable_column(4).AppendBytes("message body number " + std::to_string(i));
        }
        ASSERT_TRUE((*w)->Write(b).ok());
      }
      ASSERT_TRUE((*w)->Close().ok());
    }
    std::printf("%s file: %.1f MB, %zu rows\n",
                comp == ParquetCompression::kZstd ? "zstd" : "snappy",
                static_cast<double>(std::filesystem::file_size(path)) / 1e6, kRows);
    struct Col {
      const char* name;
      DataType type;
      const char* duck_expr;
    };
    for (Col c : {Col{"id", DataType::kBigInt, "sum(id)"}, Col{"v", DataType::kBigInt, "sum(v)"},
                  Col{"d", DataType::kDouble, "sum(d)"}, Col{"t", DataType::kText, "max(t)"},
                  Col{"s", DataType::kText, "max(s)"}}) {
      double ours = TenantdbSeconds(path, MakeSchema({MakeField(c.name, c.type)}));
      double duck = DuckDbSeconds(path, c.duck_expr);
      std::printf("  column %-3s tenantdb %6.2f ns/row   DuckDB %6.2f ns/row   speed ratio %.2fx\n",
                  c.name, ours * 1e9 / kRows, duck * 1e9 / kRows, duck / ours);
    }
  }
}

}  // namespace
}  // namespace tenantdb
