// Running statements on tenantdb (public API) and PostgreSQL (libpq) into Outcomes.
#include "engine_sides.h"

#include <libpq-fe.h>
#include <stdlib.h>

#include <filesystem>

namespace tenantdb::differential {

namespace {

// PostgreSQL's type OIDs of the approximate numeric types: float4, float8. NUMERIC is
// exact on both engines and compared as text (scale included), unless tenantdb's column
// is a DOUBLE where PostgreSQL's is NUMERIC (docs/deviations.md: avg of integers).
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

Outcome ErrorOutcome(std::string sqlstate, std::string message) {
  Outcome outcome;
  outcome.ok = false;
  outcome.sqlstate = std::move(sqlstate);
  outcome.message = std::move(message);
  return outcome;
}

Outcome ErrorOutcome(const Status& status) {
  return ErrorOutcome(std::string(status.sqlstate()), std::string(status.message()));
}

// A libpq result as an Outcome: rows in PostgreSQL's text output, or the error.
Outcome ToOutcome(PGconn* conn, PGresult* r) {
  const ExecStatusType status = PQresultStatus(r);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    const char* sqlstate = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    const char* message = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
    return ErrorOutcome(sqlstate != nullptr ? sqlstate : "?????",
                        message != nullptr ? message : PQerrorMessage(conn));
  }
  Outcome outcome;
  outcome.ok = true;
  const int columns = PQnfields(r);
  for (int c = 0; c < columns; ++c) {
    const Oid type = PQftype(r, c);
    outcome.approximate.push_back(type == kFloat4Oid || type == kFloat8Oid);
    outcome.decimal.push_back(type == kNumericOid);
  }
  const int rows = PQntuples(r);
  outcome.rows.reserve(size_t(rows));
  for (int i = 0; i < rows; ++i) {
    Row row;
    row.reserve(size_t(columns));
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(r, i, c)) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(std::string(PQgetvalue(r, i, c), size_t(PQgetlength(r, i, c))));
      }
    }
    outcome.rows.push_back(std::move(row));
  }
  return outcome;
}

}  // namespace

Result<std::unique_ptr<TenantdbSide>> TenantdbSide::Open() {
  std::unique_ptr<TenantdbSide> side(new TenantdbSide());  // private constructor
  std::string templ = (std::filesystem::temp_directory_path() / "tenantdb-diff-XXXXXX").string();
  if (mkdtemp(templ.data()) == nullptr) return Status(ErrorCode::kIoError, "mkdtemp " + templ);
  side->dir_ = templ;
  TDB_ASSIGN_OR_RETURN(side->db_, Database::Open(side->dir_ + "/data"));
  TDB_ASSIGN_OR_RETURN(side->session_, side->db_->Connect("root", Role::kSystem));
  // A runaway query (a generator's or tenantdb's) fails instead of hanging the test.
  TDB_RETURN_IF_ERROR(side->Exec("SET statement_timeout = '60s'"));
  return side;
}

TenantdbSide::~TenantdbSide() {
  session_.reset();
  db_.reset();
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

Outcome TenantdbSide::Run(const std::string& sql) {
  Result<std::unique_ptr<Cursor>> cursor = session_->Query(sql);
  if (!cursor.ok()) return ErrorOutcome(cursor.status());
  Outcome outcome;
  outcome.ok = true;
  for (const Column& column : (*cursor)->columns()) {
    outcome.approximate.push_back(column.type == DataType::kReal ||
                                  column.type == DataType::kDouble);
    outcome.decimal.push_back(column.type == DataType::kNumeric);
  }
  while (true) {
    Result<bool> more = (*cursor)->Next();
    if (!more.ok()) return ErrorOutcome(more.status());
    if (!*more) break;
    const RowBatch& batch = (*cursor)->batch();
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      Row row;
      row.reserve(batch.num_columns());
      for (size_t c = 0; c < batch.num_columns(); ++c) {
        Result<Value> value = batch.GetValue(r, c);
        if (!value.ok()) return ErrorOutcome(value.status());
        if (value->is_null()) {
          row.emplace_back(std::nullopt);
        } else {
          row.emplace_back(value->ToString());
        }
      }
      outcome.rows.push_back(std::move(row));
    }
  }
  return outcome;
}

Status TenantdbSide::Exec(const std::string& sql) {
  return session_->Execute(sql).status();
}

Result<std::unique_ptr<PostgresSide>> PostgresSide::Start() {
  std::unique_ptr<PostgresSide> side(new PostgresSide());
  cli::PgPeerOptions options;
  options.max_connections = 8;
  options.shared_buffers = "32MB";
  // Byte-order collation, as tenantdb's; Unicode case mapping, as tenantdb's upper/lower.
  options.lc_ctype = "C.UTF-8";
  TDB_ASSIGN_OR_RETURN(side->peer_, cli::PgPeer::Start(options));
  TDB_ASSIGN_OR_RETURN(side->connection_, cli::PgConnection::Connect(side->peer_->conninfo()));
  // A runaway query (a generator bug) fails on both sides instead of hanging the test.
  TDB_RETURN_IF_ERROR(side->connection_.Exec("SET statement_timeout = '60s'"));
  // DROP TABLE IF EXISTS's NOTICEs are not worth a line each.
  PQsetNoticeProcessor(
      side->connection_.get(), [](void*, const char*) {}, nullptr);
  return side;
}

Outcome PostgresSide::Run(const std::string& sql) {
  Send(sql);
  return Receive();
}

void PostgresSide::Send(const std::string& sql) {
  send_error_.clear();
  if (PQsendQuery(connection_.get(), sql.c_str()) != 1) {
    send_error_ = PQerrorMessage(connection_.get());
  }
}

Outcome PostgresSide::Receive() {
  if (!send_error_.empty()) return ErrorOutcome("08000", send_error_);
  PGconn* conn = connection_.get();
  Outcome outcome = ErrorOutcome("08000", "no result");
  // The last result of the statement counts; PQgetResult returns null after it.
  while (PGresult* r = PQgetResult(conn)) {
    outcome = ToOutcome(conn, r);
    PQclear(r);
  }
  return outcome;
}

Status PostgresSide::Exec(const std::string& sql) {
  return connection_.Exec(sql);
}

}  // namespace tenantdb::differential
