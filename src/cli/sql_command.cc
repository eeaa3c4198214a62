// `tenantdb sql "..."`: runs a script once and prints each statement's result.
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>

#include "cli/cursor_reader.h"
#include "cli/server_url.h"
#include "cli/shell.h"
#include "cli/shell_input.h"
#include "cli/sql_client.h"
#include "ids/identifier.h"

namespace tenantdb::cli {

Result<Role> ResolveRole(const std::string& user, const std::string& role_text) {
  if (!role_text.empty()) return ParseRole(role_text);
  return BuiltinUserRole(user).value_or(Role::kUser);
}

Result<Connection> Connect(const ConnectOptions& options) {
  TDB_RETURN_IF_ERROR(UserId::Make(options.user).status());
  TDB_ASSIGN_OR_RETURN(Role role, ResolveRole(options.user, options.role));
  std::error_code error;
  std::filesystem::create_directories(options.data, error);
  if (error) {
    return Status(ErrorCode::kIoError,
                  "cannot create data directory '" + options.data + "': " + error.message());
  }
  Connection connection;
  Result<std::unique_ptr<Database>> database = Database::Open(options.data);
  if (!database.ok()) return ExplainDirectoryInUse(database.status(), options.data);
  connection.database = std::move(*database);
  TDB_ASSIGN_OR_RETURN(connection.session, connection.database->Connect(options.user, role));
  return connection;
}

int RunSql(const SqlOptions& options) {
  const std::optional<OutputFormat> format = ParseOutputFormat(options.format);
  if (!format) {
    std::fprintf(stderr, "unknown --format \"%s\"; use table, csv or json\n",
                 options.format.c_str());
    return 1;
  }
  Result<std::unique_ptr<SqlClient>> client = OpenClient(options.connect);
  if (!client.ok()) {
    std::fprintf(stderr, "%s", FormatError(client.status()).c_str());
    return 1;
  }
  size_t results = 0;
  for (const std::string& statement : SplitScript(options.sql)) {
    // A remote transaction's statements come back together at its COMMIT (sql_client.h).
    for (const StatementOutcome& outcome : (*client)->Submit(statement)) {
      if (!outcome.result.ok()) {
        std::fflush(stdout);
        std::fprintf(stderr, "%s", FormatError(outcome.result.status(), outcome.statement).c_str());
        return 1;
      }
      std::fputs(FormatNotices(*outcome.result).c_str(), stderr);
      std::string text = FormatResult(*outcome.result, *format);
      if (*format == OutputFormat::kTable && outcome.result->returns_rows()) text.push_back('\n');
      // CSV result sets are told apart by a blank line (JSON has one object per line).
      if (*format == OutputFormat::kCsv && results++ > 0) text.insert(text.begin(), '\n');
      std::fwrite(text.data(), 1, text.size(), stdout);
    }
  }
  std::fflush(stdout);
  if (const std::string note = (*client)->EndOfInput(); !note.empty()) {
    std::fprintf(stderr, "WARNING:  %s\n", note.c_str());
  }
  return 0;
}

}  // namespace tenantdb::cli
