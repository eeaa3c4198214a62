// SqlClient: what `tenantdb shell` and `tenantdb sql` run statements through — the
// embedded engine on a data directory (embedded_client.h) or a server over HTTP
// (remote_session.h) — so the shell's loop, printing and Ctrl-C handling exist once.
//
// Thread safety: Run() and the accessors from one thread (the shell's); Cancel() from any
// thread while Run() is in progress (the shell's Ctrl-C watcher).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cli/shell.h"
#include "common/status.h"
#include "sql/exec/query_result.h"

namespace tenantdb::cli {

// A statement and how it ended, for the shell to print.
struct StatementOutcome {
  std::string statement;  // as typed (the caret under an error's position is drawn in it)
  Result<sql::QueryResult> result;
};

class SqlClient {
 public:
  virtual ~SqlClient() = default;

  // What the shell runs a typed statement with: runs it, or holds it for later, and
  // returns the outcomes there are to print now, in order. The embedded client runs
  // every statement at once (one outcome). The remote client holds a transaction's
  // statements from BEGIN and sends them as one request at COMMIT, which returns the
  // outcome of each (remote_session.h); meanwhile it returns none.
  virtual std::vector<StatementOutcome> Submit(const std::string& statement) {
    std::vector<StatementOutcome> out;
    out.push_back({statement, Run(statement)});
    return out;
  }
  // Whether a transaction is open, so the prompt can say so (psql's `ns=*> `).
  virtual bool in_transaction() const { return false; }
  // The input ended: a held transaction is dropped (as closing an embedded session rolls
  // it back). Returns a line to tell the user, or "" when nothing was held.
  virtual std::string EndOfInput() { return {}; }

  // Runs one statement (no trailing ';') and returns its whole result: the printer
  // aligns columns, so it needs every row. Errors: the statement's, with its code,
  // SQLSTATE and position; query_canceled after Cancel().
  virtual Result<sql::QueryResult> Run(const std::string& statement) = 0;
  // Stops the statement Run() is running; it fails with query_canceled (57014). A call
  // while nothing runs does nothing.
  virtual void Cancel() = 0;

  virtual const std::string& user() const = 0;
  virtual std::string role_name() const = 0;
  // Where unqualified table names resolve (the prompt shows it).
  virtual std::string current_namespace() const = 0;
  // Where the statements run, for the shell's greeting: "" (a local data directory) or
  // " on http://host:port".
  virtual std::string location() const = 0;
  // `\subscribe SQL`: prints the live query's rows and then its changes through `print`
  // until Cancel() (OK) or the server ends it (its error). Only a server has live
  // queries: the embedded client answers feature_not_supported.
  // `\copy` (shell_copy.h): runs `sql`, a COPY ... FROM STDIN fed with `read`'s chunks
  // (an empty chunk ends the data), or a COPY ... TO STDOUT whose lines go to `write`;
  // returns the rows copied. Only the embedded client has the data channel; a server
  // over HTTP answers feature_not_supported (psql's \copy does it over pgwire).
  virtual Result<uint64_t> CopyFrom(const std::string& sql,
                                    const std::function<Result<std::string>()>& read) {
    (void)sql;
    (void)read;
    return CopyNeedsEmbedded();
  }
  virtual Result<uint64_t> CopyTo(const std::string& sql,
                                  const std::function<Status(std::string_view)>& write) {
    (void)sql;
    (void)write;
    return CopyNeedsEmbedded();
  }
  static Status CopyNeedsEmbedded() {
    return Status(ErrorCode::kFeatureNotSupported,
                  "\\copy needs the data channel of the embedded shell or of the PostgreSQL "
                  "protocol (psql's \\copy); over HTTP, load with INSERT");
  }
  virtual Status Subscribe(const std::string& sql,
                           const std::function<void(std::string_view line)>& print) {
    (void)sql;
    (void)print;
    return Status(ErrorCode::kFeatureNotSupported,
                  "\\subscribe needs a server: start the shell with --url http://host:port");
  }
};

// The client `options` describe: a server when options.url is set (logging in as
// options.user with the password from TENANTDB_PASSWORD or a prompt), else the data
// directory options.data. Errors: those of opening the directory or of logging in.
Result<std::unique_ptr<SqlClient>> OpenClient(const ConnectOptions& options);

}  // namespace tenantdb::cli
