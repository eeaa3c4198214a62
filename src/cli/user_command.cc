// `tenantdb user set-password <name> [--data DIR]` and `tenantdb user check-password
// <name> [--data DIR]`: manage a user's password offline, on the data directory itself
// (e.g. to reset root's when it is lost; a running server holds the directory, and Open
// then reports it as object_in_use).
//
// The password comes from the environment variable TENANTDB_PASSWORD when it is set;
// else, on a terminal, from a prompt without echo (twice for set-password); else from
// one line of standard input (scripts: `echo "$PW" | tenantdb user set-password alice`).
// It is never taken from the command line, where `ps` and shell history would show it.
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "cli/result_printer.h"
#include "tenantdb/database.h"

namespace tenantdb::cli {

namespace {

struct UserOptions {
  std::string name;
  std::string data = "./data";
};

// One line of `in` without its line ending; nullopt at end of input.
std::optional<std::string> ReadLine(std::FILE* in) {
  std::string line;
  int c;
  bool any = false;
  while ((c = std::fgetc(in)) != EOF) {
    any = true;
    if (c == '\n') break;
    line.push_back(static_cast<char>(c));
  }
  if (!any) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// Reads a line from the terminal on stdin with echo off, showing `prompt` on stderr.
std::optional<std::string> PromptHidden(const std::string& prompt) {
  std::fprintf(stderr, "%s", prompt.c_str());
  std::fflush(stderr);
  termios saved{};
  const bool restore = tcgetattr(STDIN_FILENO, &saved) == 0;
  if (restore) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;  // the newline still shows, so the next prompt starts a line
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);  // not TCSAFLUSH: keep what was typed ahead
  }
  std::optional<std::string> line = ReadLine(stdin);
  if (restore) tcsetattr(STDIN_FILENO, TCSANOW, &saved);
  return line;
}

// The password, from TENANTDB_PASSWORD, a prompt (confirmed when `confirm`) or stdin.
Result<std::string> ReadPassword(const std::string& user, bool confirm) {
  if (const char* env = std::getenv("TENANTDB_PASSWORD"); env != nullptr && *env != '\0') {
    return std::string(env);
  }
  if (isatty(STDIN_FILENO) != 0) {
    std::optional<std::string> first =
        PromptHidden((confirm ? "New password for " : "Password for ") + user + ": ");
    if (!first) return Status(ErrorCode::kInvalidArgument, "no password given");
    if (confirm) {
      std::optional<std::string> second = PromptHidden("Retype the new password: ");
      if (!second || *second != *first) {
        return Status(ErrorCode::kInvalidArgument, "the passwords do not match; nothing changed");
      }
    }
    return *first;
  }
  std::optional<std::string> line = ReadLine(stdin);
  if (!line) {
    return Status(ErrorCode::kInvalidArgument,
                  "no password given: set TENANTDB_PASSWORD or write it on standard input");
  }
  return *line;
}

// The data directory, opened for this command only (no background jobs). It must exist:
// creating an empty database here would only hide a mistyped --data.
Result<std::unique_ptr<Database>> OpenExisting(const std::string& data) {
  std::error_code error;
  if (!std::filesystem::is_directory(data, error)) {
    return Status(ErrorCode::kNotFound, "data directory '" + data + "' does not exist");
  }
  Database::Options options;
  options.background_jobs = false;
  return Database::Open(data, options);
}

int Fail(const Status& status) {
  std::fprintf(stderr, "%s", FormatError(status).c_str());
  return 1;
}

int RunSetPassword(const UserOptions& options) {
  Result<std::unique_ptr<Database>> db = OpenExisting(options.data);
  if (!db.ok()) return Fail(db.status());
  // Refuse an unknown user before asking for a password.
  Result<std::optional<Account>> account = (*db)->FindAccount(options.name);
  if (!account.ok()) return Fail(account.status());
  if (!account->has_value()) {
    return Fail(Status(ErrorCode::kNotFound, "user \"" + options.name + "\" does not exist"));
  }
  Result<std::string> password = ReadPassword(options.name, /*confirm=*/true);
  if (!password.ok()) return Fail(password.status());
  if (Status s = (*db)->SetPassword(options.name, *password); !s.ok()) return Fail(s);
  std::printf("password of user %s set; tokens issued before are revoked\n", options.name.c_str());
  return 0;
}

int RunCheckPassword(const UserOptions& options) {
  Result<std::unique_ptr<Database>> db = OpenExisting(options.data);
  if (!db.ok()) return Fail(db.status());
  Result<std::string> password = ReadPassword(options.name, /*confirm=*/false);
  if (!password.ok()) return Fail(password.status());
  Result<Account> account = (*db)->Authenticate(options.name, *password);
  if (!account.ok()) return Fail(account.status());
  std::printf("password of user %s is correct\n", options.name.c_str());
  return 0;
}

}  // namespace

void RegisterUserCommands(CLI::App& app) {
  CLI::App* user = app.add_subcommand("user", "Manage users' passwords on a data directory");
  user->require_subcommand(1);

  auto set = std::make_shared<UserOptions>();
  CLI::App* s = user->add_subcommand(
      "set-password",
      "Set a user's password (from TENANTDB_PASSWORD, a prompt, or a line of stdin)");
  s->add_option("name", set->name, "The user, e.g. root")->required();
  s->add_option("--data,-D", set->data, "Data directory")->capture_default_str();
  s->callback([set] { SetExitCode(RunSetPassword(*set)); });

  auto check = std::make_shared<UserOptions>();
  CLI::App* c = user->add_subcommand(
      "check-password", "Exit 0 when the password (read like set-password's) is the user's");
  c->add_option("name", check->name, "The user")->required();
  c->add_option("--data,-D", check->data, "Data directory")->capture_default_str();
  c->callback([check] { SetExitCode(RunCheckPassword(*check)); });
}

}  // namespace tenantdb::cli
