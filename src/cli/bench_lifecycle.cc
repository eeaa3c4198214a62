// `tenantdb bench lifecycle`: what a statement costs over its life — streamed through a
// cursor, cancelled, bounded in memory — and aggregates over flushed against hot rows.
//
//   agg           SELECT k, count(*), sum(v) FROM bench.events GROUP BY k over --agg-rows rows
//                 of a SHARED table (100 groups): best of three while the rows are hot
//                 (agg_hot_ms), then again after STORAGE FLUSH TABLE (agg_flushed_ms);
//                 agg_flushed_vs_hot = agg_flushed_ms / agg_hot_ms (target <= 1.5).
//
//   stream        SELECT * over --stream-rows rows of a SHARED table read batch by batch
//                 through the public cursor: stream_rows, stream_peak_rss_growth_mb (peak
//                 RSS, /proc VmHWM reset before the read, minus RSS before) for the first
//                 read of the hot rows (it also fills RocksDB's 128 MiB rows block cache),
//                 a second read (stream_hot_repeat_...) and a read after STORAGE FLUSH
//                 TABLE (stream_flushed_...).
//   cancel        100 statements (full scans with a filter that keeps nothing, cross-join
//                 counts, GROUP BY over a cross join) cancelled 5-25 ms after they start,
//                 from another thread: cancel_ms_p50 / _p99 from Session::Cancel() to the
//                 cursor returning query_canceled.
//   oom           SET statement_mem = '256MB', then a 10^9-row cross join ORDER BY (the sort
//                 holds its input): oom_query_failed_cleanly = 1 when it fails with
//                 out_of_memory (53200) and the session then answers normally.
//
// The last stdout line is one JSON object with every figure.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

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
  uint64_t stream_rows = 0;
  double stream_peak_rss_growth_mb = 0;
  double stream_hot_repeat_peak_rss_growth_mb = 0;
  double stream_flushed_peak_rss_growth_mb = 0;
  double stream_rows_per_s = 0;
  double cancel_ms_p50 = 0;
  double cancel_ms_p99 = 0;
  size_t cancels = 0;
  bool oom_query_failed_cleanly = false;
  double oom_ms = 0;
};

Status Check(bool ok, const std::string& what) {
  return ok ? Status::Ok() : Status(ErrorCode::kInternal, "bench lifecycle: " + what);
}

// A line of /proc/self/status in kB ("VmRSS", "VmHWM").
double ProcStatusMb(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stod(line.substr(field.size() + 1)) / 1024;
  }
  return 0;
}

// Resets VmHWM to the current RSS (Linux: "5" to clear_refs).
void ResetPeakRss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
}

Result<uint64_t> DrainCursor(Cursor& cursor) {
  uint64_t rows = 0;
  for (;;) {
    TDB_ASSIGN_OR_RETURN(bool more, cursor.Next());
    if (!more) return rows;
    rows += cursor.batch().num_rows();
  }
}

// Peak RSS growth (MB) while every row of `sql` is pulled through a cursor.
Result<double> StreamGrowthMb(Session& session, const std::string& sql, uint64_t expected) {
  const double before = ProcStatusMb("VmRSS");
  ResetPeakRss();
  TDB_ASSIGN_OR_RETURN(auto cursor, session.Query(sql));
  TDB_ASSIGN_OR_RETURN(uint64_t rows, DrainCursor(*cursor));
  TDB_RETURN_IF_ERROR(Check(rows == expected, "stream read " + std::to_string(rows) + " rows"));
  return ProcStatusMb("VmHWM") - before;
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

// bench.d: 1,000 rows, the factor of the cross joins; bench.big: `rows` rows built from it.
Status LoadBig(Session& root, size_t rows) {
  TDB_RETURN_IF_ERROR(root.Execute("CREATE TABLE bench.d (x BIGINT PRIMARY KEY) WITH (TYPE = "
                                   "'SHARED', ACCESS_LEVEL = 'PUBLIC')")
                          .status());
  std::string sql = "INSERT INTO bench.d VALUES ";
  for (int i = 0; i < 1000; ++i)
    sql += (i ? ",(" : "(") + std::to_string(i) + ")";
  TDB_RETURN_IF_ERROR(root.Execute(sql).status());
  TDB_RETURN_IF_ERROR(root.Execute("CREATE TABLE bench.big (id BIGINT PRIMARY KEY, v BIGINT, s "
                                   "TEXT) WITH (TYPE = 'SHARED', ACCESS_LEVEL = 'PUBLIC')")
                          .status());
  // A million rows per statement: a.x * 1000 + b.x over d x d, shifted per round.
  for (size_t done = 0; done < rows; done += 1'000'000) {
    const size_t n = std::min<size_t>(1'000'000, rows - done);
    TDB_RETURN_IF_ERROR(root.Execute("INSERT INTO bench.big SELECT " + std::to_string(done) +
                                     " + a.x * 1000 + b.x, b.x, 'row ' || a.x FROM bench.d a, "
                                     "bench.d b WHERE a.x * 1000 + b.x < " +
                                     std::to_string(n))
                            .status());
  }
  return Status::Ok();
}

// Cancels `count` running statements from another thread; returns the milliseconds from
// each Cancel() to its cursor failing with query_canceled.
Result<std::vector<double>> MeasureCancels(Session& session, size_t count) {
  const std::vector<std::string> statements = {
      "SELECT * FROM bench.big WHERE v < 0", "SELECT count(*) FROM bench.d a, bench.d b, bench.d c",
      "SELECT a.x, count(*) FROM bench.d a, bench.d b, bench.d c GROUP BY a.x"};
  std::mt19937 rng(5);
  std::vector<double> ms;
  size_t finished_early = 0;
  for (size_t i = 0; i < count; ++i) {
    TDB_ASSIGN_OR_RETURN(auto cursor, session.Query(statements[i % statements.size()]));
    std::atomic<int64_t> cancelled_at{0};
    const int delay_ms = 5 + static_cast<int>(rng() % 21);
    std::thread canceller([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      cancelled_at.store(NowNanos());
      session.Cancel();
    });
    Result<uint64_t> drained = DrainCursor(*cursor);
    const int64_t returned = NowNanos();
    canceller.join();
    // A statement that finished before its cancel arrived measures nothing: try again
    // (bounded), so every sample is a cancel of running work.
    if (drained.ok()) {
      TDB_RETURN_IF_ERROR(Check(++finished_early <= count, "statements keep finishing first"));
      --i;
      continue;
    }
    TDB_RETURN_IF_ERROR(Check(drained.status().code() == ErrorCode::kQueryCanceled,
                              "cancel gave " + drained.status().ToString()));
    ms.push_back(double(returned - cancelled_at.load()) / 1e6);
  }
  return ms;
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

  start = NowSeconds();
  TDB_RETURN_IF_ERROR(LoadBig(root, options.stream_rows));
  std::fprintf(stderr, "lifecycle: loaded %zu rows into bench.big in %.1f s\n", options.stream_rows,
               NowSeconds() - start);
  f.stream_rows = options.stream_rows;
  const std::string select_all = "SELECT * FROM bench.big";
  start = NowSeconds();
  TDB_ASSIGN_OR_RETURN(f.stream_peak_rss_growth_mb,
                       StreamGrowthMb(root, select_all, options.stream_rows));
  f.stream_rows_per_s = double(options.stream_rows) / (NowSeconds() - start);
  TDB_ASSIGN_OR_RETURN(f.stream_hot_repeat_peak_rss_growth_mb,
                       StreamGrowthMb(root, select_all, options.stream_rows));

  TDB_ASSIGN_OR_RETURN(std::vector<double> cancels, MeasureCancels(root, options.cancels));
  std::vector<int64_t> cancel_us;
  for (double ms : cancels)
    cancel_us.push_back(static_cast<int64_t>(ms * 1000));
  f.cancels = cancels.size();
  f.cancel_ms_p50 = Percentile(cancel_us, 50) / 1000;
  f.cancel_ms_p99 = Percentile(cancel_us, 99) / 1000;

  TDB_RETURN_IF_ERROR(root.Execute("SET statement_mem = '256MB'").status());
  start = NowSeconds();
  auto oom = [&]() -> Result<uint64_t> {
    TDB_ASSIGN_OR_RETURN(auto cursor, root.Query("SELECT * FROM bench.d a, bench.d b, bench.d c "
                                                 "ORDER BY a.x + b.x + c.x"));
    return DrainCursor(*cursor);
  }();
  f.oom_ms = (NowSeconds() - start) * 1000;
  TDB_RETURN_IF_ERROR(root.Execute("RESET statement_mem").status());
  auto after = [&]() -> Result<uint64_t> {
    TDB_ASSIGN_OR_RETURN(auto cursor, root.Query("SELECT x FROM bench.d"));
    return DrainCursor(*cursor);
  }();
  f.oom_query_failed_cleanly =
      !oom.ok() && oom.status().code() == ErrorCode::kOutOfMemory && after.ok() && *after == 1000;

  TDB_RETURN_IF_ERROR(root.Execute("STORAGE FLUSH TABLE bench.big").status());
  TDB_ASSIGN_OR_RETURN(f.stream_flushed_peak_rss_growth_mb,
                       StreamGrowthMb(root, select_all, options.stream_rows));
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
      .Add("stream_rows", double(f.stream_rows))
      .Add("stream_rows_per_s", f.stream_rows_per_s)
      .Add("stream_peak_rss_growth_mb", f.stream_peak_rss_growth_mb)
      .Add("stream_hot_repeat_peak_rss_growth_mb", f.stream_hot_repeat_peak_rss_growth_mb)
      .Add("stream_flushed_peak_rss_growth_mb", f.stream_flushed_peak_rss_growth_mb)
      .Add("cancels", double(f.cancels))
      .Add("cancel_ms_p50", f.cancel_ms_p50)
      .Add("cancel_ms_p99", f.cancel_ms_p99)
      .Add("oom_query_failed_cleanly", f.oom_query_failed_cleanly ? 1.0 : 0.0)
      .Add("oom_ms", f.oom_ms)
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
  s->add_option("--stream-rows", options->stream_rows, "Rows read through the cursor")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  s->add_option("--cancels", options->cancels, "Statements cancelled")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  s->add_option("--dir", options->directory,
                "Working directory (erased first; default: a temporary one, removed after)");
  s->add_flag("--keep", options->keep, "Keep the working directory afterwards");
  s->callback([options] { SetExitCode(RunLifecycleBench(*options)); });
}

}  // namespace tenantdb::cli
