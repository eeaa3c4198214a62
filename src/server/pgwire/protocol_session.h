// ProtocolSession: one authenticated PostgreSQL connection's query protocol over a
// tenantdb Session — the simple query protocol ('Q') and the extended one (Parse, Bind,
// Describe, Execute, Close, Sync, Flush) with its named and unnamed statements and
// portals — producing the backend messages into the connection's output buffer.
//
// Simple query: the text is cut into statements (tenantdb/script.h); each runs in turn
// with RowDescription, DataRows and CommandComplete (EmptyQueryResponse for text with
// no statement); the first error stops the rest; one ReadyForQuery ends it. Unlike
// PostgreSQL, the statements of one Query do not share an implicit transaction: each
// commits on its own unless BEGIN opened one.
//
// Extended query: Parse prepares (Session::Prepare; the binder infers the types of
// parameters the client did not declare, reported by Describe), Bind decodes the
// parameters (text or binary) into a portal, Describe reports parameters and columns,
// Execute runs the portal up to its row limit (PortalSuspended, and a later Execute
// resumes where it stopped), Close forgets a statement or portal, Sync ends the batch
// with ReadyForQuery. After an error every message up to the next Sync is discarded.
// The portal's statement opens at its first Describe or Execute (a write or DDL runs
// then). A tenantdb Session has one open cursor: parsing, or running another portal,
// closes a suspended portal's cursor (its next Execute fails) — PostgreSQL would keep
// both open.
//
// COPY (copy_protocol.cc): COPY ... FROM STDIN answers CopyInResponse and takes
// CopyData until CopyDone (CommandComplete "COPY n") or CopyFail (ErrorResponse 57014,
// nothing written); a simple Query's later statements run after it. A bad row ends the
// COPY with its ErrorResponse at once; CopyData, CopyDone and CopyFail arriving outside
// COPY (after such an error) are dropped, as PostgreSQL drops them. Any other message
// during COPY FROM STDIN aborts it and closes the connection. COPY ... TO STDOUT answers
// CopyOutResponse, one CopyData per row, CopyDone and CommandComplete. Text and CSV
// formats only (binary COPY is refused by the engine with 0A000).
//
// Errors: ErrorResponse with severity ERROR, the SQLSTATE of the Status
// (tenantdb/status.h), the message, and the position when the message names one ("at
// position N": moved into the P field, counted in characters from the start of the
// Query or Parse text). In a failed transaction (status 'E'), statements other than
// ROLLBACK / COMMIT fail with 25P02.
//
// Thread safety: one thread at a time (the connection's current worker). Cancel goes
// straight to the Session (Session::Cancel), from any thread.
// Ownership: owns the Session; writes to `out`, which the caller owns and drains.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/pgwire/backend_messages.h"
#include "server/pgwire/frontend_messages.h"
#include "tenantdb/result.h"
#include "tenantdb/script.h"
#include "tenantdb/session.h"
#include "tenantdb/status.h"

namespace tenantdb::server::pgwire {

class ProtocolSession {
 public:
  // Writes `*out` to the client and clears it; called while a large result streams so
  // the buffer stays near kFlushBytes. An error (the client went away) stops the
  // statement.
  using FlushFn = std::function<Status(std::string* out)>;
  // Output past this many bytes is flushed during a statement.
  static constexpr size_t kFlushBytes = 64 << 10;

  ProtocolSession(std::unique_ptr<Session> session, std::string* out, FlushFn flush);
  ~ProtocolSession();

  // Handles one message. Returns false when the connection must close (Terminate, or
  // the output could not be flushed).
  bool Handle(FrontendMessage message);

  // 'I', 'T' or 'E' (ReadyForQuery's transaction status).
  char TransactionStatus() const;
  Session& session() { return *session_; }

 private:
  // A Parse'd statement. Shared: a portal keeps its statement alive after Close.
  struct Statement {
    std::string sql;
    std::unique_ptr<PreparedStatement> prepared;  // null for text with no statement
    std::vector<uint32_t> parameter_oids;         // declared by the client, else inferred
    std::vector<uint32_t> declared_oids;          // as the client sent them (0: none)
  };
  // A Bind'ed statement with its parameters; its cursor opens at the first Describe or
  // Execute and is read across Executes.
  struct Portal {
    std::shared_ptr<Statement> statement;
    std::vector<Value> parameters;
    std::vector<int16_t> result_formats;  // as Bind sent them
    std::vector<int16_t> formats;         // one per column, once open
    std::unique_ptr<Cursor> cursor;
    bool batch_pending = false;  // the cursor's current batch has rows not yet sent
    size_t next_row = 0;
    bool done = false;
    std::string tag;  // CommandComplete's, once done
  };

  void SimpleQuery(const std::string& sql);
  // Runs the simple Query's statements from index `from` (a COPY FROM STDIN pauses it).
  void ContinueSimpleQuery(size_t from);

  // COPY (copy_protocol.cc). StartCopyIn: when `cursor` is a COPY FROM STDIN, sends
  // CopyInResponse and enters COPY mode (true); `portal` is an extended query's (a
  // simple query's caller hands the cursor to copy_in_->owned).
  bool StartCopyIn(Cursor* cursor, Portal* portal);
  Status RunCopyOut(Portal& portal);
  void OnCopyData(const CopyDataMessage& m);
  void OnCopyDone();
  void OnCopyFail(const CopyFailMessage& m);
  // Ends COPY mode with `status`: CommandComplete, or the error (and ReadyForQuery for a
  // simple query, skip-until-Sync for an extended one).
  void EndCopyIn(const Status& status);
  // A message other than CopyData/Done/Fail/Sync/Flush during COPY FROM STDIN.
  void CopyInterrupted();
  void Parse(ParseMessage& m);
  void Bind(BindMessage& m);
  void Describe(const DescribeMessage& m);
  void Execute(const ExecuteMessage& m);
  void Close(const CloseMessage& m);
  void Sync();

  // Opens the portal's cursor when not yet open. Error: the statement's.
  Status Open(Portal& portal);
  // Sends the portal's rows (at most max_rows; 0: all) and CommandComplete or
  // PortalSuspended.
  Status Run(Portal& portal, int32_t max_rows);
  Status SendRow(const RowBatch& batch, size_t row, const std::vector<Column>& columns,
                 const std::vector<int16_t>& formats);
  Status MaybeFlush();
  void SendRowDescription(const std::vector<Column>& columns, const std::vector<int16_t>& formats);

  // Sends `status` as an ErrorResponse: `sql` is the text positions count in,
  // `sql_offset` the byte where the failing statement starts in it; `was_failed`: the
  // transaction had failed before the statement (its refusal is then 25P02).
  void SendError(const Status& status, std::string_view sql = {}, size_t sql_offset = 0,
                 bool was_failed = false);
  // Tracks the failed-transaction state after a statement ended with `status`.
  void AfterStatement(const Status& status);

  std::unique_ptr<Session> session_;
  std::string* out_;
  BackendWriter writer_;
  FlushFn flush_;
  bool flush_failed_ = false;
  bool failed_transaction_ = false;  // a statement failed inside BEGIN: status 'E'
  bool skip_until_sync_ = false;
  std::map<std::string, std::shared_ptr<Statement>, std::less<>> statements_;
  std::map<std::string, std::unique_ptr<Portal>, std::less<>> portals_;

  // The simple Query being run (kept while a COPY FROM STDIN pauses it).
  std::string simple_sql_;
  std::vector<StatementRange> simple_ranges_;
  // COPY FROM STDIN in progress.
  struct CopyInState {
    // User-provided: clang 14 cannot see the member initializers while the enclosing
    // class is incomplete, and std::optional<CopyInState> asks then.
    CopyInState() {}
    Cursor* cursor = nullptr;
    std::unique_ptr<Cursor> owned;  // a simple query's cursor
    Portal* portal = nullptr;       // an extended query's portal
    size_t next_statement = 0;      // simple query: where to continue
  };
  std::optional<CopyInState> copy_in_;
};

}  // namespace tenantdb::server::pgwire
