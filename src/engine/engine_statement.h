// EngineStatement: one statement opened on an EngineSession, its rows pulled batch by
// batch — what the public Cursor (include/tenantdb/result.h) wraps and what
// EngineSession::Execute drains into a QueryResult (one execution path for both).
//
// Two shapes behind one interface:
//   streamed      a SELECT: the statement owns its bound plan, the ExecContext, the
//                 autocommit Transaction (if any) and the operator tree; each Next() pulls
//                 one batch from the tree, so rows are produced only as the caller asks.
//   materialized  everything else (DML with RETURNING, DDL, SHOW, EXPLAIN, ...): the work
//                 is done when the statement is opened; Next() hands out the stored batches.
//
// schema() and command() are known at open; command_tag() and rows_affected() are final
// once Next() has returned nullopt (a streamed SELECT counts its rows as they go).
// Close() (also the destructor, and the session when another statement opens) releases
// the operator tree and everything the read holds; later Next() calls return nullopt.
// An error from Next() closes the statement, and inside an explicit transaction marks the
// transaction failed, as any failed statement does.
//
// Thread safety: used by the session's thread only. Ownership: the caller owns the
// statement; the EngineSession (and its Engine) must outlive it or close it first.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/memory_tracker.h"
#include "common/status.h"
#include "sql/exec/query_result.h"
#include "tenantdb/copy.h"
#include "types/batch.h"

namespace tenantdb {

class EngineStatement {
 public:
  // What a streamed SELECT owns while it runs; defined in engine_session.cc, which builds it.
  class Stream {
   public:
    virtual ~Stream() = default;
    // The next batch of the operator tree, nullopt at the end.
    virtual Result<std::optional<Batch>> Next() = 0;
    // Called once after the last batch: commits the statement's own transaction, if any.
    virtual Status Finish() = 0;
    // The statement's memory budget (statement_mem), for what its reader holds.
    virtual std::shared_ptr<MemoryTracker> memory() const { return nullptr; }
    // The tag and row count once `produced` rows were read (COPY TO counts its data
    // lines, not its header).
    virtual uint64_t RowsAffected(uint64_t produced) const { return produced; }
  };

  // A statement whose work is done: hands out `result`'s batches.
  static std::unique_ptr<EngineStatement> Materialized(sql::QueryResult result);
  // A SELECT pulled from `stream`; `schema` names its columns.
  // `command` names it in the tag ("SELECT n", "COPY n").
  static std::unique_ptr<EngineStatement> Streamed(std::shared_ptr<const Schema> schema,
                                                   std::unique_ptr<Stream> stream,
                                                   std::string command = "SELECT");

  ~EngineStatement();
  EngineStatement(const EngineStatement&) = delete;
  EngineStatement& operator=(const EngineStatement&) = delete;

  // The result's columns; null when the statement returns no rows.
  const std::shared_ptr<const Schema>& schema() const { return schema_; }
  // The command: "SELECT", "INSERT", "CREATE TABLE", ... (the tag without its counts).
  const std::string& command() const { return command_; }
  // PostgreSQL's command tag ("SELECT 42", "INSERT 0 3"); final once exhausted.
  const std::string& command_tag() const { return command_tag_; }
  uint64_t rows_affected() const { return rows_affected_; }
  // The statement's NOTICE messages (sql::QueryResult::notices), known at open.
  const std::vector<std::string>& notices() const { return notices_; }
  // Rows handed out by Next() so far (a probe for tests: what was produced, not stored).
  uint64_t rows_produced() const { return rows_produced_; }
  bool exhausted() const { return exhausted_; }
  // The streamed statement's memory budget; null for materialized statements (their
  // work, and its charges, are done) and once closed. Shared: a reader charging it keeps
  // it alive past the statement's close.
  std::shared_ptr<MemoryTracker> memory() const { return stream_ ? stream_->memory() : nullptr; }
  bool closed() const { return closed_; }

  // COPY FROM STDIN / TO STDOUT (tenantdb/copy.h): what it exchanges; null otherwise.
  const CopyInfo* copy() const { return copy_ ? &*copy_ : nullptr; }
  // COPY FROM STDIN's sink until it finished (then null, and Next() ends at once).
  CopyIn* copy_in() const { return copy_in_done_ ? nullptr : copy_in_.get(); }
  void set_copy(CopyInfo info) { copy_ = info; }
  // Makes this statement a COPY FROM STDIN fed through `sink`; the statement owns it.
  void set_copy_in(std::unique_ptr<CopyIn> sink) { copy_in_ = std::move(sink); }
  // Called by the sink when Finish() wrote `rows`: the tag becomes "COPY rows".
  void CopyInFinished(uint64_t rows);

  // The next non-empty batch; nullopt at the end or once closed. An error closes the
  // statement.
  Result<std::optional<Batch>> Next();

  // Stops the statement and releases what it holds (idempotent).
  void Close() { CloseWith(Status::Ok()); }
  // Stops it as failed with `error` (e.g. query_canceled): an explicit transaction fails.
  void Abort(const Status& error) { CloseWith(error); }

  // The session's hook: called once when the statement closes (with the error that closed
  // it, or OK), so the session forgets it and fails an explicit transaction on error.
  void set_on_close(std::function<void(const Status&)> on_close) {
    on_close_ = std::move(on_close);
  }
  bool has_on_close() const { return on_close_ != nullptr; }

 private:
  EngineStatement() = default;
  void CloseWith(const Status& status);

  std::shared_ptr<const Schema> schema_;
  std::string command_;
  std::string command_tag_;
  uint64_t rows_affected_ = 0;
  std::vector<std::string> notices_;
  uint64_t rows_produced_ = 0;
  bool exhausted_ = false;
  bool closed_ = false;
  std::unique_ptr<Stream> stream_;  // streamed only
  std::vector<Batch> batches_;      // materialized only
  size_t next_batch_ = 0;
  std::function<void(const Status&)> on_close_;
  std::optional<CopyInfo> copy_;
  std::unique_ptr<CopyIn> copy_in_;  // destroyed (aborting an unfinished load) on close
  bool copy_in_done_ = false;
};

// "INSERT 0 3" -> "INSERT", "CREATE TABLE" -> "CREATE TABLE": the tag without its counts.
std::string CommandOfTag(std::string_view tag);

}  // namespace tenantdb
