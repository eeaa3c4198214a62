#include "engine/statement_handlers/copy_parquet.h"

#include <cstdio>
#include <optional>
#include <set>

#include "sql/function/cast.h"
#include "storage/cold/parquet_reader.h"
#include "storage/cold/parquet_writer.h"

namespace tenantdb {

namespace {

std::string Quoted(const std::string& s) {
  return "\"" + s + "\"";
}

bool SameNameIgnoringCase(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// The file column loaded into `name`: the one of that name, else the only one equal to
// it ignoring case (other tools write "userId" where tenantdb's column is userid).
std::optional<size_t> MatchColumn(const Schema& file, const std::string& name) {
  for (size_t i = 0; i < file.num_fields(); ++i)
    if (file.field(i).name == name) return i;
  std::optional<size_t> found;
  for (size_t i = 0; i < file.num_fields(); ++i) {
    if (!SameNameIgnoringCase(file.field(i).name, name)) continue;
    if (found) return std::nullopt;  // ambiguous: only an exact name will do
    found = i;
  }
  return found;
}

std::string ColumnList(const Schema& file) {
  std::string text;
  for (size_t i = 0; i < file.num_fields(); ++i)
    text += (i > 0 ? ", " : "") + file.field(i).name;
  return text;
}

}  // namespace

Status CopyParquetIn(const std::string& path, CopyLoad* load) {
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<ParquetReader> reader, ParquetReader::Open(path));
  const std::string copy = "COPY " + load->table_label() + ": ";
  // A column tenantdb cannot read (DECIMAL, nested, ...) would be silently dropped from
  // the reader's schema; say so rather than call it missing or load without it.
  for (const ParquetColumnInfo& c : reader->columns()) {
    if (!c.type) {
      return Status(ErrorCode::kFeatureNotSupported,
                    copy + "column " + Quoted(c.name) + " of the Parquet file " + Quoted(path) +
                        " cannot be read: " + c.unsupported_reason);
    }
  }
  const Schema& file = *reader->schema();
  const std::vector<std::string>& names = load->names();
  const std::vector<DataType>& types = load->types();
  std::vector<Field> requested;
  std::vector<bool> used(file.num_fields(), false);
  for (size_t t = 0; t < names.size(); ++t) {
    const std::optional<size_t> i = MatchColumn(file, names[t]);
    if (!i) {
      return Status(ErrorCode::kUndefinedColumn, copy + "column " + Quoted(names[t]) +
                                                     " is not in the Parquet file " + Quoted(path) +
                                                     " (its columns: " + ColumnList(file) + ")");
    }
    const Field& f = file.field(*i);
    if (!sql::AssignmentCastAllowed(f.type, types[t])) {
      return Status(ErrorCode::kTypeMismatch, copy + "column " + Quoted(names[t]) + " is of type " +
                                                  std::string(sql::PgTypeName(types[t])) +
                                                  " but the Parquet file " + Quoted(path) +
                                                  " holds " + std::string(sql::PgTypeName(f.type)));
    }
    used[*i] = true;
    requested.push_back(Field{f.name, f.type, true, false, ""});
  }
  for (size_t i = 0; i < file.num_fields(); ++i) {
    if (used[i]) continue;
    return Status(ErrorCode::kInvalidArgument,
                  copy + "the Parquet file " + Quoted(path) + " has a column " +
                      Quoted(file.field(i).name) +
                      " that matches no column COPY loads; list the table's columns the file "
                      "holds, or load a part of the file with INSERT ... SELECT ... FROM "
                      "read_parquet(...)");
  }
  const auto schema = std::make_shared<const Schema>(std::move(requested), SchemaMetadata{});
  uint64_t row = 0;
  for (size_t g = 0; g < reader->num_row_groups(); ++g) {
    TDB_ASSIGN_OR_RETURN(Batch batch, reader->ReadRowGroup(g, schema));
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      ++row;
      std::vector<Value> values;
      values.reserve(names.size());
      for (size_t t = 0; t < names.size(); ++t) {
        Value v = batch.column(t).GetValue(r);
        if (!v.is_null() && v.type() != types[t]) {
          Result<Value> cast = sql::CastValue(v, types[t]);
          if (!cast.ok()) {
            return Status(cast.status().code(), "COPY " + load->table_label() + ", row " +
                                                    std::to_string(row) + ", column " + names[t] +
                                                    ": " + std::string(cast.status().message()));
          }
          v = std::move(*cast);
        } else if (v.is_null()) {
          v = Value::Null(types[t]);
        }
        values.push_back(std::move(v));
      }
      TDB_RETURN_IF_ERROR(load->WriteRow(row, std::move(values)));
    }
  }
  return Status::Ok();
}

Result<uint64_t> CopyParquetOut(const std::string& path, EngineStatement* source) {
  std::vector<Field> fields;
  std::set<std::string> seen;
  for (const Field& f : source->schema()->fields()) {
    // Parquet readers find columns by name; two of one name would make one unreachable.
    if (!seen.insert(f.name).second) {
      return Status(ErrorCode::kDuplicateColumn,
                    "COPY TO a Parquet file: column name " + Quoted(f.name) +
                        " appears more than once; give the columns distinct names (AS)");
    }
    fields.push_back(Field{f.name, f.type, true, false, ""});
  }
  const auto schema = std::make_shared<const Schema>(std::move(fields), SchemaMetadata{});
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<ParquetWriter> writer, ParquetWriter::Open(path, schema));
  Status status = [&]() -> Status {
    while (true) {
      TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, source->Next());
      if (!batch.has_value()) break;
      TDB_RETURN_IF_ERROR(writer->Write(*batch));
    }
    return writer->Close();
  }();
  if (!status.ok()) {
    writer.reset();
    std::remove(path.c_str());
    return status;
  }
  return writer->rows_written();
}

}  // namespace tenantdb
