// `tenantdb bench pgwire`: pgbench (PostgreSQL 15's own benchmark client) against
// tenantdb's PostgreSQL protocol listener and against PostgreSQL 15, in the same run, with
// the same scale and client settings.
//
// PostgreSQL: PgPeer (bench_pg_peer.h), fsync and synchronous_commit on, initialized with
// `pgbench -i -s SCALE` (its default steps). tenantdb: `tenantdb serve` (this binary, a
// child process) on a fresh data directory, logged into as root over SCRAM, initialized
// with `pgbench -i -s SCALE -I STEPS` (--init-steps, default dtgvp: pgbench's own default,
// as PostgreSQL's — COPY of the rows, then ALTER TABLE ... ADD PRIMARY KEY).
//
// Measured, each --seconds long, alternating sides so drift in the machine's state falls
// on both: select-only (`pgbench -S -M prepared -c C -j J -T S`), then TPC-B-like
// (`pgbench -M prepared -c C -j J -T S`). tps, latency average and failed transactions
// come from pgbench's own report. After the TPC-B runs, tenantdb's balances are checked:
// sum(abalance) = sum(bbalance) = sum(tbalance) = sum(delta) of the history.
//
// Progress goes to stderr; the last stdout line is one JSON object with every figure and
// the ratios tenantdb / PostgreSQL of the tps (above 1: tenantdb faster).
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "cli/bench_commands.h"
#include "cli/bench_directory.h"
#include "cli/bench_pg_peer.h"
#include "cli/bench_serve_process.h"
#include "cli/bench_util.h"
#include "cli/commands.h"

namespace tenantdb::cli {

namespace {

// What pgbench reports about one run.
struct PgbenchFigures {
  double tps = 0;
  double latency_ms = 0;
  int64_t transactions = 0;
  int64_t failed = 0;
};

// One database pgbench talks to: where, as whom, and where its logs go.
struct Target {
  std::string name;  // "tenantdb" / "postgres"
  std::string host = "127.0.0.1";
  int port = 0;
  std::string user;
  std::string password;  // empty: none (the peer trusts loopback)
  std::string dbname;
  std::string log_dir;
};

std::string RandomPassword() {
  std::random_device rd;
  std::string out;
  const char* hex = "0123456789abcdef";
  for (int i = 0; i < 24; ++i)
    out.push_back(hex[rd() % 16]);
  return out;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `program` with `args` against `target`, waits up to `timeout`, and returns its
// output (stdout and stderr, logged to LOG_DIR/<tag>.log). A non-zero exit is an error
// quoting the output's end.
Result<std::string> RunClient(const std::string& program, const Target& target,
                              const std::vector<std::string>& args, const std::string& tag,
                              std::chrono::seconds timeout) {
  ChildOptions run;
  run.argv = {program, "-h", target.host, "-p", std::to_string(target.port), "-U", target.user};
  for (const std::string& a : args)
    run.argv.push_back(a);
  run.argv.push_back(target.dbname);
  if (!target.password.empty()) run.env.emplace_back("PGPASSWORD", target.password);
  run.env.emplace_back("PGCONNECT_TIMEOUT", "30");
  run.log_path = target.log_dir + "/" + tag + ".log";
  std::error_code ignored;
  std::filesystem::remove(run.log_path, ignored);
  run.stop_grace = std::chrono::seconds(5);
  TDB_ASSIGN_OR_RETURN(ChildProcess child, ChildProcess::Spawn(run));
  if (!child.WaitFor(timeout)) {
    child.Stop();
    return Status(ErrorCode::kIoError, tag + " on " + target.name + ": no end after " +
                                           std::to_string(timeout.count()) +
                                           " s: " + TailOfFile(run.log_path));
  }
  if (child.exit_status() != 0) {
    return Status(ErrorCode::kIoError, tag + " on " + target.name + " " + child.Describe() + ": " +
                                           TailOfFile(run.log_path));
  }
  return ReadFile(run.log_path);
}

// pgbench's report: "tps = 1234.5 (without initial connection time)", "latency average =
// 1.2 ms", "number of transactions actually processed: N", "number of failed
// transactions: N (x%)".
Result<PgbenchFigures> ParsePgbench(const std::string& out) {
  PgbenchFigures f;
  std::smatch m;
  if (!std::regex_search(out, m, std::regex(R"(tps = ([0-9.]+) \(without initial)"))) {
    return Status(ErrorCode::kIoError, "no tps in pgbench's report: " + out.substr(0, 2000));
  }
  f.tps = std::stod(m[1]);
  if (std::regex_search(out, m, std::regex(R"(latency average = ([0-9.]+) ms)"))) {
    f.latency_ms = std::stod(m[1]);
  }
  if (std::regex_search(out, m, std::regex(R"(actually processed: ([0-9]+))"))) {
    f.transactions = std::stoll(m[1]);
  }
  if (std::regex_search(out, m, std::regex(R"(number of failed transactions: ([0-9]+))"))) {
    f.failed = std::stoll(m[1]);
  }
  return f;
}

Result<PgbenchFigures> Measure(const PgwireBenchOptions& options, const Target& target,
                               bool select_only) {
  const std::string pgbench = options.pg_bin + "/pgbench";
  std::vector<std::string> args = {"-M", "prepared",
                                   "-c", std::to_string(options.clients),
                                   "-j", std::to_string(options.threads),
                                   "-T", std::to_string(options.seconds),
                                   "-n"};  // vacuum/truncate are not what is measured
  if (select_only) args.insert(args.begin(), "-S");
  const std::string tag = select_only ? "select_only" : "tpcb";
  TDB_ASSIGN_OR_RETURN(std::string out, RunClient(pgbench, target, args, tag,
                                                  std::chrono::seconds(options.seconds * 3 + 120)));
  TDB_ASSIGN_OR_RETURN(PgbenchFigures f, ParsePgbench(out));
  std::fprintf(stderr,
               "  %-12s %-9s %10.1f tps  latency avg %7.3f ms  %lld transactions, %lld failed\n",
               tag.c_str(), target.name.c_str(), f.tps, f.latency_ms,
               static_cast<long long>(f.transactions), static_cast<long long>(f.failed));
  return f;
}

// The TPC-B invariant after the runs: every delta went to one account, teller and branch
// and one history row, atomically.
Status CheckBalances(const PgwireBenchOptions& options, const Target& target) {
  TDB_ASSIGN_OR_RETURN(
      std::string out,
      RunClient(options.pg_bin + "/psql", target,
                {"-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c",
                 "SELECT (SELECT sum(abalance) FROM pgbench_accounts), (SELECT sum(bbalance) "
                 "FROM pgbench_branches), (SELECT sum(tbalance) FROM pgbench_tellers), (SELECT "
                 "sum(delta) FROM pgbench_history)"},
                "balances", std::chrono::seconds(600)));
  std::string line = out.substr(0, out.find('\n'));
  std::vector<std::string> sums;
  std::stringstream s(line);
  for (std::string cell; std::getline(s, cell, '|');)
    sums.push_back(cell);
  if (sums.size() != 4 || sums[0] != sums[1] || sums[1] != sums[2] || sums[2] != sums[3]) {
    return Status(ErrorCode::kInternal,
                  "TPC-B balances on " + target.name +
                      " disagree (accounts|branches|tellers|history): " + line);
  }
  std::fprintf(stderr, "  balances on %s agree: %s\n", target.name.c_str(), sums[0].c_str());
  return Status::Ok();
}

struct Figures {
  PgbenchFigures select_only, pg_select_only, tpcb, pg_tpcb;
  double init_s = 0, pg_init_s = 0;
  std::string pg_version;
};

double Ratio(double a, double b) {
  return b > 0 ? std::round(a / b * 1000) / 1000 : 0;
}

Status RunWorkload(const PgwireBenchOptions& options, const std::string& dir, Figures* f) {
  const std::string pgbench = options.pg_bin + "/pgbench";
  if (access(pgbench.c_str(), X_OK) != 0) {
    return Status(ErrorCode::kNotFound, "no " + pgbench +
                                            "; install Debian's postgresql-15 and "
                                            "postgresql-contrib (scripts/install-deps.sh)");
  }
  PgPeerOptions pg_options;
  pg_options.bin_dir = options.pg_bin;
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<PgPeer> peer, PgPeer::Start(pg_options));
  f->pg_version = peer->version();
  std::fprintf(stderr,
               "bench pgwire: PostgreSQL peer on 127.0.0.1:%d, fsync and "
               "synchronous_commit on\n",
               peer->port());
  Target pg{"postgres", "127.0.0.1", peer->port(), "bench", "", "postgres", dir};

  ServeOptions serve_options;
  serve_options.data_dir = dir + "/data";
  serve_options.root_password = RandomPassword();
  serve_options.log_path = dir + "/serve.log";
  serve_options.extra_args = options.serve_args;
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<ServeProcess> serve, ServeProcess::Start(serve_options));
  std::smatch m;
  const std::string log = ReadFile(serve_options.log_path);
  if (!std::regex_search(log, m, std::regex(R"(pgwire listening on ([0-9.]+):([0-9]+))"))) {
    return Status(ErrorCode::kIoError,
                  "tenantdb serve printed no 'pgwire listening on' line: " + log.substr(0, 2000));
  }
  Target tenant{"tenantdb", m[1], std::stoi(m[2]), "root", serve_options.root_password,
                "tenantdb", dir};
  std::fprintf(stderr, "bench pgwire: tenantdb serve (pid %d) pgwire on %s:%d, log %s\n",
               int(serve->pid()), tenant.host.c_str(), tenant.port, serve_options.log_path.c_str());

  const std::string scale = std::to_string(options.scale);
  const auto init_timeout = std::chrono::seconds(600 + 300 * options.scale);
  double t0 = NowSeconds();
  TDB_RETURN_IF_ERROR(
      RunClient(pgbench, pg, {"-i", "-s", scale, "-q"}, "init", init_timeout).status());
  f->pg_init_s = NowSeconds() - t0;
  std::fprintf(stderr, "  init postgres scale %d: %.1f s\n", options.scale, f->pg_init_s);
  t0 = NowSeconds();
  TDB_RETURN_IF_ERROR(RunClient(pgbench, tenant, {"-i", "-s", scale, "-I", options.init_steps},
                                "init", init_timeout)
                          .status());
  f->init_s = NowSeconds() - t0;
  std::fprintf(stderr, "  init tenantdb scale %d (-I %s): %.1f s\n", options.scale,
               options.init_steps.c_str(), f->init_s);

  std::fprintf(stderr, "bench pgwire: -M prepared -c %d -j %d -T %d\n", options.clients,
               options.threads, options.seconds);
  TDB_ASSIGN_OR_RETURN(f->select_only, Measure(options, tenant, true));
  TDB_ASSIGN_OR_RETURN(f->pg_select_only, Measure(options, pg, true));
  TDB_ASSIGN_OR_RETURN(f->tpcb, Measure(options, tenant, false));
  TDB_ASSIGN_OR_RETURN(f->pg_tpcb, Measure(options, pg, false));
  TDB_RETURN_IF_ERROR(CheckBalances(options, tenant));
  return Status::Ok();
}

}  // namespace

int RunPgwireBench(const PgwireBenchOptions& options) {
  Figures f;
  const Status status =
      RunInBenchDirectory("pgwire", options.directory, options.keep,
                          [&](const std::string& dir) { return RunWorkload(options, dir, &f); });
  if (!status.ok()) {
    std::fprintf(stderr, "bench pgwire: %s\n", status.ToString().c_str());
    return 1;
  }
  JsonLine json;
  json.Add("bench", std::string("pgwire"))
      .Add("scale", double(options.scale))
      .Add("clients", double(options.clients))
      .Add("threads", double(options.threads))
      .Add("seconds", double(options.seconds))
      .Add("durability", std::string("fsync and synchronous_commit on; tenantdb syncs its WAL"))
      .Add("init_s", std::round(f.init_s * 10) / 10)
      .Add("pg_init_s", std::round(f.pg_init_s * 10) / 10)
      .Add("select_only_tps", std::round(f.select_only.tps))
      .Add("pg_select_only_tps", std::round(f.pg_select_only.tps))
      .Add("select_only_latency_ms", f.select_only.latency_ms)
      .Add("pg_select_only_latency_ms", f.pg_select_only.latency_ms)
      .Add("tpcb_tps", std::round(f.tpcb.tps))
      .Add("pg_tpcb_tps", std::round(f.pg_tpcb.tps))
      .Add("tpcb_latency_ms", f.tpcb.latency_ms)
      .Add("pg_tpcb_latency_ms", f.pg_tpcb.latency_ms)
      .Add("select_only_ratio", Ratio(f.select_only.tps, f.pg_select_only.tps))
      .Add("tpcb_ratio", Ratio(f.tpcb.tps, f.pg_tpcb.tps))
      .Add("failed_transactions", double(f.select_only.failed + f.tpcb.failed))
      .Add("pg_failed_transactions", double(f.pg_select_only.failed + f.pg_tpcb.failed));
  json.Print();
  return 0;
}

void RegisterPgwireBench(CLI::App* bench) {
  auto options = std::make_shared<PgwireBenchOptions>();
  CLI::App* p = bench->add_subcommand(
      "pgwire", "pgbench against tenantdb's PostgreSQL protocol and against PostgreSQL 15");
  p->add_option("--seconds", options->seconds, "Seconds per pgbench run (-T)")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  p->add_option("--scale", options->scale, "pgbench scale factor (-s; 100,000 accounts each)")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  p->add_option("--clients", options->clients, "pgbench clients (-c)")
      ->check(CLI::Range(1, 60))
      ->capture_default_str();
  p->add_option("--threads", options->threads, "pgbench threads (-j)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  p->add_option("--init-steps", options->init_steps, "pgbench -I steps for tenantdb")
      ->capture_default_str();
  p->add_option("--pg-bin", options->pg_bin,
                "Directory with PostgreSQL 15's initdb, postgres, pgbench and psql")
      ->capture_default_str();
  p->add_option("--serve-arg", options->serve_args,
                "Extra argument for `tenantdb serve` (repeatable)");
  p->add_option("--dir", options->directory,
                "Working directory for the server's data and the logs (erased first; default: "
                "a temporary one, removed after)");
  p->add_flag("--keep", options->keep, "Keep the working directory afterwards");
  p->callback([options] { SetExitCode(RunPgwireBench(*options)); });
}

}  // namespace tenantdb::cli
