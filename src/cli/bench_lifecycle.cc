// `tenantdb bench lifecycle`: what a statement costs over its life — streamed through a
// cursor, cancelled, bounded in memory — and aggregates over flushed against hot rows.
//
//   agg           SELECT k, count(*), sum(v) FROM bench.events GROUP BY k over --agg-rows rows
//                 of a SHARED table (100 groups): best of three while the rows are hot
//                 (agg_hot_ms), then again after STORAGE FLUSH TABLE (agg_flushed_ms);
//                 agg_flushed_vs_hot = agg_flushed_ms / agg_hot_ms (target <= 1.5).
//
// The last stdout line is one JSON object with every figure.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>

#include "CLI/CLI.hpp"
#include "cli/bench_commands.h"
#include "cli/bench_util.h"
#include "cli/commands.h"
#include "tenantdb/database.h"

namespace tenantdb::cli {

namespace {

struct LifecycleFigures {
  double agg_hot_ms = 0;
  double agg_flushed_ms = 0;
};

Status Check(bool ok, const std::string& what) {
  return ok ? Status::Ok() : Status(ErrorCode::kInternal, "bench lifecycle: " + what);
}

// Loads `rows` rows into bench.events (id, k = id % 100, v = id % 1000) untimed.
Status LoadEvents(Session& root, size_t rows) {
  TDB_RETURN_IF_ERROR(root.Execute("CREATE NAMESPACE bench").status());
  TDB_RETURN_IF_ERROR(root.Execute("CREATE TABLE bench.events (id BIGINT PRIMARY KEY, k BIGINT, "
                                   "v BIGINT) WITH (TYPE = 'SHARED', ACCESS_LEVEL = 'PUBLIC')")
                          .status());
  const size_t kPerStatement = 1000;
  for (size_t first = 0; first < rows; first += kPerStatement) {
    const size_t end = std::min(rows, first + kPerStatement);
    std::string sql = "INSERT INTO bench.events VALUES ";
    for (size_t id = first; id < end; ++id) {
      if (id > first) sql += ",";
      sql += "(" + std::to_string(id) + "," + std::to_string(id % 100) + "," +
             std::to_string(id % 1000) + ")";
    }
    TDB_ASSIGN_OR_RETURN(CommandResult r, root.Execute(sql));
    TDB_RETURN_IF_ERROR(Check(r.rows_affected == end - first, "INSERT count"));
  }
  return Status::Ok();
}

// Best of three runs of the GROUP BY, checked for its group count.
Result<double> TimeAggregate(Session& root) {
  double best = 1e30;
  for (int i = 0; i < 3; ++i) {
    const double start = NowSeconds();
    TDB_ASSIGN_OR_RETURN(auto cursor,
                         root.Query("SELECT k, count(*), sum(v) FROM bench.events GROUP BY k"));
    size_t groups = 0;
    for (;;) {
      TDB_ASSIGN_OR_RETURN(bool more, cursor->Next());
      if (!more) break;
      groups += cursor->batch().num_rows();
    }
    best = std::min(best, (NowSeconds() - start) * 1000);
    TDB_RETURN_IF_ERROR(
        Check(groups == 100, "GROUP BY returned " + std::to_string(groups) + " groups"));
  }
  return best;
}

Result<LifecycleFigures> Measure(const std::string& dir, const LifecycleBenchOptions& options) {
  LifecycleFigures f;
  Database::Options db_options;
  db_options.background_jobs = false;  // flushes happen when the bench says
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(dir, db_options));
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<Session> session, db->Connect("root", Role::kSystem));
  Session& root = *session;
  double start = NowSeconds();
  TDB_RETURN_IF_ERROR(LoadEvents(root, options.agg_rows));
  std::fprintf(stderr, "lifecycle: loaded %zu rows in %.1f s\n", options.agg_rows,
               NowSeconds() - start);
  TDB_ASSIGN_OR_RETURN(f.agg_hot_ms, TimeAggregate(root));
  TDB_RETURN_IF_ERROR(root.Execute("STORAGE FLUSH TABLE bench.events").status());
  TDB_ASSIGN_OR_RETURN(f.agg_flushed_ms, TimeAggregate(root));
  std::fprintf(stderr, "lifecycle: GROUP BY over %zu rows: hot %.1f ms, flushed %.1f ms\n",
               options.agg_rows, f.agg_hot_ms, f.agg_flushed_ms);
  return f;
}

}  // namespace

int RunLifecycleBench(const LifecycleBenchOptions& options) {
  std::string dir = options.directory;
  const bool temporary = dir.empty();
  if (temporary) {
    dir = (std::filesystem::temp_directory_path() /
           ("tenantdb-bench-lifecycle-" + std::to_string(::getpid())))
              .string();
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  auto figures = Measure(dir, options);
  if (temporary && !options.keep) std::filesystem::remove_all(dir, ec);
  if (!figures.ok()) {
    std::fprintf(stderr, "bench lifecycle: %s\n", figures.status().ToString().c_str());
    return 1;
  }
  const LifecycleFigures& f = *figures;
  JsonLine()
      .Add("bench", "lifecycle")
      .Add("agg_rows", double(options.agg_rows))
      .Add("agg_hot_ms", f.agg_hot_ms)
      .Add("agg_flushed_ms", f.agg_flushed_ms)
      .Add("agg_flushed_vs_hot", f.agg_flushed_ms / f.agg_hot_ms)
      .Print();
  return 0;
}

void RegisterLifecycleBench(CLI::App* bench) {
  auto options = std::make_shared<LifecycleBenchOptions>();
  CLI::App* s = bench->add_subcommand(
      "lifecycle", "Streaming, cancellation, memory limits and flushed aggregates");
  s->add_option("--agg-rows", options->agg_rows, "Rows of the aggregated table")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  s->add_option("--dir", options->directory,
                "Working directory (erased first; default: a temporary one, removed after)");
  s->add_flag("--keep", options->keep, "Keep the working directory afterwards");
  s->callback([options] { SetExitCode(RunLifecycleBench(*options)); });
}

}  // namespace tenantdb::cli
