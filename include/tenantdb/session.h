// tenantdb/session.h: one user's connection to an open Database (public API).
//
//   auto session = db->Connect("alice", tenantdb::Role::kUser);
//   auto cursor = (*session)->Query("SELECT * FROM chat.messages WHERE id = $1",
//                                   {tenantdb::Value::BigInt(7)});
//   auto insert = (*session)->Prepare("INSERT INTO t VALUES ($1, $2)");
//   (*session)->Query(**insert, {tenantdb::Value::Int(1), tenantdb::Value::Text("x")});
//
// A session holds the user and role every statement runs as, the current namespace
// (`default` until USE), the open transaction (BEGIN ... COMMIT; otherwise each statement
// commits on its own) and named prepared statements (PREPARE / EXECUTE). SQL is
// PostgreSQL's dialect; $1, $2, ... bind the `params` values. After a failed statement
// inside BEGIN ... COMMIT the session refuses statements with invalid_transaction_state
// until ROLLBACK, as PostgreSQL does. A failed statement changes nothing.
//
// One statement at a time: a session has at most one open Cursor. Query(), Execute() and
// Prepare() first close the session's open cursor, if any (its later Next() fails).
//
// Errors are Status values with a stable code and SQLSTATE (tenantdb/status.h), e.g.
// syntax_error (42601), undefined_table (42P01), unique_violation (23505),
// insufficient_privilege (42501), query_canceled (57014).
//
// Thread safety: a Session is used by one thread at a time, except Cancel(), which any
// thread may call at any time. Any number of sessions may run concurrently on one
// Database. Ownership: the caller owns the Session (and its Cursors and
// PreparedStatements); all must be destroyed before the Database.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tenantdb/result.h"
#include "tenantdb/role.h"
#include "tenantdb/status.h"
#include "tenantdb/value.h"

namespace tenantdb {

// A statement parsed once, run many times with different parameters (Session::Query).
// Valid only with the Session that prepared it, while that session lives.
class PreparedStatement {
 public:
  ~PreparedStatement();
  PreparedStatement(const PreparedStatement&) = delete;
  PreparedStatement& operator=(const PreparedStatement&) = delete;

  // The number of $n parameters the statement takes.
  size_t num_parameters() const;
  // The type of each $n (index 0 is $1): as PREPARE declared it, else as the binder
  // inferred it from where it is used, TEXT where nothing says. What a wire-protocol
  // server reports to a client that sent no parameter types.
  std::vector<DataType> parameter_types() const;
  // The columns a SELECT returns, known once prepared; nullopt for other statements
  // (their columns, e.g. RETURNING or SHOW, are known when they run: Cursor::columns()).
  std::optional<std::vector<Column>> columns() const;

  // Internal: made by Session::Prepare (the Impl is defined in engine/).
  class Impl;
  explicit PreparedStatement(std::unique_ptr<Impl> impl);
  Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

// What Session::Execute reports about the last statement of its script.
struct CommandResult {
  std::string command_tag;     // PostgreSQL's, e.g. "INSERT 0 3", "CREATE TABLE"
  uint64_t rows_affected = 0;  // rows written (INSERT/UPDATE/DELETE) or returned (SELECT)
};

class Session {
 public:
  ~Session();  // closes the open cursor; an open transaction is rolled back
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Opens the one statement in `sql` and returns its result as a cursor; `params` bind
  // $1, $2, ... A SELECT produces rows only as the cursor is read; other statements run
  // to completion here. Closes the session's open cursor first.
  // Text with no statement (blanks, comments) gives an empty cursor whose command is "".
  // Errors: syntax_error (also when `sql` holds more than one statement), any
  // error of the statement itself, invalid_transaction_state in a failed transaction,
  // character_not_in_repertoire for a TEXT parameter that is not UTF-8.
  Result<std::unique_ptr<Cursor>> Query(std::string_view sql,
                                        const std::vector<Value>& params = {});
  // Runs a prepared statement with `params`; as Query(sql, params). Errors as Query(),
  // and invalid_argument when `statement` was prepared by another session.
  Result<std::unique_ptr<Cursor>> Query(const PreparedStatement& statement,
                                        const std::vector<Value>& params = {});

  // Runs every statement of `sql` in order (rows are read and discarded), stopping at the
  // first error, and reports the last statement's command tag and row count (an empty
  // script reports an empty tag). `params` bind $n in every statement. Convenient for
  // DDL and writes. Closes the session's open cursor first. Errors as Query().
  Result<CommandResult> Execute(std::string_view sql, const std::vector<Value>& params = {});

  // Parses (and for a SELECT, plans) one statement for repeated execution; the plan is
  // redone after DDL. Closes the session's open cursor first. Errors: syntax_error, and
  // for a SELECT any error binding it (undefined_table, ...).
  Result<std::unique_ptr<PreparedStatement>> Prepare(std::string_view sql);

  // Asks the statement running on this session (a cursor being read, or an Execute()) to
  // stop: it fails with query_canceled (SQLSTATE 57014) within milliseconds (operators
  // check between batches and every few thousand rows) and, for a write, changes
  // nothing. A cancel that arrives when no statement runs is forgotten when the next
  // statement starts. `SET statement_timeout = '5s'` cancels the same way. Thread
  // safety: any thread, any time, while the Session exists.
  void Cancel();

  // The memory one statement may hold in bytes (`SET statement_mem`, or the database's
  // default); a statement that would pass it fails with out_of_memory (53200). Callers
  // that collect whole results (e.g. a shell aligning a table) can bound themselves by it.
  size_t statement_mem() const;

  // The user and role statements run as (fixed for the session's life).
  const std::string& user() const;
  Role role() const;
  // The namespace unqualified names resolve in ("default" until USE).
  const std::string& current_namespace() const;
  // As the statement `USE name` with `name` already case-folded (the namespace's stored
  // name; `public` means `default`), without parsing one: for a caller that sets the
  // namespace of every request (an HTTP API's namespace_id). Errors: undefined_table
  // (42P01) when no such namespace exists; the current namespace is then unchanged.
  Status Use(std::string_view namespace_name);
  // Whether BEGIN opened a transaction that is not yet committed or rolled back.
  bool in_transaction() const;

  // With `defer` (off by default), a commit returns once its write-ahead log record is
  // written (it survives the process's crash, kill -9) but before the log is synced to
  // the disk (power loss): the database syncs it together with whatever else was
  // written meanwhile, one sync for many commits, without a thread waiting per commit
  // (database.h: WritePosition, WhenDurable). The rows are visible to other sessions at
  // once. The caller takes on the contract a synced commit kept for it: tell nobody
  // about the commit — nor about anything read after it — before
  // Database::IsDurable(Database::WritePosition()), e.g. by answering a request from
  // Database::WhenDurable. A server does; an embedding application rarely needs to.
  void DeferCommitSync(bool defer);

  // Internal: sessions are made by Database::Connect (the Impl is defined in engine/).
  class Impl;
  explicit Session(std::unique_ptr<Impl> impl);
  Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace tenantdb
