// CopyLoad: one COPY ... FROM load in progress — the CopyIn sink (tenantdb/copy.h) that
// COPY FROM STDIN hands the caller, and what COPY FROM 'file' feeds from the file.
//
// COPY FROM a Parquet file hands typed rows to WriteRow() instead of bytes to Write().
//
// Bound once at the start (the table writable by the user, the columns, their
// defaults, as INSERT binds them). Each Write() decodes the complete records it got
// (sql/copy/copy_decoder.h), turns each field into its column's type (PostgreSQL's text
// input, sql/function/text_input.h), fills the other columns with their defaults, checks
// NOT NULL, and adds the rows to the statement's transaction in groups of kGroupRows.
// Finish() commits an autocommit load as ONE RocksDB batch; inside BEGIN ... COMMIT the
// rows join the session's transaction. Any error, Abort() or the destructor before
// Finish() writes nothing (an autocommit load's transaction is dropped; an explicit
// transaction is failed, as PostgreSQL fails it).
//
// Memory: the pending rows stay in the transaction until the commit; they are charged to
// the statement's statement_mem, so a load larger than that fails with out_of_memory
// instead of exhausting the machine. An autocommit load's transaction, and a load into a
// table keyed by its generated _rowid inside BEGIN ... COMMIT, hold them encoded (about
// their stored size plus a few bytes: pgbench -i -s 10's million accounts take ~40 MB);
// other loads inside BEGIN hold values and an overlay the transaction's reads see (about
// twice the data's bytes plus per-value overhead).
//
// Errors name the row as PostgreSQL's context line does: "COPY t, line 3, column b:
// invalid input syntax for type integer: \"x\"" (the code of the underlying error).
//
// Thread safety: the session's thread only. Ownership: the EngineStatement of the COPY
// (or the file handler) owns it; the SessionState must outlive it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/memory_tracker.h"
#include "engine/statement_handlers/session_state.h"
#include "sql/copy/copy_decoder.h"
#include "sql/copy/copy_format.h"
#include "tenantdb/copy.h"

namespace tenantdb {

class CopyLoad final : public CopyIn {
 public:
  // Rows handed to the table's provider at a time.
  static constexpr size_t kGroupRows = 4096;

  // Starts loading into `copy`'s table as `user` / `role` in `session`.
  static Result<std::unique_ptr<CopyLoad>> Start(SessionState* session, const sql::CopyStmt& copy,
                                                 const sql::CopyFormat& format, const UserId& user,
                                                 Role role);
  ~CopyLoad() override;
  CopyLoad(const CopyLoad&) = delete;
  CopyLoad& operator=(const CopyLoad&) = delete;

  Status Write(std::string_view data) override;
  Result<uint64_t> Finish() override;
  void Abort() override;

  // Adds one row of typed values (COPY FROM a Parquet file): one per loaded column, in
  // names() order, each NULL or of its types() type. `row` (1-based) names the row in
  // errors. An error fails the load as Write's do.
  Status WriteRow(uint64_t row, std::vector<Value> values);

  // The statement to tell when Finish() succeeds (null for a file load).
  void set_statement(EngineStatement* statement) { statement_ = statement; }
  size_t num_columns() const { return targets_.size(); }
  // The loaded columns' names and types, in the order records give them.
  const std::vector<std::string>& names() const { return names_; }
  const std::vector<DataType>& types() const { return types_; }
  // The table as the statement named it ("ns.t"), for errors.
  const std::string& table_label() const { return table_label_; }

 private:
  CopyLoad(SessionState* session, UserId user) : session_(session), user_(std::move(user)) {}
  Status OnRecord(uint64_t line, const std::vector<sql::CopyField>& fields);
  // Fills the columns not loaded with their defaults, checks NOT NULL and buffers the
  // row; errors start with `where` ("COPY t, line 3: ").
  Status AddRow(std::vector<Value> values, const std::string& where);
  Status FlushWrites();
  // Fails the load with `error`: drops its writes, ends the statement.
  Status Fail(Status error);
  void End();

  SessionState* session_;
  EngineStatement* statement_ = nullptr;
  UserId user_;
  std::shared_ptr<RunningStatement> running_;
  bool top_level_ = false;
  std::unique_ptr<Transaction> local_;  // autocommit only
  std::unique_ptr<sql::ExecContext> ctx_;
  std::vector<std::optional<DataType>> parameter_types_;
  std::unique_ptr<sql::Binder> binder_;
  sql::PlanPtr plan_;  // the InsertNode binding the table, columns and defaults
  const sql::InsertNode* insert_ = nullptr;
  std::string table_label_;  // "t" as the statement named it, for errors
  std::vector<size_t> targets_;
  std::vector<std::string> names_;     // targets' column names
  std::vector<DataType> types_;        // targets' column types
  std::vector<int> target_of_column_;  // table column -> index in the record, -1: default
  std::optional<sql::CopyDecoder> decoder_;
  bool binary_ = false;  // fields are binary values (copy_binary.h), not text
  std::vector<HotWrite> writes_;
  MemoryReservation held_;
  size_t buffered_bytes_ = 0;  // charge for the rows in writes_
  size_t handed_bytes_ = 0;    // charge for the rows handed to the transaction
  uint64_t rows_ = 0;
  bool check_now_ = false;
  bool pack_ = false;  // rows go to the transaction packed (Transaction::Add)
  bool done_ = false;
  Status failed_;
};

}  // namespace tenantdb
