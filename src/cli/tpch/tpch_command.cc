// `tenantdb tpch generate|check` and `tenantdb bench tpch` (see docs/tpch.md):
//   tpch generate  writes a TPC-H data set (tpch_generator.h)
//   tpch check     the correctness test: tenantdb's answers against DuckDB's at a small
//                  scale factor; fails when a query of kExpectedCorrect (tpch_expected.h)
//                  does not match
//   bench tpch     per-query times of tenantdb, SQLite and DuckDB (one thread), the
//                  number of correct answers and peak RSS; the last stdout line is JSON
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "cli/bench_commands.h"
#include "cli/bench_util.h"
#include "cli/commands.h"
#include "cli/tpch/tpch_expected.h"
#include "cli/tpch/tpch_generator.h"
#include "cli/tpch/tpch_run.h"

namespace tenantdb::cli {

namespace {

using tpch::RunOptions;
using tpch::RunReport;

struct CommandOptions {
  RunOptions run;
  std::string queries;
  uint64_t timeout_s = 0;  // 0: the command's default
  std::string out;         // generate: the directory
  uint64_t rows_per_file = 1'000'000;
  uint64_t peer_timeout_s = 600;
  uint64_t other_timeout_s = 10;  // check: queries not in kExpectedCorrect
};

void AddRunOptions(CLI::App* c, CommandOptions* o) {
  c->add_option("--sf", o->run.sf, "Scale factor (SF 1: 6 million lineitem rows)")
      ->check(CLI::Range(0.0001, 300.0));
  c->add_option("--seed", o->run.seed, "Seed of the data generator");
  c->add_option("--queries", o->queries, "Queries to run, e.g. 1,3,5-7 (default: all 22)");
  c->add_option("--data-dir", o->run.data_dir,
                "Data set directory, reused when its manifest has the same sf and seed");
  c->add_option("--dir", o->run.work_dir, "Working directory (erased first)");
  c->add_flag("--keep", o->run.keep, "Keep the working directory afterwards");
  c->add_option("--interop-dir", o->run.interop_dir,
                "Directory with duckdb_tpch.mjs and node_modules (npm ci)");
  c->add_option("--timeout-s", o->timeout_s, "Statement timeout of each tenantdb query");
  c->add_option("--memory-mb", o->run.limits.memory_mb, "statement_mem of each tenantdb query");
  c->add_flag("--flush,!--no-flush", o->run.flush,
              "Flush every table to Parquet after loading (default: yes)");
}

Status Prepare(CommandOptions* o, uint64_t default_timeout_s) {
  TDB_ASSIGN_OR_RETURN(o->run.queries, tpch::ParseQueryList(o->queries));
  o->run.limits.timeout_ms = 1000 * (o->timeout_s != 0 ? o->timeout_s : default_timeout_s);
  o->run.peer_timeout_ms = 1000 * o->peer_timeout_s;
  return Status::Ok();
}

std::string List(const std::vector<int>& queries) {
  std::string s;
  for (int q : queries)
    s += (s.empty() ? "" : ",") + std::to_string(q);
  return s.empty() ? "none" : s;
}

int RunGenerate(const CommandOptions& o) {
  tpch::GenerateOptions g;
  g.sf = o.run.sf;
  g.seed = o.run.seed;
  g.rows_per_file = o.rows_per_file;
  const double start = NowSeconds();
  auto manifest = tpch::Generate(o.out, g);
  if (!manifest.ok()) {
    std::fprintf(stderr, "tpch generate: %s\n", manifest.status().ToString().c_str());
    return 1;
  }
  for (const tpch::TableFiles& t : manifest->tables) {
    std::fprintf(stderr, "%-9s %10llu rows in %zu file(s)\n", t.table.c_str(),
                 static_cast<unsigned long long>(t.rows), t.files.size());
  }
  std::fprintf(stderr, "SF %g written to %s in %.1f s\n", g.sf, o.out.c_str(),
               NowSeconds() - start);
  return 0;
}

int RunCheck(CommandOptions o) {
  if (Status s = Prepare(&o, 30); !s.ok()) {
    std::fprintf(stderr, "tpch check: %s\n", s.ToString().c_str());
    return 2;
  }
  // The queries not expected to be correct yet only inform: they get less time.
  for (int q : o.run.queries) {
    if (std::find(tpch::kExpectedCorrect.begin(), tpch::kExpectedCorrect.end(), q) ==
        tpch::kExpectedCorrect.end()) {
      o.run.timeout_ms_by_query[q] = 1000 * o.other_timeout_s;
    }
  }
  auto report = tpch::RunTpch(o.run, true);
  if (!report.ok()) {
    std::fprintf(stderr, "tpch check: %s\n", report.status().ToString().c_str());
    return 1;
  }
  std::vector<int> correct, broken, newly;
  for (int q : o.run.queries) {
    const bool expected = std::find(tpch::kExpectedCorrect.begin(), tpch::kExpectedCorrect.end(),
                                    q) != tpch::kExpectedCorrect.end();
    if (report->Correct(q)) {
      correct.push_back(q);
      if (!expected) newly.push_back(q);
    } else {
      if (!report->tenantdb[q].ok || !report->diffs[q].empty()) {
        std::printf("Q%d: %s\n%s", q,
                    report->tenantdb[q].ok ? "wrong answer" : report->tenantdb[q].error.c_str(),
                    report->tenantdb[q].ok ? report->diffs[q].c_str() : "");
      }
      if (expected) broken.push_back(q);
    }
  }
  std::printf("correct: %s (%zu of %zu)\n", List(correct).c_str(), correct.size(),
              o.run.queries.size());
  if (!newly.empty()) {
    std::printf(
        "correct but not in kExpectedCorrect (src/cli/tpch/tpch_expected.h; add them): "
        "%s\n",
        List(newly).c_str());
  }
  if (!broken.empty()) {
    std::printf("FAILED: expected correct but not: %s\n", List(broken).c_str());
    return 1;
  }
  return 0;
}

// Sum of the queries' times; `null` entries (failed queries) are skipped.
double SumMs(const std::map<int, tpch::QueryOutcome>& outcomes, const std::vector<int>& queries) {
  double sum = 0;
  for (int q : queries) {
    auto it = outcomes.find(q);
    if (it != outcomes.end() && it->second.ok) sum += it->second.ms;
  }
  return sum;
}

int RunBench(CommandOptions o) {
  if (Status s = Prepare(&o, 60); !s.ok()) {
    std::fprintf(stderr, "bench tpch: %s\n", s.ToString().c_str());
    return 2;
  }
  auto report = tpch::RunTpch(o.run, true);
  if (!report.ok()) {
    std::fprintf(stderr, "bench tpch: %s\n", report.status().ToString().c_str());
    return 1;
  }
  const RunReport& r = *report;
  JsonLine json;
  json.Add("sf", o.run.sf);
  int correct = 0;
  std::vector<int> common;  // answered by every engine: the ratios' basis
  std::fprintf(stderr, "%-4s %12s %12s %12s  %s\n", "q", "tenantdb ms", "sqlite ms", "duckdb ms",
               "tenantdb answer");
  auto ms_text = [](const std::map<int, tpch::QueryOutcome>& m, int q) {
    auto it = m.find(q);
    char buf[32];
    if (it == m.end()) return std::string("-");
    if (!it->second.ok) return std::string("failed");
    std::snprintf(buf, sizeof(buf), "%.1f", it->second.ms);
    return std::string(buf);
  };
  for (int q : o.run.queries) {
    const auto& t = r.tenantdb.at(q);
    const std::string key = "q" + std::to_string(q) + "_ms";
    if (t.ok) {
      json.Add(key, std::round(t.ms * 10) / 10);
    } else {
      json.AddNull(key);
    }
    correct += r.Correct(q) ? 1 : 0;
    const bool sqlite_ok = o.run.sqlite && r.sqlite.count(q) && r.sqlite.at(q).ok;
    const bool duck_ok = r.duckdb.count(q) && r.duckdb.at(q).ok;
    if (t.ok && duck_ok && (sqlite_ok || !o.run.sqlite)) common.push_back(q);
    std::fprintf(stderr, "Q%-3d %12s %12s %12s  %s\n", q, ms_text(r.tenantdb, q).c_str(),
                 ms_text(r.sqlite, q).c_str(), ms_text(r.duckdb, q).c_str(),
                 r.Correct(q) ? "correct"
                 : t.ok       ? "WRONG"
                              : t.error.c_str());
  }
  const double total = SumMs(r.tenantdb, o.run.queries);
  const double duck_total = SumMs(r.duckdb, o.run.queries);
  const double sqlite_total = SumMs(r.sqlite, o.run.queries);
  json.Add("correct_queries", double(correct));
  json.Add("total_ms", std::round(total));
  if (o.run.sqlite) {
    json.Add("sqlite_total_ms", std::round(sqlite_total));
  } else {
    json.AddNull("sqlite_total_ms");
  }
  json.Add("duckdb_total_ms", std::round(duck_total));
  // Ratios: tenantdb's time over the peer's, on the queries every engine answered.
  const double t_common = SumMs(r.tenantdb, common);
  const double s_common = SumMs(r.sqlite, common);
  const double d_common = SumMs(r.duckdb, common);
  json.Add("common_queries", double(common.size()));
  if (o.run.sqlite && s_common > 0 && !common.empty()) {
    json.Add("vs_sqlite", t_common / s_common);
  } else {
    json.AddNull("vs_sqlite");
  }
  if (d_common > 0 && !common.empty()) {
    json.Add("vs_duckdb", t_common / d_common);
  } else {
    json.AddNull("vs_duckdb");
  }
  json.Add("load_ms", std::round(r.tenantdb_load_ms));
  json.Add("sqlite_load_ms", std::round(r.sqlite_load_ms));
  json.Add("duckdb_load_ms", std::round(r.duckdb_load_ms));
  json.Add("peak_rss_mb", std::round(r.peak_rss_mb));
  std::fprintf(stderr,
               "SF %g: %d of %zu correct; tenantdb %.0f ms (failed queries excluded), SQLite "
               "%.0f ms, DuckDB (1 thread) %.0f ms; on the %zu queries all answered: tenantdb "
               "%.0f ms, SQLite %.0f ms, DuckDB %.0f ms; tenantdb load %.0f ms; peak RSS %.0f MB\n",
               o.run.sf, correct, o.run.queries.size(), total, sqlite_total, duck_total,
               common.size(), t_common, s_common, d_common, r.tenantdb_load_ms, r.peak_rss_mb);
  json.Print();
  return 0;
}

}  // namespace

void RegisterTpchCommands(CLI::App& app) {
  CLI::App* tpch = app.add_subcommand("tpch", "TPC-H: generate data, check answers");
  tpch->require_subcommand(1);

  auto gen = std::make_shared<CommandOptions>();
  CLI::App* g = tpch->add_subcommand("generate", "Write a TPC-H data set ('|'-separated CSV)");
  g->add_option("--sf", gen->run.sf, "Scale factor")->check(CLI::Range(0.0001, 300.0));
  g->add_option("--seed", gen->run.seed, "Seed");
  g->add_option("--out", gen->out, "Directory to write")->required();
  g->add_option("--rows-per-file", gen->rows_per_file, "Largest part of a table's files")
      ->check(CLI::PositiveNumber);
  g->callback([gen] { SetExitCode(RunGenerate(*gen)); });

  auto check = std::make_shared<CommandOptions>();
  CLI::App* c = tpch->add_subcommand(
      "check",
      "Compare tenantdb's answers with DuckDB's; fail if an expected query does not match");
  AddRunOptions(c, check.get());
  c->add_option("--other-timeout-s", check->other_timeout_s,
                "Statement timeout of the queries not expected to be correct yet");
  c->callback([check] { SetExitCode(RunCheck(*check)); });
}

void RegisterTpchBench(CLI::App* bench) {
  auto options = std::make_shared<CommandOptions>();
  options->run.sf = 1;
  options->run.sqlite = true;
  CLI::App* b = bench->add_subcommand("tpch", "TPC-H's 22 queries against SQLite and DuckDB");
  AddRunOptions(b, options.get());
  b->add_option("--peer-timeout-s", options->peer_timeout_s, "Time limit of a SQLite query");
  b->add_flag("--sqlite,!--no-sqlite", options->run.sqlite, "Run SQLite too (default: yes)");
  b->callback([options] { SetExitCode(RunBench(*options)); });
}

}  // namespace tenantdb::cli
