#include "cli/bench_pg_peer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace tenantdb::cli {

namespace {

Status PgError(const std::string& what, const std::string& detail) {
  return Status(ErrorCode::kIoError, "PostgreSQL peer: " + what + ": " + detail);
}

// A port on 127.0.0.1 that nothing listens on right now (bound to port 0, then freed).
// Another process could take it before the postmaster does; Start retries then.
Result<int> FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status(ErrorCode::kIoError, "socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
                  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  close(fd);
  if (!ok) return Status(ErrorCode::kIoError, "cannot bind a port on 127.0.0.1");
  return int(ntohs(addr.sin_port));
}

// Who runs PostgreSQL when the bench is root: it refuses to run as root.
std::string UnprivilegedUser() {
  if (geteuid() != 0) return "";
  for (const char* name : {"postgres", "nobody"}) {
    if (getpwnam(name) != nullptr) return name;
  }
  return "";
}

}  // namespace

Result<PgConnection> PgConnection::Connect(const std::string& conninfo) {
  PgConnection c;
  c.conn_.reset(PQconnectdb(conninfo.c_str()));
  if (c.conn_ == nullptr) return PgError("connect", "out of memory");
  if (PQstatus(c.conn_.get()) != CONNECTION_OK) {
    return PgError("connect to " + conninfo, PQerrorMessage(c.conn_.get()));
  }
  return c;
}

Status PgConnection::Exec(const std::string& sql) {
  PGresult* r = PQexec(conn_.get(), sql.c_str());
  const ExecStatusType s = PQresultStatus(r);
  Status status = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK
                      ? Status::Ok()
                      : PgError(sql.substr(0, 80), PQerrorMessage(conn_.get()));
  PQclear(r);
  return status;
}

Status PgConnection::Prepare(const std::string& name, const std::string& sql, int params) {
  PGresult* r = PQprepare(conn_.get(), name.c_str(), sql.c_str(), params, nullptr);
  Status status = PQresultStatus(r) == PGRES_COMMAND_OK
                      ? Status::Ok()
                      : PgError("prepare " + name, PQerrorMessage(conn_.get()));
  PQclear(r);
  return status;
}

Result<std::vector<std::vector<std::string>>> PgConnection::Run(
    const std::string& name, const std::vector<std::string>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const std::string& p : params)
    values.push_back(p.c_str());
  PGresult* r = PQexecPrepared(conn_.get(), name.c_str(), int(values.size()), values.data(),
                               nullptr, nullptr, 0);
  const ExecStatusType s = PQresultStatus(r);
  if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
    Status status = PgError("execute " + name, PQerrorMessage(conn_.get()));
    PQclear(r);
    return status;
  }
  std::vector<std::vector<std::string>> rows(size_t(PQntuples(r)));
  const int columns = PQnfields(r);
  for (size_t row = 0; row < rows.size(); ++row) {
    rows[row].reserve(size_t(columns));
    for (int col = 0; col < columns; ++col)
      rows[row].emplace_back(PQgetvalue(r, int(row), col), size_t(PQgetlength(r, int(row), col)));
  }
  PQclear(r);
  return rows;
}

Result<std::unique_ptr<PgPeer>> PgPeer::Start(const PgPeerOptions& options) {
  std::unique_ptr<PgPeer> peer(new PgPeer());  // private constructor; owned at once
  Status status = peer->Init(options);
  if (!status.ok()) return status;  // the destructor removes what Init made
  return peer;
}

Status PgPeer::Init(const PgPeerOptions& options) {
  for (const char* program : {"initdb", "postgres"}) {
    const std::string path = options.bin_dir + "/" + program;
    if (access(path.c_str(), X_OK) != 0) {
      return PgError("no " + path, "install Debian's postgresql-15 (scripts/install-deps.sh does)");
    }
  }
  std::string templ = (std::filesystem::temp_directory_path() / "tenantdb-pg-XXXXXX").string();
  if (mkdtemp(templ.data()) == nullptr) return PgError("mkdtemp", templ);
  dir_ = templ;
  run_as_ = UnprivilegedUser();
  if (geteuid() == 0) {
    if (run_as_.empty()) return PgError("running as root", "no postgres or nobody user");
    const passwd* pw = getpwnam(run_as_.c_str());
    if (pw == nullptr || chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      return PgError("chown " + dir_, "to " + run_as_);
    }
  }

  // initdb: trust authentication on loopback for the bench's own user; -N skips syncing
  // the template files (the cluster is thrown away; the server below runs with fsync on).
  ChildOptions init;
  init.argv = {options.bin_dir + "/initdb",
               "-D",
               dir_ + "/data",
               "-U",
               "bench",
               "-A",
               "trust",
               "-E",
               "UTF8",
               "--locale=C",
               "-N"};
  if (!options.lc_ctype.empty()) init.argv.push_back("--lc-ctype=" + options.lc_ctype);
  init.log_path = dir_ + "/initdb.log";
  init.run_as = run_as_;
  init.working_dir = dir_;
  TDB_ASSIGN_OR_RETURN(ChildProcess initdb, ChildProcess::Spawn(init));
  if (!initdb.WaitFor(std::chrono::minutes(3))) return PgError("initdb", "took over 3 minutes");
  if (initdb.exit_status() != 0) {
    return PgError("initdb " + initdb.Describe(), TailOfFile(init.log_path));
  }
  Status last;
  for (int attempt = 0; attempt < 3; ++attempt) {
    last = StartPostmaster(options);
    if (last.ok()) break;
  }
  TDB_RETURN_IF_ERROR(last);
  TDB_ASSIGN_OR_RETURN(PgConnection c, PgConnection::Connect(conninfo()));
  TDB_RETURN_IF_ERROR(c.Prepare("version",
                                "SELECT version(), current_setting('fsync'), "
                                "current_setting('synchronous_commit')",
                                0));
  TDB_ASSIGN_OR_RETURN(auto rows, c.Run("version", {}));
  if (rows.size() != 1 || rows[0].size() != 3 || rows[0][1] != "on" || rows[0][2] != "on") {
    return PgError("settings", "fsync and synchronous_commit are not both on");
  }
  version_ = rows[0][0];
  return Status::Ok();
}

Status PgPeer::StartPostmaster(const PgPeerOptions& options) {
  TDB_ASSIGN_OR_RETURN(port_, FreeLoopbackPort());
  ChildOptions run;
  run.argv = {options.bin_dir + "/postgres",
              "-D",
              dir_ + "/data",
              "-p",
              std::to_string(port_),
              "-c",
              "listen_addresses=127.0.0.1",
              "-c",
              "unix_socket_directories=" + dir_,
              "-c",
              "fsync=on",
              "-c",
              "synchronous_commit=on",
              "-c",
              "full_page_writes=on",
              "-c",
              "max_connections=" + std::to_string(options.max_connections),
              "-c",
              "shared_buffers=" + options.shared_buffers};
  run.log_path = dir_ + "/postgres.log";
  run.run_as = run_as_;
  run.working_dir = dir_;
  run.stop_signal = SIGINT;  // fast shutdown: roll back sessions, checkpoint, exit
  TDB_ASSIGN_OR_RETURN(postmaster_, ChildProcess::Spawn(run));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    if (!postmaster_.Running()) {
      return PgError("postgres " + postmaster_.Describe(), TailOfFile(run.log_path));
    }
    if (PQping(conninfo().c_str()) == PQPING_OK) return Status::Ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  postmaster_.Stop();
  return PgError("postgres", "not accepting connections after 60 s: " + TailOfFile(run.log_path));
}

std::string PgPeer::conninfo() const {
  return "host=127.0.0.1 port=" + std::to_string(port_) +
         " dbname=postgres user=bench connect_timeout=10";
}

PgPeer::~PgPeer() {
  postmaster_.Stop();
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

}  // namespace tenantdb::cli
