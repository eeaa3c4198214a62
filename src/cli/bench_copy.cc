// `tenantdb bench copy`: bulk loading with COPY against single-row INSERTs, embedded, on
// the same machine in the same run (issue 14 §4: 1,000,000 CSV rows at least 5x faster
// than the same rows as single INSERTs).
//
//   insert  the first --insert-rows rows of the data set, one prepared INSERT each (each
//           its own durable commit, as a client sending INSERTs one by one gets)
//   copy    all --rows rows as CSV through COPY ... FROM STDIN's CopyIn sink
//           (include/tenantdb/copy.h), fed in 64 KiB chunks, one transaction
//
// Both load the same table shape (pgbench_accounts': int key, two ints, 84-char text)
// into fresh tables. The last line of stdout is JSON with copy_rows_per_s,
// insert_rows_per_s and copy_vs_insert_ratio.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "cli/bench_commands.h"
#include "cli/bench_util.h"
#include "cli/commands.h"
#include "tenantdb/copy.h"
#include "tenantdb/database.h"

namespace tenantdb::cli {

namespace {

struct CopyBenchOptions {
  size_t rows = 1'000'000;
  size_t insert_rows = 20'000;
  std::string directory;
  bool keep = false;
};

struct CopyFigures {
  double copy_seconds = 0;
  double insert_seconds = 0;
};

std::string Filler(size_t i) {
  std::string f = "row " + std::to_string(i) + " ";
  f.resize(84, 'x');
  return f;
}

Status Check(bool ok, const std::string& what) {
  return ok ? Status::Ok() : Status(ErrorCode::kInternal, "bench copy: " + what);
}

Result<CopyFigures> Measure(const std::string& dir, const CopyBenchOptions& options) {
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(dir));
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<Session> root, db->Connect("root", Role::kSystem));
  for (const char* table : {"by_insert", "by_copy"}) {
    TDB_RETURN_IF_ERROR(root->Execute(std::string("CREATE TABLE ") + table +
                                      " (aid INT PRIMARY KEY, bid INT, abalance INT, "
                                      "filler TEXT) WITH (TYPE = 'SHARED')")
                            .status());
  }
  CopyFigures f;

  TDB_ASSIGN_OR_RETURN(std::unique_ptr<PreparedStatement> insert,
                       root->Prepare("INSERT INTO by_insert VALUES ($1, $2, $3, $4)"));
  double start = NowSeconds();
  for (size_t i = 1; i <= options.insert_rows; ++i) {
    TDB_ASSIGN_OR_RETURN(auto cursor,
                         root->Query(*insert, {Value::Int(static_cast<int32_t>(i)),
                                               Value::Int(static_cast<int32_t>(i / 100000 + 1)),
                                               Value::Int(0), Value::Text(Filler(i))}));
  }
  f.insert_seconds = NowSeconds() - start;

  start = NowSeconds();
  TDB_ASSIGN_OR_RETURN(auto cursor, root->Query("COPY by_copy FROM STDIN WITH (FORMAT csv)"));
  CopyIn* in = cursor->copy_in();
  TDB_RETURN_IF_ERROR(Check(in != nullptr, "COPY FROM STDIN gave no sink"));
  std::string chunk;
  for (size_t i = 1; i <= options.rows; ++i) {
    chunk += std::to_string(i) + "," + std::to_string(i / 100000 + 1) + ",0," + Filler(i) + "\n";
    if (chunk.size() >= (64 << 10) || i == options.rows) {
      TDB_RETURN_IF_ERROR(in->Write(chunk));
      chunk.clear();
    }
  }
  TDB_ASSIGN_OR_RETURN(uint64_t copied, in->Finish());
  f.copy_seconds = NowSeconds() - start;
  TDB_RETURN_IF_ERROR(Check(copied == options.rows, "COPY wrote " + std::to_string(copied)));
  TDB_ASSIGN_OR_RETURN(auto count, root->Query("SELECT count(*) FROM by_copy"));
  TDB_ASSIGN_OR_RETURN(bool more, count->Next());
  TDB_RETURN_IF_ERROR(Check(more, "no count"));
  TDB_ASSIGN_OR_RETURN(int64_t n, count->batch().GetInt64(0, 0));
  TDB_RETURN_IF_ERROR(Check(static_cast<size_t>(n) == options.rows, "count after COPY"));
  return f;
}

int RunCopyBench(const CopyBenchOptions& options) {
  std::string dir = options.directory;
  const bool temporary = dir.empty();
  if (temporary) {
    dir = (std::filesystem::temp_directory_path() /
           ("tenantdb-bench-copy-" + std::to_string(::getpid())))
              .string();
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  auto figures = Measure(dir, options);
  if (temporary && !options.keep) std::filesystem::remove_all(dir, ec);
  if (!figures.ok()) {
    std::fprintf(stderr, "bench copy: %s\n", figures.status().ToString().c_str());
    return 1;
  }
  const double copy_rate = double(options.rows) / figures->copy_seconds;
  const double insert_rate = double(options.insert_rows) / figures->insert_seconds;
  std::fprintf(stderr,
               "COPY %zu CSV rows: %.2f s (%.0f rows/s); %zu single INSERTs: %.2f s "
               "(%.0f rows/s)\n",
               options.rows, figures->copy_seconds, copy_rate, options.insert_rows,
               figures->insert_seconds, insert_rate);
  JsonLine()
      .Add("bench", "copy")
      .Add("rows", double(options.rows))
      .Add("insert_rows", double(options.insert_rows))
      .Add("copy_seconds", figures->copy_seconds)
      .Add("copy_rows_per_s", copy_rate)
      .Add("insert_rows_per_s", insert_rate)
      .Add("copy_vs_insert_ratio", copy_rate / insert_rate)
      .Print();
  return 0;
}

}  // namespace

void RegisterCopyBench(CLI::App* bench) {
  auto options = std::make_shared<CopyBenchOptions>();
  CLI::App* s = bench->add_subcommand("copy", "COPY FROM STDIN (CSV) against single INSERTs");
  s->add_option("--rows", options->rows, "Rows loaded by COPY")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  s->add_option("--insert-rows", options->insert_rows,
                "Rows loaded by single INSERTs (each a durable commit)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  s->add_option("--dir", options->directory,
                "Working directory (erased first; default: a temporary one, removed after)");
  s->add_flag("--keep", options->keep, "Keep the working directory afterwards");
  s->callback([options] { SetExitCode(RunCopyBench(*options)); });
}

}  // namespace tenantdb::cli
