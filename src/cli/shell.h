// `tenantdb shell` and `tenantdb sql`: SQL against a data directory through the public
// embedding API (include/tenantdb/), one Session as one user, or against a server over
// HTTP (--url); both through a SqlClient (sql_client.h).
//
//   tenantdb shell [--user U] [--role R] [--data DIR]
//   tenantdb shell --url http://127.0.0.1:8080 [--user U]
//       With --url, logs in to the server as U (password from TENANTDB_PASSWORD, else
//       asked on the terminal without echo) and runs each statement with POST
//       /v1/api/sql; the role is the account's. Everything below works alike; the
//       shell carries the session the server does not keep across requests (USE, SET
//       and PREPARE are replayed; BEGIN ... COMMIT is sent as one request at COMMIT, its
//       results printed then; remote_session.h).
//       Interactive when stdin is a terminal: readline editing, history in
//       ~/.tenantdb_history ($TENANTDB_HISTORY overrides), statements that run on until
//       `;`, prompt `<namespace>=> ` (`<namespace>-> ` while a statement continues,
//       `<namespace>=*> ` inside a transaction),
//       aligned tables, command tags, `Time: ... ms` (\timing), meta commands (\? lists
//       them). Otherwise it reads statements from stdin without prompts (timing off) and
//       exits 1 if any statement failed, 0 if none did. Ctrl-C (SIGINT) cancels the
//       statement running (it fails with query_canceled, 57014, and the shell reads on);
//       at the prompt it clears the line and any unfinished statement; it never ends
//       the shell.
//   tenantdb shell [...] -c SQL | -f FILE ... [--format F] [-v NAME=VALUE]
//       Runs each -c text (statements, or one meta command) and -f script in the order
//       given, then exits (1 if a statement failed; 3 if ON_ERROR_STOP stopped a script,
//       as psql). An error in a script names its place: `FILE:LINE: ERROR: ...`.
//   Meta commands (\? lists them): \i FILE runs a script; \o [FILE] sends results to
//       a file (or back); \x [on|off|auto] and \pset null|format|expanded|pager
//       (shell_settings.h); \set / \unset variables (ON_ERROR_STOP); \timing. Long
//       results on a terminal go through a pager (shell_output.h); Tab completes
//       keywords, namespaces, tables and columns (shell_completion.h); each history
//       entry is saved as it is entered.
//   tenantdb sql [--user U] [--role R] [--data DIR | --url URL] [--format F] "SQL"
//       Runs the script's statements in order, printing each result; on the first error
//       prints it to stderr and exits 1. A transaction left open at the end is rolled
//       back (with --url: never sent, and a warning says so).
//
// Defaults: DIR ./data (created if missing); U root; R system for root, user for anyone
// else. Results go to stdout, errors (with code, SQLSTATE and a caret under the error's
// position) to stderr.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "catalog/role.h"
#include "cli/result_printer.h"
#include "tenantdb/database.h"

namespace CLI {
class App;
}  // namespace CLI

namespace tenantdb::cli {

struct ConnectOptions {
  std::string user = "root";
  std::string role;  // empty: system for root, user otherwise
  std::string data = "./data";
  std::string url;  // a server instead of `data` (remote_session.h)
};

struct ShellOptions {
  ConnectOptions connect;
  // -c SQL and -f FILE in command-line order (true: a file); when any is given the shell
  // runs them and exits instead of reading standard input.
  std::vector<std::pair<bool, std::string>> scripts;
  std::string format = "table";
  std::vector<std::string> variables;  // -v NAME=VALUE
};
int RunShell(const ShellOptions& options);

struct SqlOptions {
  ConnectOptions connect;
  std::string format = "table";
  std::string sql;
};
int RunSql(const SqlOptions& options);

// Default role: system for `root`, user for anyone else; `role_text` overrides.
Result<Role> ResolveRole(const std::string& user, const std::string& role_text);

// A database directory opened (created if missing) with one session on it
// (sql_command.cc).
struct Connection {
  std::unique_ptr<Database> database;  // declared first: outlives the session
  std::unique_ptr<Session> session;
};
Result<Connection> Connect(const ConnectOptions& options);

// Adds `shell` and `sql` to `app`.
void RegisterShellCommands(CLI::App& app);

}  // namespace tenantdb::cli
