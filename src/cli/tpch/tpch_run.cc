#include "cli/tpch/tpch_run.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "cli/bench_util.h"
#include "cli/tpch/tpch_duckdb.h"
#include "cli/tpch/tpch_generator.h"
#include "cli/tpch/tpch_sqlite.h"

namespace tenantdb::cli::tpch {

namespace {

namespace fs = std::filesystem;

std::string Absolute(const std::string& path) {
  std::error_code ec;
  const fs::path p = fs::absolute(path, ec);
  return ec ? path : p.lexically_normal().string();
}

double PeakRssMb() {
  struct rusage usage {};
  ::getrusage(RUSAGE_SELF, &usage);
  return double(usage.ru_maxrss) / 1024.0;  // kB on Linux
}

// The data set in `dir`, generated unless a manifest of the same sf and seed is there.
Result<Manifest> EnsureData(const std::string& dir, const RunOptions& options, bool progress,
                            double* generate_ms) {
  Result<Manifest> existing = ReadManifest(dir);
  if (existing.ok() && existing->sf == options.sf && existing->seed == options.seed) {
    if (progress) std::fprintf(stderr, "tpch: reusing the data set in %s\n", dir.c_str());
    return existing;
  }
  if (progress) {
    std::fprintf(stderr, "tpch: generating SF %g (seed %llu) into %s\n", options.sf,
                 static_cast<unsigned long long>(options.seed), dir.c_str());
  }
  const double start = NowSeconds();
  GenerateOptions g;
  g.sf = options.sf;
  g.seed = options.seed;
  TDB_ASSIGN_OR_RETURN(Manifest m, Generate(dir, g));
  *generate_ms = (NowSeconds() - start) * 1000;
  return m;
}

std::string Describe(const QueryOutcome& q) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%.1f ms, %zu rows", q.ms, q.rows.size());
  return q.ok ? buf : q.error;
}

}  // namespace

bool RunReport::Correct(int q) const {
  auto it = diffs.find(q);
  return it != diffs.end() && it->second.empty();
}

Result<std::vector<int>> ParseQueryList(const std::string& text) {
  std::vector<int> out;
  std::istringstream items(text);
  std::string item;
  while (std::getline(items, item, ',')) {
    if (item.empty()) continue;
    int lo = 0, hi = 0, used = 0;
    const bool range = std::sscanf(item.c_str(), "%d-%d%n", &lo, &hi, &used) == 2;
    if (!range && std::sscanf(item.c_str(), "%d%n", &lo, &used) == 1) hi = lo;
    if (used != int(item.size()) || lo < 1 || hi > kQueryCount || lo > hi) {
      return Status(ErrorCode::kInvalidArgument, "not a query number or range (1..22): " + item);
    }
    for (int q = lo; q <= hi; ++q)
      out.push_back(q);
  }
  if (out.empty()) {
    for (int q = 1; q <= kQueryCount; ++q)
      out.push_back(q);
  }
  return out;
}

Result<RunReport> RunTpch(const RunOptions& options, bool progress) {
  RunReport report;
  char default_dir[96];
  std::snprintf(default_dir, sizeof(default_dir), "tenantdb-tpch-sf%g-seed%llu", options.sf,
                static_cast<unsigned long long>(options.seed));
  const std::string data_dir =
      Absolute(options.data_dir.empty() ? (fs::temp_directory_path() / default_dir).string()
                                        : options.data_dir);
  TDB_ASSIGN_OR_RETURN(Manifest manifest,
                       EnsureData(data_dir, options, progress, &report.generate_ms));

  const bool temporary = options.work_dir.empty();
  const std::string work_dir = Absolute(
      temporary ? (fs::temp_directory_path() / ("tenantdb-tpch-run-" + std::to_string(::getpid())))
                      .string()
                : options.work_dir);
  std::error_code ec;
  fs::remove_all(work_dir, ec);
  fs::create_directories(work_dir, ec);

  std::vector<int> numbers = options.queries;
  if (numbers.empty()) {
    for (int q = 1; q <= kQueryCount; ++q)
      numbers.push_back(q);
  }
  std::vector<QuerySql> queries;
  for (int q : numbers)
    queries.push_back(TpchQuery(q, options.sf));

  auto run = [&]() -> Status {
    if (progress) std::fprintf(stderr, "tpch: DuckDB (one thread) loads and answers\n");
    TDB_ASSIGN_OR_RETURN(DuckDbRun duck, RunDuckDb(Absolute(options.interop_dir), data_dir,
                                                   work_dir + "/duckdb", queries, 7200));
    report.duckdb_load_ms = duck.load_ms;
    report.duckdb = std::move(duck.outcomes);

    if (progress) std::fprintf(stderr, "tpch: tenantdb loads (COPY)\n");
    TDB_ASSIGN_OR_RETURN(auto tenantdb, TenantdbTpch::Open(work_dir + "/tenantdb"));
    double start = NowSeconds();
    TDB_RETURN_IF_ERROR(tenantdb->Load(data_dir, manifest, options.flush));
    report.tenantdb_load_ms = (NowSeconds() - start) * 1000;
    if (progress) std::fprintf(stderr, "tpch: loaded in %.0f ms\n", report.tenantdb_load_ms);
    for (const QuerySql& q : queries) {
      QueryLimits limits = options.limits;
      if (auto it = options.timeout_ms_by_query.find(q.number);
          it != options.timeout_ms_by_query.end()) {
        limits.timeout_ms = std::min(limits.timeout_ms, it->second);
      }
      QueryOutcome outcome = tenantdb->Run(q, limits);
      auto reference = report.duckdb.find(q.number);
      report.diffs[q.number] = reference == report.duckdb.end()
                                   ? "DuckDB gave no answer"
                                   : DiffOutcomes(reference->second, outcome);
      if (progress) {
        std::fprintf(stderr, "tpch: Q%-2d %-5s %s\n", q.number,
                     report.Correct(q.number) ? "ok" : "FAIL", Describe(outcome).c_str());
        if (!report.Correct(q.number) && outcome.ok) {
          std::fprintf(stderr, "%s", report.diffs[q.number].c_str());
        }
      }
      report.tenantdb[q.number] = std::move(outcome);
    }
    report.peak_rss_mb = PeakRssMb();
    tenantdb.reset();

    if (!options.sqlite) return Status::Ok();
    if (progress) std::fprintf(stderr, "tpch: SQLite loads and answers\n");
    TDB_ASSIGN_OR_RETURN(auto sqlite, SqliteTpch::Open(work_dir + "/sqlite.db"));
    start = NowSeconds();
    TDB_RETURN_IF_ERROR(sqlite->Load(data_dir, manifest));
    report.sqlite_load_ms = (NowSeconds() - start) * 1000;
    for (const QuerySql& q : queries) {
      report.sqlite[q.number] = sqlite->Run(q, options.peer_timeout_ms);
      if (progress) {
        std::fprintf(stderr, "tpch: SQLite Q%-2d %s\n", q.number,
                     Describe(report.sqlite[q.number]).c_str());
      }
    }
    return Status::Ok();
  };
  Status status = run();
  if (temporary && !options.keep) fs::remove_all(work_dir, ec);
  if (!status.ok()) return status;
  return report;
}

}  // namespace tenantdb::cli::tpch
