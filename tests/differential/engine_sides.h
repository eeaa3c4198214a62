// The two engines the differential tester runs every statement on: tenantdb through its
// embedded public API (a Database in a temporary directory, one session as `root` with
// role system, so the SHARED tables a plain CREATE TABLE makes are readable), and
// PostgreSQL 15 through libpq (a PgPeer cluster in a temporary directory on loopback,
// started and always stopped by tenantdb_pg_peer).
//
// Each side turns a statement's result into an Outcome (outcome.h). Both sides remove what
// they created when destroyed, also after a failure; the PostgreSQL side stops its
// postmaster. Create them on the main thread (the postmaster dies with its thread).
//
// Thread safety: none; one thread uses both.
#pragma once

#include <memory>
#include <string>

#include "cli/bench_pg_peer.h"
#include "common/status.h"
#include "outcome.h"
#include "tenantdb/database.h"
#include "tenantdb/session.h"

namespace tenantdb::differential {

class TenantdbSide {
 public:
  // Opens a database in a fresh temporary directory and connects as root (system).
  static Result<std::unique_ptr<TenantdbSide>> Open();
  ~TenantdbSide();
  TenantdbSide(const TenantdbSide&) = delete;
  TenantdbSide& operator=(const TenantdbSide&) = delete;

  // Runs one statement and reads all its rows.
  Outcome Run(const std::string& sql);
  // Runs statements whose rows do not matter (DDL, INSERT); fails on the first error.
  Status Exec(const std::string& sql);

 private:
  TenantdbSide() = default;
  std::string dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Session> session_;
};

class PostgresSide {
 public:
  // Starts a PostgreSQL 15 cluster (initdb, postmaster) and connects to it.
  static Result<std::unique_ptr<PostgresSide>> Start();

  Outcome Run(const std::string& sql);
  // Run() in two halves, so that the caller can work while PostgreSQL runs the statement:
  // Send() returns once the statement is sent, Receive() waits for its outcome.
  void Send(const std::string& sql);
  Outcome Receive();
  Status Exec(const std::string& sql);
  const std::string& version() const { return peer_->version(); }

 private:
  PostgresSide() = default;
  std::unique_ptr<cli::PgPeer> peer_;  // destroyed last: stops the postmaster
  cli::PgConnection connection_;
  std::string send_error_;  // why the last Send() failed, if it did
};

}  // namespace tenantdb::differential
