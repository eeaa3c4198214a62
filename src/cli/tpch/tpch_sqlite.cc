#include "cli/tpch/tpch_sqlite.h"

#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli/bench_util.h"
#include "cli/tpch/tpch_schema.h"
#include "cli/tpch/tpch_sqlite_dialect.h"

namespace tenantdb::cli::tpch {

namespace {

Status SqliteError(sqlite3* db, const std::string& what) {
  return Status(ErrorCode::kIoError, "sqlite: " + what + ": " + sqlite3_errmsg(db));
}

// The cell text of column `c` of the current row.
std::string CellText(sqlite3_stmt* statement, int c) {
  switch (sqlite3_column_type(statement, c)) {
    case SQLITE_NULL:
      return kNullCell;
    case SQLITE_INTEGER:
      return std::to_string(sqlite3_column_int64(statement, c));
    case SQLITE_FLOAT: {
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%.17g", sqlite3_column_double(statement, c));
      return buf;
    }
    default:
      return reinterpret_cast<const char*>(sqlite3_column_text(statement, c));
  }
}

}  // namespace

SqliteTpch::~SqliteTpch() {
  sqlite3_close(db_);
}

Result<std::unique_ptr<SqliteTpch>> SqliteTpch::Open(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove(path, ec);
  std::unique_ptr<SqliteTpch> t(new SqliteTpch());
  if (sqlite3_open(path.c_str(), &t->db_) != SQLITE_OK) return SqliteError(t->db_, "open " + path);
  // The progress handler runs every 10,000 virtual machine steps.
  sqlite3_progress_handler(
      t->db_, 10'000,
      [](void* self) -> int {
        return NowSeconds() > static_cast<SqliteTpch*>(self)->deadline_ ? 1 : 0;
      },
      t.get());
  TDB_RETURN_IF_ERROR(t->Exec("PRAGMA cache_size = -524288"));
  TDB_RETURN_IF_ERROR(t->Exec("PRAGMA case_sensitive_like = ON"));
  return t;
}

Status SqliteTpch::Exec(const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    Status status(ErrorCode::kIoError, "sqlite: " + std::string(error ? error : "error"));
    sqlite3_free(error);
    return status;
  }
  return Status::Ok();
}

Status SqliteTpch::LoadFile(const std::string& table, const std::string& path) {
  const std::string kinds = SqliteColumnKinds(table);
  std::string sql = "INSERT INTO " + table + " VALUES (";
  for (size_t i = 0; i < kinds.size(); ++i)
    sql += i > 0 ? ", ?" : "?";
  sql += ")";
  sqlite3_stmt* insert = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &insert, nullptr) != SQLITE_OK) {
    return SqliteError(db_, sql);
  }
  std::ifstream in(path);
  if (!in) {
    sqlite3_finalize(insert);
    return Status(ErrorCode::kIoError, "cannot read " + path);
  }
  std::string line;
  Status status = Status::Ok();
  while (status.ok() && std::getline(in, line)) {
    size_t start = 0;
    for (size_t i = 0; i < kinds.size(); ++i) {
      size_t end = line.find('|', start);
      if (end == std::string::npos) end = line.size();
      const std::string field = line.substr(start, end - start);
      const int param = static_cast<int>(i) + 1;
      if (kinds[i] == 'i') {
        sqlite3_bind_int64(insert, param, std::stoll(field));
      } else if (kinds[i] == 'm') {
        sqlite3_bind_double(insert, param, std::stod(field));
      } else {
        sqlite3_bind_text(insert, param, field.data(), int(field.size()), SQLITE_TRANSIENT);
      }
      start = end + 1;
    }
    if (sqlite3_step(insert) != SQLITE_DONE) status = SqliteError(db_, "insert into " + table);
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  return status;
}

Status SqliteTpch::Load(const std::string& data_dir, const Manifest& manifest) {
  deadline_ = 1e300;  // loading is never interrupted
  TDB_RETURN_IF_ERROR(Exec("PRAGMA journal_mode = OFF"));
  TDB_RETURN_IF_ERROR(Exec("PRAGMA synchronous = OFF"));
  TDB_RETURN_IF_ERROR(Exec("BEGIN"));
  for (const std::string& ddl : SchemaStatements(Dialect::kSqlite))
    TDB_RETURN_IF_ERROR(Exec(ddl));
  for (std::string_view table : TableNames()) {
    const TableFiles* files = manifest.Find(table);
    if (files == nullptr) {
      return Status(ErrorCode::kNotFound, "the data set has no table " + std::string(table));
    }
    for (const std::string& file : files->files)
      TDB_RETURN_IF_ERROR(LoadFile(std::string(table), data_dir + "/" + file));
  }
  TDB_RETURN_IF_ERROR(Exec("COMMIT"));
  return Exec("ANALYZE");
}

QueryOutcome SqliteTpch::Run(const QuerySql& standard, uint64_t timeout_ms) {
  const QuerySql query = TranslateForSqlite(standard);
  QueryOutcome out;
  const double start = NowSeconds();
  deadline_ = start + double(timeout_ms) / 1000;
  Status status = Status::Ok();
  for (size_t i = 0; status.ok() && i < query.statements.size(); ++i) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, query.statements[i].c_str(), -1, &statement, nullptr) !=
        SQLITE_OK) {
      status = SqliteError(db_, "prepare Q" + std::to_string(query.number));
      break;
    }
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
      if (i != query.result_statement) continue;
      std::vector<std::string> row;
      for (int c = 0; c < sqlite3_column_count(statement); ++c)
        row.push_back(CellText(statement, c));
      out.rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) status = SqliteError(db_, "Q" + std::to_string(query.number));
    sqlite3_finalize(statement);
  }
  out.ms = (NowSeconds() - start) * 1000;
  if (!status.ok() && query.statements.size() > 1) {
    deadline_ = 1e300;
    (void)Exec(query.statements.back());
  }
  SetOutcomeStatus(status, &out);
  return out;
}

}  // namespace tenantdb::cli::tpch
