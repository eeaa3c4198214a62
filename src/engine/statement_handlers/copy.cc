// COPY: loads and unloads in PostgreSQL's text, CSV and binary formats (sql/copy/), and
// Parquet files with FORMAT parquet (copy_parquet.h; server files only).
//
//   COPY t [(cols)] FROM STDIN     a statement whose CopyIn sink the caller feeds
//                                  (copy_load.h); nothing is written before Finish()
//   COPY t | (query) TO STDOUT     a streamed statement: each row is one encoded line
//   COPY ... FROM / TO 'file'      runs here to its end, for sessions of dba and system
//                                  roles only (the file is the server's, as PostgreSQL's);
//                                  EXECUTE AS USER 'u' (COPY ...) loads u's rows
//
// A relative file path is relative to the server process's working directory.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "engine/statement_handlers/copy_load.h"
#include "engine/statement_handlers/copy_parquet.h"
#include "engine/statement_handlers/session_state.h"
#include "sql/copy/copy_binary.h"
#include "sql/copy/copy_encoder.h"
#include "sql/copy/copy_format.h"
#include "sql/parser/parser.h"

namespace tenantdb {

using sql::QueryResult;

namespace {

constexpr size_t kFileChunkBytes = 1 << 20;

Status CheckFileAccess(Role role, const std::string& path) {
  if (role == Role::kDba || role == Role::kSystem) return Status::Ok();
  return Status(ErrorCode::kInsufficientPrivilege,
                "permission denied to COPY to or from the file \"" + path +
                    "\": only dba and system roles may; use COPY ... FROM STDIN / TO STDOUT "
                    "(psql \\copy) to use a file of the client's");
}

Status FileError(const std::string& what, const std::string& path) {
  return Status(ErrorCode::kIoError, "could not " + what + " file \"" + path +
                                         "\": " + std::string(std::strerror(errno)));
}

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f != nullptr) std::fclose(f);
  }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

// The SELECT a table's COPY TO reads: its columns (all, or those listed) in order.
Result<std::shared_ptr<const sql::Statement>> TableSelect(const sql::CopyStmt& copy) {
  std::string text = "SELECT ";
  if (copy.columns.empty()) {
    text += "*";
  } else {
    for (size_t i = 0; i < copy.columns.size(); ++i)
      text += (i > 0 ? ", " : "") + sql::QuoteIdentifier(copy.columns[i]);
  }
  text += " FROM " + copy.table.ToString();
  TDB_ASSIGN_OR_RETURN(sql::StatementPtr stmt, sql::ParseStatement(text));
  return std::shared_ptr<const sql::Statement>(std::move(stmt));
}

// COPY TO's stream: the rows of the query, one encoded line (TEXT) per row, the header
// line first when asked for. In binary format (copy_binary.h) the first line is the
// file header, each row a tuple, and the last the trailer.
class CopyOutStream final : public EngineStatement::Stream {
 public:
  CopyOutStream(std::unique_ptr<EngineStatement> source, sql::CopyEncoder encoder, bool header,
                std::shared_ptr<const sql::Statement> keep)
      : keep_(std::move(keep)),
        source_(std::move(source)),
        encoder_(std::move(encoder)),
        header_(header),
        header_pending_(header) {}

  static std::shared_ptr<const Schema> LineSchema() {
    static const std::shared_ptr<const Schema> schema = std::make_shared<const Schema>(
        std::vector<Field>{Field{"copy", DataType::kText, true, false, ""}}, SchemaMetadata{});
    return schema;
  }

  Result<std::optional<Batch>> Next() override {
    Batch out(LineSchema());
    ColumnVector& lines = out.mutable_column(0);
    if (encoder_.format().kind == sql::CopyFormatKind::kBinary) return NextBinary(std::move(out));
    if (header_pending_) {
      header_pending_ = false;
      line_.clear();
      encoder_.AppendHeader(&line_);
      lines.AppendBytes(line_);
      return std::optional<Batch>(std::move(out));
    }
    TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, source_->Next());
    if (!batch.has_value()) return std::optional<Batch>();
    const size_t columns = batch->num_columns();
    for (size_t r = 0; r < batch->num_rows(); ++r) {
      line_.clear();
      for (size_t c = 0; c < columns; ++c) {
        const ColumnVector& v = batch->column(c);
        if (v.IsNull(r)) {
          encoder_.AppendField(c, std::nullopt, &line_);
        } else if (v.type() == DataType::kText || v.type() == DataType::kJson) {
          encoder_.AppendField(c, v.bytes(r), &line_);
        } else {
          text_ = v.GetValue(r).ToString();
          encoder_.AppendField(c, text_, &line_);
        }
      }
      encoder_.EndRow(&line_);
      lines.AppendBytes(line_);
    }
    return std::optional<Batch>(std::move(out));
  }
  Status Finish() override { return Status::Ok(); }
  std::shared_ptr<MemoryTracker> memory() const override { return source_->memory(); }
  uint64_t RowsAffected(uint64_t produced) const override {
    if (encoder_.format().kind == sql::CopyFormatKind::kBinary) {
      return produced >= 2 ? produced - 2 : 0;  // the header and trailer lines
    }
    return header_ && produced > 0 ? produced - 1 : produced;
  }

 private:
  Result<std::optional<Batch>> NextBinary(Batch out) {
    ColumnVector& lines = out.mutable_column(0);
    if (!binary_started_) {
      binary_started_ = true;
      line_.clear();
      sql::AppendBinaryCopyHeader(&line_);
      lines.AppendBytes(line_);
      return std::optional<Batch>(std::move(out));
    }
    if (binary_ended_) return std::optional<Batch>();
    TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, source_->Next());
    if (!batch.has_value()) {
      binary_ended_ = true;
      line_.clear();
      sql::AppendBinaryCopyTrailer(&line_);
      lines.AppendBytes(line_);
      return std::optional<Batch>(std::move(out));
    }
    for (size_t r = 0; r < batch->num_rows(); ++r) {
      line_.clear();
      sql::AppendBinaryCopyTuple(*batch, r, &line_);
      lines.AppendBytes(line_);
    }
    return std::optional<Batch>(std::move(out));
  }

  bool binary_started_ = false;
  bool binary_ended_ = false;
  std::shared_ptr<const sql::Statement> keep_;  // the AST the source was bound from
  std::unique_ptr<EngineStatement> source_;
  sql::CopyEncoder encoder_;
  bool header_;
  bool header_pending_;
  std::string line_;
  std::string text_;
};

}  // namespace

Result<std::unique_ptr<EngineStatement>> SessionState::OpenCopy(
    const std::shared_ptr<const sql::Statement>& stmt, const std::vector<Value>& params) {
  const auto& copy = static_cast<const sql::CopyStmt&>(*stmt);
  if (!copy.filename.empty()) {
    TDB_ASSIGN_OR_RETURN(QueryResult result, Run(*stmt, params));
    return EngineStatement::Materialized(std::move(result));
  }
  if (aborted_) return Aborted();
  TDB_RETURN_IF_ERROR(CheckWritable(copy));
  TDB_ASSIGN_OR_RETURN(sql::CopyFormat format, sql::ParseCopyFormat(copy.options, copy.is_from));
  if (format.kind == sql::CopyFormatKind::kParquet) {
    // A Parquet file's footer, which says where everything is, comes last: there is no
    // streaming it through the COPY protocol's data messages.
    return Status(ErrorCode::kFeatureNotSupported,
                  std::string("COPY ") + (copy.is_from ? "FROM STDIN" : "TO STDOUT") +
                      " cannot use FORMAT parquet: Parquet is for server files only (COPY ... " +
                      (copy.is_from ? "FROM" : "TO") +
                      " '/path/file.parquet'); use FORMAT csv or binary with the client");
  }
  if (copy.is_from) {
    TDB_ASSIGN_OR_RETURN(std::unique_ptr<CopyLoad> load,
                         CopyLoad::Start(this, copy, format, user_, role_));
    QueryResult pending;
    pending.command_tag = "COPY 0";
    std::unique_ptr<EngineStatement> statement = EngineStatement::Materialized(std::move(pending));
    statement->set_copy(CopyInfo{CopyInfo::Direction::kIn,
                                 format.kind == sql::CopyFormatKind::kBinary, load->num_columns()});
    load->set_statement(statement.get());
    statement->set_copy_in(std::move(load));
    return statement;
  }
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<EngineStatement> source, OpenCopySource(copy, stmt, params));
  std::vector<std::string> names;
  for (const Field& f : source->schema()->fields())
    names.push_back(f.name);
  TDB_ASSIGN_OR_RETURN(sql::CopyEncoder encoder, sql::CopyEncoder::Make(format, names));
  const std::shared_ptr<const Schema> lines = CopyOutStream::LineSchema();
  auto stream =
      std::make_unique<CopyOutStream>(std::move(source), std::move(encoder), format.header, stmt);
  std::unique_ptr<EngineStatement> statement =
      EngineStatement::Streamed(lines, std::move(stream), "COPY");
  statement->set_copy(CopyInfo{CopyInfo::Direction::kOut,
                               format.kind == sql::CopyFormatKind::kBinary, names.size()});
  return statement;
}

Result<std::unique_ptr<EngineStatement>> SessionState::OpenCopySource(
    const sql::CopyStmt& copy, const std::shared_ptr<const sql::Statement>& stmt,
    const std::vector<Value>& params) {
  if (copy.query != nullptr) {
    return OpenSelect(copy.query.get(), nullptr, stmt, params, nullptr, user_, role_);
  }
  TDB_ASSIGN_OR_RETURN(std::shared_ptr<const sql::Statement> select, TableSelect(copy));
  const auto* s = static_cast<const sql::SelectStmt*>(select.get());
  return OpenSelect(s, nullptr, select, params, nullptr, user_, role_);
}

Result<QueryResult> SessionState::RunCopy(const sql::CopyStmt& copy,
                                          const std::vector<Value>& params, const UserId& user,
                                          Role role) {
  if (copy.filename.empty()) {
    return Status(ErrorCode::kFeatureNotSupported,
                  std::string("COPY ") + (copy.is_from ? "FROM STDIN" : "TO STDOUT") +
                      " runs only as a statement of its own (not inside EXECUTE or EXECUTE AS "
                      "USER)");
  }
  // Files are the server's: the session's own role decides (a dba loading a file into
  // a user's rows with EXECUTE AS USER reads it as the dba); the table as `user`.
  TDB_RETURN_IF_ERROR(CheckFileAccess(role_, copy.filename));
  TDB_ASSIGN_OR_RETURN(sql::CopyFormat format, sql::ParseCopyFormat(copy.options, copy.is_from));
  if (copy.is_from) {
    TDB_ASSIGN_OR_RETURN(std::unique_ptr<CopyLoad> load,
                         CopyLoad::Start(this, copy, format, user, role));
    if (format.kind == sql::CopyFormatKind::kParquet) {
      // An error leaves `load` unfinished: its destructor drops every row.
      TDB_RETURN_IF_ERROR(CopyParquetIn(copy.filename, load.get()));
      TDB_ASSIGN_OR_RETURN(uint64_t rows, load->Finish());
      QueryResult r = Tag("COPY " + std::to_string(rows));
      r.rows_affected = rows;
      return r;
    }
    FilePtr file(std::fopen(copy.filename.c_str(), "rb"));
    if (file == nullptr) return FileError("open", copy.filename);
    std::string chunk(kFileChunkBytes, '\0');
    while (true) {
      const size_t n = std::fread(chunk.data(), 1, chunk.size(), file.get());
      if (n > 0) TDB_RETURN_IF_ERROR(load->Write(std::string_view(chunk.data(), n)));
      if (n < chunk.size()) {
        if (std::ferror(file.get())) return FileError("read", copy.filename);
        break;
      }
    }
    TDB_ASSIGN_OR_RETURN(uint64_t rows, load->Finish());
    QueryResult r = Tag("COPY " + std::to_string(rows));
    r.rows_affected = rows;
    return r;
  }
  // TO 'file': the query streams into the file; a failure removes the partial file.
  std::shared_ptr<const sql::Statement> keep;
  const sql::SelectStmt* select = copy.query.get();
  if (select == nullptr) {
    TDB_ASSIGN_OR_RETURN(keep, TableSelect(copy));
    select = static_cast<const sql::SelectStmt*>(keep.get());
  }
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<EngineStatement> source,
                       OpenSelect(select, nullptr, keep, params, nullptr, user, role));
  if (format.kind == sql::CopyFormatKind::kParquet) {
    TDB_ASSIGN_OR_RETURN(uint64_t rows, CopyParquetOut(copy.filename, source.get()));
    QueryResult r = Tag("COPY " + std::to_string(rows));
    r.rows_affected = rows;
    return r;
  }
  std::vector<std::string> names;
  for (const Field& f : source->schema()->fields())
    names.push_back(f.name);
  TDB_ASSIGN_OR_RETURN(sql::CopyEncoder encoder, sql::CopyEncoder::Make(format, names));
  CopyOutStream lines(std::move(source), std::move(encoder), format.header, keep);
  FilePtr file(std::fopen(copy.filename.c_str(), "wb"));
  if (file == nullptr) return FileError("open", copy.filename);
  uint64_t produced = 0;
  Status status = [&]() -> Status {
    while (true) {
      TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, lines.Next());
      if (!batch.has_value()) return Status::Ok();
      const ColumnVector& text = batch->column(0);
      for (size_t r = 0; r < batch->num_rows(); ++r) {
        const std::string_view line = text.bytes(r);
        if (std::fwrite(line.data(), 1, line.size(), file.get()) != line.size()) {
          return FileError("write", copy.filename);
        }
        ++produced;
      }
    }
  }();
  if (status.ok() && std::fflush(file.get()) != 0) status = FileError("write", copy.filename);
  file.reset();
  if (!status.ok()) {
    std::remove(copy.filename.c_str());
    return status;
  }
  const uint64_t rows = lines.RowsAffected(produced);
  QueryResult r = Tag("COPY " + std::to_string(rows));
  r.rows_affected = rows;
  return r;
}

}  // namespace tenantdb
