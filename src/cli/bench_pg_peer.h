// The PostgreSQL 15 peer of `tenantdb bench http` / `bench pgwire`, and the reference the
// differential tester (tests/differential) checks against; library tenantdb_pg_peer.
// A real postmaster (Debian's postgresql-15) in a fresh temporary directory, listening on
// 127.0.0.1 and a free port, with fsync and synchronous_commit on, so an acknowledged
// COMMIT is on disk as a tenantdb acknowledgement is. PostgreSQL refuses to run as root:
// when the bench is root the cluster belongs to, and runs as, the `postgres` user (or
// `nobody` if there is none).
//
// PgPeer::Start runs initdb, starts the postmaster and waits until it accepts
// connections. The destructor always stops it (fast shutdown, then SIGKILL) and removes
// the directory, also when the bench failed half way. Start it from the main thread (the
// postmaster dies with the thread that started it, see ChildProcess).
//
// PgConnection is one libpq connection (RAII); not thread-safe, use one per thread.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>
#include <vector>

#include "cli/bench_child_process.h"
#include "common/status.h"

namespace tenantdb::cli {

struct PgPeerOptions {
  std::string bin_dir = "/usr/lib/postgresql/15/bin";  // initdb and postgres
  int max_connections = 64;
  std::string shared_buffers = "256MB";
  // The cluster's LC_CTYPE (what upper/lower/initcap and ILIKE do with non-ASCII
  // letters); empty: C, like the collation, which is always C (byte order).
  std::string lc_ctype;
};

// One libpq connection; statements in text format through the extended protocol.
class PgConnection {
 public:
  static Result<PgConnection> Connect(const std::string& conninfo);

  PgConnection() = default;
  PgConnection(PgConnection&&) noexcept = default;
  PgConnection& operator=(PgConnection&&) noexcept = default;

  // Runs one or more statements without parameters; fails on the first error.
  Status Exec(const std::string& sql);
  // Prepares `sql` ($1, $2, ... placeholders) under `name`.
  Status Prepare(const std::string& name, const std::string& sql, int params);
  // Runs a prepared statement; returns its rows as text cells (NULL as "").
  Result<std::vector<std::vector<std::string>>> Run(const std::string& name,
                                                    const std::vector<std::string>& params);
  // The libpq connection itself, for callers that need more than text rows (SQLSTATEs,
  // NULLs, column types); owned by this object, valid while it lives.
  PGconn* get() const { return conn_.get(); }

 private:
  struct Closer {
    void operator()(PGconn* conn) const { PQfinish(conn); }
  };
  std::unique_ptr<PGconn, Closer> conn_;
};

class PgPeer {
 public:
  static Result<std::unique_ptr<PgPeer>> Start(const PgPeerOptions& options);
  ~PgPeer();
  PgPeer(const PgPeer&) = delete;
  PgPeer& operator=(const PgPeer&) = delete;

  int port() const { return port_; }
  // host=127.0.0.1 port=... dbname=bench user=bench
  std::string conninfo() const;
  // "PostgreSQL 15.x ..." (SELECT version()).
  const std::string& version() const { return version_; }
  const std::string& directory() const { return dir_; }

 private:
  PgPeer() = default;
  Status Init(const PgPeerOptions& options);
  Status StartPostmaster(const PgPeerOptions& options);

  std::string dir_;  // the temporary directory, removed by the destructor
  std::string run_as_;
  int port_ = 0;
  std::string version_;
  ChildProcess postmaster_;
};

}  // namespace tenantdb::cli
