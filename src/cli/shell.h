// `tenantdb shell` and `tenantdb sql`: SQL against a data directory through the public
// embedding API (include/tenantdb/), one Session as one user; results are read through
// its cursors.
//
//   tenantdb shell [--user U] [--role R] [--data DIR]
//       Interactive when stdin is a terminal: readline editing, history in
//       ~/.tenantdb_history ($TENANTDB_HISTORY overrides), statements that run on until
//       `;`, prompt `<namespace>=> ` (`<namespace>-> ` while a statement continues),
//       aligned tables, command tags, `Time: ... ms` (\timing), meta commands (\? lists
//       them). Otherwise it reads statements from stdin without prompts (timing off) and
//       exits 1 if any statement failed, 0 if none did. Ctrl-C (SIGINT) cancels the
//       statement running (it fails with query_canceled, 57014, and the shell reads on);
//       at the prompt it clears the line and any unfinished statement; it never ends
//       the shell.
//   tenantdb sql [--user U] [--role R] [--data DIR] [--format table|csv|json] "SQL"
//       Runs the script's statements in order, printing each result; on the first error
//       prints it to stderr and exits 1.
//
// Defaults: DIR ./data (created if missing); U root; R system for root, user for anyone
// else. Results go to stdout, errors (with code, SQLSTATE and a caret under the error's
// position) to stderr.
#pragma once

#include <memory>
#include <string>

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
};

struct ShellOptions {
  ConnectOptions connect;
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
