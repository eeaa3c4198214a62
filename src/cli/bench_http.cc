// `tenantdb bench http`: tenantdb as a server, over HTTP/1.1 + JSON, against PostgreSQL 15
// over libpq, in the same run, with the same statements and the same client concurrency.
//
// tenantdb: `tenantdb serve` (this binary, a child process) on a fresh data directory and
// an ephemeral loopback port; root creates the namespace `bench`, the USER table
// bench.messages (id BIGINT PRIMARY KEY, conversation BIGINT, body TEXT, created_at
// TIMESTAMP) and --clients users; each client thread logs in once as its own user and
// then sends every statement with its Bearer token on one keep-alive connection. A USER
// table gives each user a private slice: the user id is not in the statements.
//
// PostgreSQL: PgPeer (bench_pg_peer.h), fsync and synchronous_commit on, --clients libpq
// connections; the equivalent table carries the user in a column: messages(user_id,
// id, conversation, body, created_at, PRIMARY KEY (user_id, id)), every statement
// filtered by user_id, prepared once per connection.
//
// Phases, each --seconds long with every client busy (client i is user i):
//   insert        single-row INSERT of the user's next id. Acknowledged = durable on both
//                 sides (tenantdb's synced WAL, PostgreSQL's synced commit); concurrent
//                 commits may share one sync on both.
//   (load)        untimed: every user topped up to --rows-per-user rows in multi-row
//                 INSERTs; each user's count checked on both sides.
//   point select  the row of a random id of the user's; must be that row.
//   recent20      the user's 20 newest rows (ORDER BY id DESC LIMIT 20); must be 20 rows
//                 starting with the newest id.
// Each phase is cut into --rounds slices and the sides take turns slice by slice in the
// order ABBA ABBA... (tenantdb, PostgreSQL, PostgreSQL, tenantdb, ...), so drift in a
// shared machine's speed — which moves throughput by tens of percent within seconds —
// falls on both sides alike; each side's figures pool its slices. Then tenantdb alone at
// 10 clients in flight:
// insert and point select medians (KalamDB publishes its medians at 10 in flight).
//
// Progress and a table go to stderr; the last stdout line is one JSON object with every
// figure and the ratios tenantdb / PostgreSQL of the rates (above 1: tenantdb faster).
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "cli/bench_commands.h"
#include "cli/bench_directory.h"
#include "cli/bench_http_client.h"
#include "cli/bench_pg_peer.h"
#include "cli/bench_serve_process.h"
#include "cli/bench_util.h"
#include "cli/commands.h"

namespace tenantdb::cli {

namespace {

constexpr int64_t kConversations = 8;
constexpr size_t kLoadRowsPerStatement = 200;

// Row `id` of user `user`: the same on both sides.
std::string Body(int user, int64_t id) {
  return "message " + std::to_string(id) + " of user " + std::to_string(user) +
         ": the quick brown fox jumps over the lazy dog";
}
int64_t Conversation(int64_t id) {
  return id % kConversations;
}
// 2024-01-01 00:00:00 UTC plus `id` seconds, as "YYYY-MM-DD HH:MM:SS".
std::string CreatedAt(int64_t id) {
  const time_t t = time_t(1'704'067'200 + id);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}
std::string SqlText(const std::string& s) {
  return "'" + s + "'";
}  // bench text has no '

struct PhaseFigures {
  uint64_t ops = 0;
  double seconds = 0;
  double per_s = 0;
  double p50_us = 0;
  double p99_us = 0;
};

// What the slices of one side's phase measured: every operation's latency (ns), and the
// time its clients ran.
struct PhaseSamples {
  std::vector<int64_t> latencies;
  double seconds = 0;

  PhaseFigures Figures() {
    PhaseFigures f;
    f.ops = latencies.size();
    f.seconds = seconds;
    f.per_s = seconds > 0 ? double(latencies.size()) / seconds : 0;
    f.p50_us = Percentile(latencies, 50) / 1000.0;
    f.p99_us = Percentile(latencies, 99) / 1000.0;
    return f;
  }
};

// Runs `op(client, rng)` on `clients` threads for `seconds`, each thread as fast as its
// operations return. The first failure stops every thread and is returned.
using ClientOp = std::function<Status(int client, std::mt19937_64& rng)>;
Status RunSlice(int clients, double seconds, const ClientOp& op, PhaseSamples* into) {
  std::vector<std::vector<int64_t>> latencies(static_cast<size_t>(clients));
  std::atomic<bool> stop{false};
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::mutex error_mu;
  Status first_error;
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      std::mt19937_64 rng(uint64_t(c) * 7919 + 1);
      std::vector<int64_t>& mine = latencies[size_t(c)];
      mine.reserve(1 << 16);
      ready.fetch_add(1);
      while (!go.load(std::memory_order_acquire))
        std::this_thread::yield();
      while (!stop.load(std::memory_order_relaxed)) {
        const int64_t start = NowNanos();
        Status s = op(c, rng);
        if (!s.ok()) {
          std::lock_guard<std::mutex> lock(error_mu);
          if (first_error.ok()) first_error = std::move(s);
          stop.store(true);
          break;
        }
        mine.push_back(NowNanos() - start);
      }
    });
  }
  while (ready.load() < clients)
    std::this_thread::yield();
  const double start = NowSeconds();
  go.store(true, std::memory_order_release);
  while (NowSeconds() - start < seconds && !stop.load())
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  stop.store(true);
  for (std::thread& t : threads)
    t.join();
  const double elapsed = NowSeconds() - start;
  TDB_RETURN_IF_ERROR(first_error);
  for (auto& v : latencies)
    into->latencies.insert(into->latencies.end(), v.begin(), v.end());
  into->seconds += elapsed;
  return Status::Ok();
}

Result<PhaseFigures> RunPhase(int clients, double seconds, const ClientOp& op) {
  PhaseSamples samples;
  TDB_RETURN_IF_ERROR(RunSlice(clients, seconds, op, &samples));
  return samples.Figures();
}

// One phase on both sides: `rounds` slices of seconds / rounds each, in the order ABBA
// ABBA... (A = tenantdb). Without `tenant` (--only-pg) PostgreSQL alone.
Status RunPairedPhase(int clients, double seconds, int rounds, const ClientOp* tenant,
                      const ClientOp& pg, PhaseFigures* tenant_figures, PhaseFigures* pg_figures) {
  PhaseSamples a, b;
  const double slice = seconds / rounds;
  for (int r = 0; r < rounds; ++r) {
    const bool tenant_first = r % 2 == 0;
    if (tenant != nullptr && tenant_first)
      TDB_RETURN_IF_ERROR(RunSlice(clients, slice, *tenant, &a));
    TDB_RETURN_IF_ERROR(RunSlice(clients, slice, pg, &b));
    if (tenant != nullptr && !tenant_first) {
      TDB_RETURN_IF_ERROR(RunSlice(clients, slice, *tenant, &a));
    }
  }
  if (tenant != nullptr) *tenant_figures = a.Figures();
  *pg_figures = b.Figures();
  return Status::Ok();
}

Status Check(bool ok, const std::string& what) {
  return ok ? Status::Ok() : Status(ErrorCode::kInternal, "bench http: check failed: " + what);
}

// A JSON cell as an integer: tenantdb sends BIGINTs beyond 2^53 as strings.
int64_t CellInt(const boost::json::value& v) {
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64()) return int64_t(v.as_uint64());
  if (v.is_double()) return std::llround(v.as_double());
  if (v.is_string()) return std::stoll(std::string(v.as_string()));
  return -1;
}

// ---- the tenantdb side ---------------------------------------------------------------

class TenantSide {
 public:
  TenantSide(const HttpBenchOptions& options, ServeProcess* serve)
      : options_(options), serve_(serve) {}

  Status Setup(const std::string& root_password) {
    BenchSqlClient root(serve_->host(), serve_->port());
    TDB_RETURN_IF_ERROR(root.Login("root", root_password));
    TDB_RETURN_IF_ERROR(root.Sql("CREATE NAMESPACE IF NOT EXISTS bench").status());
    TDB_RETURN_IF_ERROR(root.Sql("CREATE TABLE bench.messages (id BIGINT PRIMARY KEY, "
                                 "conversation BIGINT, body TEXT, created_at TIMESTAMP) "
                                 "WITH (TYPE = 'USER')")
                            .status());
    for (int u = 0; u < options_.clients; ++u) {
      const std::string password = "bench-password-" + std::to_string(u) + "-" + salt_;
      TDB_RETURN_IF_ERROR(
          root.Sql("CREATE USER '" + UserName(u) + "' WITH PASSWORD '" + password + "' ROLE user")
              .status());
      auto client = std::make_unique<BenchSqlClient>(serve_->host(), serve_->port());
      TDB_RETURN_IF_ERROR(client->Login(UserName(u), password));
      clients_.push_back(std::move(client));
    }
    rows_.assign(size_t(options_.clients), 0);
    return Status::Ok();
  }

  Status Insert(int c) {
    const int64_t id = ++rows_[size_t(c)];
    boost::json::array params{id, Conversation(id), Body(c, id), CreatedAt(id)};
    TDB_ASSIGN_OR_RETURN(boost::json::value r,
                         clients_[size_t(c)]->Sql("INSERT INTO bench.messages (id, "
                                                  "conversation, body, created_at) VALUES ($1, "
                                                  "$2, $3, $4::TIMESTAMP)",
                                                  boost::json::serialize(params), "bench"));
    return CheckRowCount(r, 1, "tenantdb INSERT of id " + std::to_string(id));
  }

  Status PointSelect(int c, std::mt19937_64& rng) {
    const int64_t n = rows_[size_t(c)];
    const int64_t id = int64_t(rng() % uint64_t(n)) + 1;
    TDB_ASSIGN_OR_RETURN(
        boost::json::value r,
        clients_[size_t(c)]->Sql("SELECT id, conversation, body, created_at FROM bench.messages "
                                 "WHERE id = $1",
                                 "[" + std::to_string(id) + "]", "bench"));
    const boost::json::array* rows = BenchResultRows(r);
    return Check(rows != nullptr && rows->size() == 1 && (*rows)[0].is_array() &&
                     CellInt((*rows)[0].as_array().at(0)) == id,
                 "tenantdb point select of id " + std::to_string(id) + " of " + UserName(c));
  }

  Status Recent20(int c) {
    const int64_t n = rows_[size_t(c)];
    TDB_ASSIGN_OR_RETURN(
        boost::json::value r,
        clients_[size_t(c)]->Sql("SELECT id, conversation, body, created_at FROM bench.messages "
                                 "ORDER BY id DESC LIMIT 20",
                                 "", "bench"));
    const boost::json::array* rows = BenchResultRows(r);
    return Check(rows != nullptr && rows->size() == size_t(std::min<int64_t>(20, n)) &&
                     (*rows)[0].is_array() && CellInt((*rows)[0].as_array().at(0)) == n,
                 "tenantdb recent20 of " + UserName(c));
  }

  // Every user up to `target` rows (untimed), then each user's count checked.
  Status TopUp(int64_t target) {
    for (int c = 0; c < options_.clients; ++c) {
      int64_t& n = rows_[size_t(c)];
      while (n < target) {
        const int64_t end = std::min<int64_t>(target, n + int64_t(kLoadRowsPerStatement));
        std::string sql = "INSERT INTO bench.messages (id, conversation, body, created_at) VALUES ";
        for (int64_t id = n + 1; id <= end; ++id) {
          if (id > n + 1) sql += ", ";
          sql += "(" + std::to_string(id) + ", " + std::to_string(Conversation(id)) + ", " +
                 SqlText(Body(c, id)) + ", TIMESTAMP " + SqlText(CreatedAt(id)) + ")";
        }
        TDB_ASSIGN_OR_RETURN(boost::json::value r, clients_[size_t(c)]->Sql(sql, "", "bench"));
        TDB_RETURN_IF_ERROR(CheckRowCount(r, end - n, "tenantdb multi-row INSERT"));
        n = end;
      }
    }
    for (int c = 0; c < options_.clients; ++c) {
      TDB_ASSIGN_OR_RETURN(
          boost::json::value r,
          clients_[size_t(c)]->Sql("SELECT count(*) FROM bench.messages", "", "bench"));
      const boost::json::array* rows = BenchResultRows(r);
      TDB_RETURN_IF_ERROR(Check(rows != nullptr && rows->size() == 1 &&
                                    CellInt((*rows)[0].as_array().at(0)) == rows_[size_t(c)],
                                "tenantdb row count of " + UserName(c)));
    }
    return Status::Ok();
  }

  int64_t rows(int c) const { return rows_[size_t(c)]; }
  int connects() const {
    int n = 0;
    for (const auto& c : clients_)
      n += c->http().connects();
    return n;
  }

 private:
  static std::string UserName(int u) { return "bench_user" + std::to_string(u); }

  // An INSERT's result reports the rows it wrote in "row_count" (and "INSERT 0 n").
  static Status CheckRowCount(const boost::json::value& r, int64_t expected,
                              const std::string& what) {
    const auto& results = r.as_object().at("results");
    const boost::json::value* count =
        results.is_array() && !results.as_array().empty() && results.as_array()[0].is_object()
            ? results.as_array()[0].as_object().if_contains("row_count")
            : nullptr;
    return Check(count != nullptr && CellInt(*count) == expected,
                 what + " wrote " + std::to_string(expected) +
                     " row(s): " + boost::json::serialize(r).substr(0, 200));
  }

  const HttpBenchOptions& options_;
  ServeProcess* serve_;
  const std::string salt_ = std::to_string(getpid());
  std::vector<std::unique_ptr<BenchSqlClient>> clients_;
  std::vector<int64_t> rows_;  // user i's ids are 1..rows_[i]
};

// ---- the PostgreSQL side --------------------------------------------------------------

class PgSide {
 public:
  explicit PgSide(const HttpBenchOptions& options) : options_(options) {}

  Status Setup(const PgPeer& peer) {
    TDB_ASSIGN_OR_RETURN(PgConnection admin, PgConnection::Connect(peer.conninfo()));
    TDB_RETURN_IF_ERROR(admin.Exec(
        "CREATE TABLE messages (user_id BIGINT NOT NULL, id BIGINT NOT NULL, conversation "
        "BIGINT, body TEXT, created_at TIMESTAMP, PRIMARY KEY (user_id, id))"));
    for (int c = 0; c < options_.clients; ++c) {
      TDB_ASSIGN_OR_RETURN(PgConnection conn, PgConnection::Connect(peer.conninfo()));
      TDB_RETURN_IF_ERROR(conn.Prepare("ins",
                                       "INSERT INTO messages (user_id, id, conversation, body, "
                                       "created_at) VALUES ($1, $2, $3, $4, $5)",
                                       5));
      TDB_RETURN_IF_ERROR(conn.Prepare("point",
                                       "SELECT id, conversation, body, created_at FROM messages "
                                       "WHERE user_id = $1 AND id = $2",
                                       2));
      TDB_RETURN_IF_ERROR(conn.Prepare("recent",
                                       "SELECT id, conversation, body, created_at FROM messages "
                                       "WHERE user_id = $1 ORDER BY id DESC LIMIT 20",
                                       1));
      TDB_RETURN_IF_ERROR(
          conn.Prepare("count", "SELECT count(*) FROM messages WHERE user_id = $1", 1));
      conns_.push_back(std::move(conn));
    }
    rows_.assign(size_t(options_.clients), 0);
    return Status::Ok();
  }

  Status Insert(int c) {
    const int64_t id = ++rows_[size_t(c)];
    return conns_[size_t(c)]
        .Run("ins", {std::to_string(c), std::to_string(id), std::to_string(Conversation(id)),
                     Body(c, id), CreatedAt(id)})
        .status();
  }

  Status PointSelect(int c, std::mt19937_64& rng) {
    const int64_t id = int64_t(rng() % uint64_t(rows_[size_t(c)])) + 1;
    TDB_ASSIGN_OR_RETURN(auto rows,
                         conns_[size_t(c)].Run("point", {std::to_string(c), std::to_string(id)}));
    return Check(rows.size() == 1 && rows[0][0] == std::to_string(id),
                 "PostgreSQL point select of id " + std::to_string(id));
  }

  Status Recent20(int c) {
    const int64_t n = rows_[size_t(c)];
    TDB_ASSIGN_OR_RETURN(auto rows, conns_[size_t(c)].Run("recent", {std::to_string(c)}));
    return Check(rows.size() == size_t(std::min<int64_t>(20, n)) && rows[0][0] == std::to_string(n),
                 "PostgreSQL recent20 of user " + std::to_string(c));
  }

  Status TopUp(int64_t target) {
    for (int c = 0; c < options_.clients; ++c) {
      int64_t& n = rows_[size_t(c)];
      while (n < target) {
        const int64_t end = std::min<int64_t>(target, n + int64_t(kLoadRowsPerStatement));
        std::string sql =
            "INSERT INTO messages (user_id, id, conversation, body, created_at) VALUES ";
        for (int64_t id = n + 1; id <= end; ++id) {
          if (id > n + 1) sql += ", ";
          sql += "(" + std::to_string(c) + ", " + std::to_string(id) + ", " +
                 std::to_string(Conversation(id)) + ", " + SqlText(Body(c, id)) + ", " +
                 SqlText(CreatedAt(id)) + ")";
        }
        TDB_RETURN_IF_ERROR(conns_[size_t(c)].Exec(sql));
        n = end;
      }
    }
    for (int c = 0; c < options_.clients; ++c) {
      TDB_ASSIGN_OR_RETURN(auto rows, conns_[size_t(c)].Run("count", {std::to_string(c)}));
      TDB_RETURN_IF_ERROR(Check(rows.size() == 1 && rows[0][0] == std::to_string(rows_[size_t(c)]),
                                "PostgreSQL row count of user " + std::to_string(c)));
    }
    // Fresh statistics, as a deployed database would have.
    return conns_[0].Exec("ANALYZE messages");
  }

  int64_t rows(int c) const { return rows_[size_t(c)]; }

 private:
  const HttpBenchOptions& options_;
  std::vector<PgConnection> conns_;
  std::vector<int64_t> rows_;
};

struct Figures {
  PhaseFigures insert, point, recent20;
  PhaseFigures pg_insert, pg_point, pg_recent20;
  PhaseFigures insert10, point10;
  int server_threads = 0;
  std::string pg_version;
};

void PrintPhase(const char* name, const PhaseFigures& f) {
  std::fprintf(stderr, "  %-30s %10.0f ops/s  p50 %8.0f us  p99 %8.0f us  (%llu ops in %.1f s)\n",
               name, f.per_s, f.p50_us, f.p99_us, static_cast<unsigned long long>(f.ops),
               f.seconds);
}

std::string RandomPassword() {
  std::random_device rd;
  std::string out;
  const char* hex = "0123456789abcdef";
  for (int i = 0; i < 24; ++i)
    out.push_back(hex[rd() % 16]);
  return out;
}

// Stops the server (when there is one), saying how many threads it ran.
Status StopServe(ServeProcess* serve, std::unique_ptr<TenantSide>* tenant, Figures* f) {
  if (serve == nullptr) return Status::Ok();
  f->server_threads = serve->Threads();
  std::fprintf(stderr,
               "bench http: tenantdb serve ran %d threads; the clients opened %d "
               "connections\n",
               f->server_threads, (*tenant)->connects());
  tenant->reset();  // the connections close before the server stops
  const int status = serve->Stop();
  std::fprintf(stderr, "bench http: tenantdb serve stopped (wait status %d)\n", status);
  return Status::Ok();
}

Status RunWorkload(const HttpBenchOptions& options, const std::string& dir, Figures* f) {
  // The peer first: when PostgreSQL is missing, say so before the longer tenantdb setup.
  PgPeerOptions pg_options;
  pg_options.bin_dir = options.pg_bin;
  pg_options.max_connections = options.clients + 8;
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<PgPeer> peer, PgPeer::Start(pg_options));
  f->pg_version = peer->version();
  std::fprintf(stderr,
               "bench http: PostgreSQL peer on 127.0.0.1:%d (%s), fsync and "
               "synchronous_commit on\n",
               peer->port(), f->pg_version.substr(0, f->pg_version.find(" on ")).c_str());

  PgSide pg(options);
  TDB_RETURN_IF_ERROR(pg.Setup(*peer));
  const bool with_tenantdb = !options.only_pg;
  ServeOptions serve_options;
  std::unique_ptr<ServeProcess> serve;
  std::unique_ptr<TenantSide> tenant;
  if (with_tenantdb) {
    serve_options.data_dir = dir + "/data";
    serve_options.root_password = RandomPassword();
    serve_options.log_path = dir + "/serve.log";
    serve_options.extra_args = options.serve_args;
    TDB_ASSIGN_OR_RETURN(serve, ServeProcess::Start(serve_options));
    std::fprintf(stderr, "bench http: tenantdb serve (pid %d) on http://%s:%d, log %s\n",
                 int(serve->pid()), serve->host().c_str(), serve->port(),
                 serve_options.log_path.c_str());
    tenant = std::make_unique<TenantSide>(options, serve.get());
    TDB_RETURN_IF_ERROR(tenant->Setup(serve_options.root_password));
  }
  std::fprintf(stderr,
               "bench http: %d clients, each its own user (tenantdb: logged in, Bearer "
               "token, one keep-alive connection; PostgreSQL: one libpq connection with "
               "prepared statements), %.1f s per phase\n",
               options.clients, options.seconds);

  const int n = options.clients;
  const double s = options.seconds;
  const int rounds = options.rounds;
  // A phase both sides run, slice by slice, when it is one of options.phases.
  const auto paired = [&](const char* phase, const std::string& label, const ClientOp& tenant_op,
                          const ClientOp& pg_op, PhaseFigures* figures,
                          PhaseFigures* pg_figures) -> Status {
    if (!options.Runs(phase)) return Status::Ok();
    TDB_RETURN_IF_ERROR(RunPairedPhase(n, s, rounds, with_tenantdb ? &tenant_op : nullptr, pg_op,
                                       figures, pg_figures));
    if (with_tenantdb) PrintPhase((label + " tenantdb").c_str(), *figures);
    PrintPhase((label + " PostgreSQL").c_str(), *pg_figures);
    return Status::Ok();
  };
  TDB_RETURN_IF_ERROR(paired(
      "insert", "insert", [&](int c, auto&) { return tenant->Insert(c); },
      [&](int c, auto&) { return pg.Insert(c); }, &f->insert, &f->pg_insert));
  if (!options.Runs("point") && !options.Runs("recent20") && !options.Runs("at10")) {
    return StopServe(serve.get(), &tenant, f);
  }

  const double load_start = NowSeconds();
  int64_t target = int64_t(options.rows_per_user);
  for (int c = 0; c < n; ++c) {
    target = std::max(target, pg.rows(c));
    if (with_tenantdb) target = std::max(target, tenant->rows(c));
  }
  if (with_tenantdb) TDB_RETURN_IF_ERROR(tenant->TopUp(target));
  TDB_RETURN_IF_ERROR(pg.TopUp(target));
  std::fprintf(stderr, "  load: every user at %lld rows (counts checked) in %.1f s\n",
               static_cast<long long>(target), NowSeconds() - load_start);

  TDB_RETURN_IF_ERROR(paired(
      "point", "point select",
      [&](int c, std::mt19937_64& rng) { return tenant->PointSelect(c, rng); },
      [&](int c, std::mt19937_64& rng) { return pg.PointSelect(c, rng); }, &f->point,
      &f->pg_point));
  TDB_RETURN_IF_ERROR(paired(
      "recent20", "recent20", [&](int c, auto&) { return tenant->Recent20(c); },
      [&](int c, auto&) { return pg.Recent20(c); }, &f->recent20, &f->pg_recent20));
  if (!with_tenantdb) return Status::Ok();

  if (options.Runs("at10")) {
    const int at10 = std::min(10, n);
    TDB_ASSIGN_OR_RETURN(f->insert10,
                         RunPhase(at10, s, [&](int c, auto&) { return tenant->Insert(c); }));
    PrintPhase("insert tenantdb, 10 in flight", f->insert10);
    TDB_ASSIGN_OR_RETURN(f->point10, RunPhase(at10, s, [&](int c, std::mt19937_64& rng) {
                           return tenant->PointSelect(c, rng);
                         }));
    PrintPhase("point tenantdb, 10 in flight", f->point10);
  }
  return StopServe(serve.get(), &tenant, f);
}

double Ratio(double a, double b) {
  return b > 0 ? a / b : 0;
}

// `<prefix>_per_s`, `<prefix>_p50_us` and `<prefix>_p99_us` of a phase that ran.
void AddPhase(JsonLine* json, const HttpBenchOptions& options, const char* phase,
              const std::string& prefix, const PhaseFigures& f) {
  if (!options.Runs(phase)) return;
  json->Add(prefix + "_per_s", std::round(f.per_s))
      .Add(prefix + "_p50_us", std::round(f.p50_us))
      .Add(prefix + "_p99_us", std::round(f.p99_us));
}

}  // namespace

int RunHttpBench(const HttpBenchOptions& options) {
  Figures f;
  const Status status =
      RunInBenchDirectory("http", options.directory, options.keep,
                          [&](const std::string& dir) { return RunWorkload(options, dir, &f); });
  if (!status.ok()) {
    std::fprintf(stderr, "bench http: %s\n", status.ToString().c_str());
    return 1;
  }

  JsonLine json;
  if (options.only_pg) {
    json.Add("bench", std::string("http"))
        .Add("only_pg", 1.0)
        .Add("clients", double(options.clients));
    AddPhase(&json, options, "insert", "pg_insert", f.pg_insert);
    AddPhase(&json, options, "point", "pg_point_select", f.pg_point);
    AddPhase(&json, options, "recent20", "pg_recent20", f.pg_recent20);
    json.Print();
    return 0;
  }
  std::fprintf(stderr, "\n%-14s %12s %10s %10s %12s %10s %10s %8s\n", "workload", "tenantdb/s",
               "p50 us", "p99 us", "postgres/s", "p50 us", "p99 us", "ratio");
  auto row = [](const char* name, const PhaseFigures& t, const PhaseFigures& p) {
    std::fprintf(stderr, "%-14s %12.0f %10.0f %10.0f %12.0f %10.0f %10.0f %8.2f\n", name, t.per_s,
                 t.p50_us, t.p99_us, p.per_s, p.p50_us, p.p99_us, Ratio(t.per_s, p.per_s));
  };
  if (options.Runs("insert")) row("insert", f.insert, f.pg_insert);
  if (options.Runs("point")) row("point select", f.point, f.pg_point);
  if (options.Runs("recent20")) row("recent20", f.recent20, f.pg_recent20);
  if (options.Runs("at10")) {
    std::fprintf(stderr, "tenantdb at 10 in flight: insert p50 %.0f us, point select p50 %.0f us\n",
                 f.insert10.p50_us, f.point10.p50_us);
  }
  std::fprintf(stderr, "\n");

  json.Add("bench", std::string("http"))
      .Add("clients", double(options.clients))
      .Add("seconds_per_phase", options.seconds)
      .Add("rounds_per_phase", options.rounds)
      .Add("rows_per_user", double(options.rows_per_user))
      .Add("durability", std::string("each acknowledged write synced on both sides"))
      .Add("server_threads", double(f.server_threads));
  AddPhase(&json, options, "insert", "insert", f.insert);
  AddPhase(&json, options, "point", "point_select", f.point);
  AddPhase(&json, options, "recent20", "recent20", f.recent20);
  AddPhase(&json, options, "insert", "pg_insert", f.pg_insert);
  AddPhase(&json, options, "point", "pg_point_select", f.pg_point);
  AddPhase(&json, options, "recent20", "pg_recent20", f.pg_recent20);
  if (options.Runs("insert")) json.Add("insert_ratio", Ratio(f.insert.per_s, f.pg_insert.per_s));
  if (options.Runs("point")) json.Add("point_select_ratio", Ratio(f.point.per_s, f.pg_point.per_s));
  if (options.Runs("recent20"))
    json.Add("recent20_ratio", Ratio(f.recent20.per_s, f.pg_recent20.per_s));
  if (options.Runs("at10")) {
    json.Add("insert_p50_us_at10", std::round(f.insert10.p50_us))
        .Add("point_select_p50_us_at10", std::round(f.point10.p50_us));
  }
  json.Print();
  return 0;
}

void RegisterHttpBench(CLI::App* bench) {
  auto options = std::make_shared<HttpBenchOptions>();
  CLI::App* h = bench->add_subcommand(
      "http", "tenantdb serve over HTTP+JSON against PostgreSQL 15 over libpq");
  h->add_option("--seconds", options->seconds, "Seconds per measured phase")
      ->check(CLI::Range(0.1, 600.0))
      ->capture_default_str();
  h->add_option("--rounds", options->rounds,
                "Slices each phase is cut into, the sides alternating ABBA slice by slice")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  h->add_option("--clients", options->clients,
                "Concurrent clients, each its own user (the at-10 phases use 10 of them)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  h->add_option("--rows-per-user", options->rows_per_user,
                "Rows per user before the selects (topped up untimed)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  h->add_option("--pg-bin", options->pg_bin, "Directory with PostgreSQL 15's initdb and postgres")
      ->capture_default_str();
  h->add_option("--serve-arg", options->serve_args,
                "Extra argument for `tenantdb serve` (repeatable)");
  h->add_option("--dir", options->directory,
                "Working directory for the server's data (erased first; default: a temporary "
                "one, removed after)");
  h->add_flag("--keep", options->keep, "Keep the working directory afterwards");
  h->add_option("--phases", options->phases,
                "Phases to run, comma-separated: insert, point, recent20, at10 (all by default)")
      ->delimiter(',')
      ->check(CLI::IsMember({"insert", "point", "recent20", "at10"}));
  h->add_flag("--only-pg", options->only_pg,
              "Measure only the PostgreSQL peer (no tenantdb server; its fields are left out)");
  h->callback([options] { SetExitCode(RunHttpBench(*options)); });
}

}  // namespace tenantdb::cli
