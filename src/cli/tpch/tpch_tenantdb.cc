#include "cli/tpch/tpch_tenantdb.h"

#include "cli/bench_util.h"
#include "cli/tpch/tpch_schema.h"

namespace tenantdb::cli::tpch {

namespace {

// Reads every row of `cursor` into text cells.
Status Collect(Cursor& cursor, QueryOutcome* out) {
  for (const Column& c : cursor.columns())
    out->columns.push_back(c.name);
  while (true) {
    TDB_ASSIGN_OR_RETURN(bool more, cursor.Next());
    if (!more) return Status::Ok();
    const RowBatch& batch = cursor.batch();
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      std::vector<std::string> row;
      row.reserve(batch.num_columns());
      for (size_t c = 0; c < batch.num_columns(); ++c) {
        if (batch.IsNull(r, c)) {
          row.emplace_back(kNullCell);
          continue;
        }
        TDB_ASSIGN_OR_RETURN(Value v, batch.GetValue(r, c));
        row.push_back(v.ToString());
      }
      out->rows.push_back(std::move(row));
    }
  }
}

}  // namespace

Result<std::unique_ptr<TenantdbTpch>> TenantdbTpch::Open(const std::string& db_dir) {
  std::unique_ptr<TenantdbTpch> t(new TenantdbTpch());
  TDB_ASSIGN_OR_RETURN(t->db_, Database::Open(db_dir));
  TDB_ASSIGN_OR_RETURN(t->session_, t->db_->Connect("root", Role::kSystem));
  return t;
}

Status TenantdbTpch::Exec(const std::string& sql) {
  return session_->Execute(sql).status();
}

Status TenantdbTpch::Load(const std::string& data_dir, const Manifest& manifest, bool flush) {
  for (const std::string& ddl : SchemaStatements(Dialect::kTenantdb))
    TDB_RETURN_IF_ERROR(Exec(ddl));
  // COPY holds a file's rows until it commits; the files are parts of at most
  // GenerateOptions::rows_per_file rows, which this budget covers.
  TDB_RETURN_IF_ERROR(Exec("SET statement_mem = '4GB'"));
  for (std::string_view table : TableNames()) {
    const TableFiles* files = manifest.Find(table);
    if (files == nullptr) {
      return Status(ErrorCode::kNotFound, "the data set has no table " + std::string(table));
    }
    for (const std::string& file : files->files) {
      TDB_RETURN_IF_ERROR(Exec("COPY " + std::string(table) + " FROM '" + data_dir + "/" + file +
                               "' WITH (FORMAT csv, DELIMITER '|')"));
    }
    if (flush) TDB_RETURN_IF_ERROR(Exec("STORAGE FLUSH TABLE " + std::string(table)));
  }
  // The statistics a user would collect after a bulk load (SQLite gets its ANALYZE too):
  // distinct counts and min / max for the join order and the filters' selectivity.
  TDB_RETURN_IF_ERROR(Exec("ANALYZE"));
  return Exec("RESET statement_mem");
}

QueryOutcome TenantdbTpch::Run(const QuerySql& query, const QueryLimits& limits) {
  QueryOutcome out;
  Status status = Exec("SET statement_timeout = '" + std::to_string(limits.timeout_ms) + "ms'");
  if (status.ok())
    status = Exec("SET statement_mem = '" + std::to_string(limits.memory_mb) + "MB'");
  const double start = NowSeconds();
  for (size_t i = 0; status.ok() && i < query.statements.size(); ++i) {
    if (i != query.result_statement) {
      status = Exec(query.statements[i]);
      continue;
    }
    auto cursor = session_->Query(query.statements[i]);
    status = cursor.ok() ? Collect(**cursor, &out) : cursor.status();
  }
  out.ms = (NowSeconds() - start) * 1000;
  // Q15's view must not outlive a failed query (the next run creates it again).
  if (!status.ok() && query.statements.size() > 1) {
    (void)Exec(query.statements.back());
  }
  SetOutcomeStatus(status, &out);
  return out;
}

}  // namespace tenantdb::cli::tpch
